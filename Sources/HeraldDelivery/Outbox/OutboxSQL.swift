import Foundation
import Herald

/// A value bound to or read from a statement, the same for both storages.
enum SQLValue: Sendable, Hashable {
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
    case null

    var int: Int { if case .integer(let value) = self { Int(value) } else { 0 } }
    var int64: Int64 { if case .integer(let value) = self { value } else { 0 } }
    var double: Double? {
        switch self {
        case .real(let value): value
        case .integer(let value): Double(value)
        default: nil
        }
    }
    var string: String? { if case .text(let value) = self { value } else { nil } }
    var bytes: [UInt8] { if case .blob(let value) = self { value } else { [] } }

    init(_ value: String?) { self = value.map(SQLValue.text) ?? .null }
    init(_ value: Double?) { self = value.map(SQLValue.real) ?? .null }
    init(_ value: Int) { self = .integer(Int64(value)) }
}

/// The outbox's statements, written once for SQLite and PostgreSQL: `?` placeholders (PostgreSQL's storage numbers
/// them), `RETURNING id` where a count of changed rows is needed, `ON CONFLICT DO NOTHING` where a copy may exist.
enum OutboxSQL {
    /// Each destination's unfinished deliveries in order: a claim takes only the head of each queue.
    static let destinationOrderIndex = """
        CREATE INDEX deliveries_destination_order ON deliveries(service, scope, id) WHERE state IN ('pending', 'in_flight')
        """
    /// The migration `v11-claim-by-heads`: claims find the queues' heads through `destinationOrderIndex` alone;
    /// the index of every row by state would tempt SQLite's planner (which keeps no statistics) into reading each
    /// pending row and sorting them, and delivered rows are pruned by the time they were delivered.
    static let claimByHeads = [
        "DROP INDEX deliveries_pending",
        "CREATE INDEX deliveries_delivered ON deliveries(delivered_at) WHERE state = 'delivered'",
    ]
    static let routes = "SELECT event, service, scope FROM routes ORDER BY event, service, scope"
    static let deleteRoute = "DELETE FROM routes WHERE event = ? AND service = ?"
    static let deleteRouteScope = "DELETE FROM routes WHERE event = ? AND service = ? AND scope = ?"
    static let insertRoute = "INSERT INTO routes (event, service, scope) VALUES (?, ?, ?) ON CONFLICT DO NOTHING"
    static let routedDestinations = "SELECT service, scope FROM routes WHERE event = ? ORDER BY service, scope"
    static let insertNotification = """
        INSERT INTO notifications (id, event, message, attachment_count, created_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT DO NOTHING
        """
    static let insertPending = """
        INSERT INTO deliveries (notification_id, service, scope, idempotency_key, state, next_attempt_at, updated_at)
        VALUES (?, ?, ?, ?, 'pending', ?, ?)
        """

    /// The columns ``deliveryRow(_:)`` reads, in order.
    private static let deliveryColumns = """
        d.id, d.notification_id, d.service, d.scope, d.idempotency_key, d.state, d.attempts, d.interrupted_attempts,
        d.messages_sent, d.next_attempt_at, d.lease_owner, d.lease_expires_at, d.last_error, d.reference, d.delivered_at,
        d.updated_at, n.event, n.created_at
        """
    static let rows = "SELECT \(deliveryColumns) FROM deliveries d JOIN notifications n ON n.id = d.notification_id"
    static let rowsOfNotification = rows + " WHERE d.notification_id = ? ORDER BY d.id"
    static let allRows = rows + " ORDER BY d.id"
    /// The newest rows of one destination; arguments: service, scope, limit.
    static let newestRowsOfDestination = rows + " WHERE d.service = ? AND d.scope = ? ORDER BY d.id DESC LIMIT ?"

    static func deliveryRow(_ row: [SQLValue]) -> DeliveryRow {
        DeliveryRow(
            id: row[0].int64, notificationID: row[1].string ?? "", service: row[2].string ?? "", scope: row[3].string ?? "",
            idempotencyKey: row[4].string ?? "", state: row[5].string ?? "", attempts: row[6].int,
            interruptedAttempts: row[7].int, messagesSent: row[8].int, nextAttemptAt: row[9].double,
            leaseOwner: row[10].string, leaseExpiresAt: row[11].double, lastError: row[12].string,
            reference: row[13].string, deliveredAt: row[14].double, updatedAt: row[15].double ?? 0,
            event: row[16].string ?? "", createdAt: row[17].double ?? 0)
    }

    static let drop = "DELETE FROM deliveries WHERE id = ? AND NOT (state = 'in_flight' AND lease_expires_at > ?) RETURNING id"
    /// The oldest delivered rows, delivered before `?`, at most `?` of them; returns their notifications.
    static let pruneDelivered = """
        DELETE FROM deliveries WHERE id IN (SELECT id FROM deliveries WHERE state = 'delivered' AND delivered_at < ?
            ORDER BY delivered_at LIMIT ?) RETURNING notification_id
        """
    /// Notification `?` once no delivery of it is left.
    static let dropFinishedNotification = """
        DELETE FROM notifications WHERE id = ? AND NOT EXISTS (SELECT 1 FROM deliveries WHERE notification_id = notifications.id)
        """
    static let dropOrphanedNotifications = "DELETE FROM notifications WHERE id NOT IN (SELECT notification_id FROM deliveries)"
    static let stateCounts = """
        SELECT service, CASE WHEN state = 'in_flight' AND lease_expires_at <= ? THEN 'interrupted'
            WHEN state = 'in_flight' THEN 'sending' ELSE state END AS shown, COUNT(*) AS count
        FROM deliveries GROUP BY service, shown ORDER BY service, shown
        """
    static let countRoutes = "SELECT COUNT(*) FROM routes"
    static let releaseLeases = """
        UPDATE deliveries SET lease_expires_at = ?, updated_at = ? WHERE state = 'in_flight' AND lease_owner = ? RETURNING id
        """
    static let retryFailed = """
        UPDATE deliveries SET state = 'pending', attempts = 0, interrupted_attempts = 0, next_attempt_at = ?,
            lease_owner = NULL, lease_expires_at = NULL, updated_at = ?
        WHERE state = 'failed'
        """

    /// Only the head of a destination's queue (its unfinished delivery with the lowest id) is claimable. `heads` lists
    /// them by walking `destinationOrderIndex` from one destination to the next (a loose index scan: one index
    /// search per destination, whatever the number of queued or finished rows), since neither SQLite nor PostgreSQL
    /// skips through an index for `GROUP BY service, scope`.
    private static let heads = """
        WITH RECURSIVE heads(id) AS (
            SELECT (SELECT id FROM deliveries WHERE state IN ('pending', 'in_flight') ORDER BY service, scope, id LIMIT 1)
            UNION ALL
            SELECT COALESCE(
                (SELECT e.id FROM deliveries e WHERE e.state IN ('pending', 'in_flight') AND e.service = h.service
                    AND e.scope > h.scope ORDER BY e.service, e.scope, e.id LIMIT 1),
                (SELECT e.id FROM deliveries e WHERE e.state IN ('pending', 'in_flight') AND e.service > h.service
                    ORDER BY e.service, e.scope, e.id LIMIT 1))
            FROM heads JOIN deliveries h ON h.id = heads.id)
        """

    /// Where the two storages' SQL differs.
    enum Dialect {
        case sqlite, postgres

        /// `d.id` is one of `heads`, so that each head is looked up by its key: PostgreSQL's planner, given
        /// `IN (SELECT …)` or a join, may scan the table instead, so it gets an array evaluated once.
        var isHead: String {
            switch self {
            case .sqlite: "d.id IN (SELECT id FROM heads)"
            case .postgres: "d.id = ANY (ARRAY(SELECT id FROM heads))"
            }
        }
    }

    /// The services this version knows: claims take only their rows, leaving a newer version's to it.
    static let knownServices = Service.catalogue.map(\.id)

    /// Claimable rows of the known services, in due order; arguments: see ``claimArguments(_:)``.
    static func claimable(_ dialect: Dialect) -> String {
        """
        \(heads)
        SELECT d.id, d.service, d.scope, d.idempotency_key, d.state, d.attempts, d.interrupted_attempts,
            d.messages_sent, n.event, n.message, n.attachment_count
        FROM deliveries d JOIN notifications n ON n.id = d.notification_id
        WHERE \(dialect.isHead) AND ((d.state = 'pending' AND d.next_attempt_at <= ?)
            OR (d.state = 'in_flight' AND d.lease_expires_at <= ? AND (d.lease_owner IS NULL OR d.lease_owner <> ?)))
            AND d.service IN \(placeholders(knownServices.count))
        ORDER BY d.next_attempt_at, d.id LIMIT ?
        """
    }

    /// Now, now, owner, the known services, limit.
    static func claimArguments(_ request: ClaimRequest) -> [SQLValue] {
        let time = SQLValue.real(request.now.timeIntervalSince1970)
        return [time, time, .text(request.owner)] + knownServices.map(SQLValue.text) + [SQLValue(request.limit)]
    }

    static func claimCandidate(_ row: [SQLValue]) -> ClaimCandidate {
        ClaimCandidate(
            id: row[0].int64, service: row[1].string ?? "", scope: row[2].string ?? "", idempotencyKey: row[3].string ?? "",
            state: row[4].string ?? "", attempts: row[5].int, interruptedAttempts: row[6].int, messagesSent: row[7].int,
            event: row[8].string ?? "", message: row[9].bytes, attachmentCount: row[10].int)
    }

    static let abandon = """
        UPDATE deliveries SET state = 'failed', interrupted_attempts = ?, last_error = ?,
            lease_owner = NULL, lease_expires_at = NULL, next_attempt_at = NULL, updated_at = ?
        WHERE id = ?
        """
    static let take = """
        UPDATE deliveries SET state = 'in_flight', attempts = attempts + 1, interrupted_attempts = ?, lease_owner = ?,
            lease_expires_at = ?, last_error = COALESCE(?, last_error), updated_at = ?
        WHERE id = ?
        """

    /// The statements, and their arguments, that `decision` makes at `time`.
    static func apply(_ decision: ClaimDecision, id: Int64, owner: String, time: Double, to batch: inout ClaimBatch) -> (String, [SQLValue]) {
        switch decision {
        case .abandon(let interruptions, let reason):
            batch.abandoned.append(id)
            return (abandon, [SQLValue(interruptions), .text(reason), .real(time), .integer(id)])
        case .take(let claimed, let interruptions, let expiry, let lastError):
            batch.deliveries.append(claimed)
            return (take, [SQLValue(interruptions), .text(owner), .real(expiry), SQLValue(lastError), .real(time), .integer(id)])
        }
    }

    /// The condition that attempt `?` of delivery `?` is held by `?`.
    private static let fence = " WHERE id = ? AND state = 'in_flight' AND lease_owner = ? AND attempts = ? RETURNING id"
    static func fenceArguments(id: Int64, owner: String, attempt: Int) -> [SQLValue] { [.integer(id), .text(owner), SQLValue(attempt)] }
    static let renewLease = "UPDATE deliveries SET lease_expires_at = ?" + fence
    static let messagesSent = "UPDATE deliveries SET messages_sent = ?, updated_at = ?" + fence

    /// The statement and arguments recording `outcome` at `time`, before the fence's.
    static func record(_ outcome: AttemptOutcome, time: Double) -> (String, [SQLValue]) {
        let released = "lease_owner = NULL, lease_expires_at = NULL"
        switch outcome {
        case .delivered(let reference):
            return ("UPDATE deliveries SET state = 'delivered', delivered_at = ?, reference = ?, last_error = NULL, \(released), next_attempt_at = NULL, updated_at = ?" + fence,
                    [.real(time), SQLValue(reference), .real(time)])
        case .retry(let reason, let at):
            return ("UPDATE deliveries SET state = 'pending', next_attempt_at = ?, last_error = ?, \(released), updated_at = ?" + fence,
                    [.real(at.timeIntervalSince1970), .text(reason), .real(time)])
        case .failed(let reason):
            return ("UPDATE deliveries SET state = 'failed', last_error = ?, \(released), next_attempt_at = NULL, updated_at = ?" + fence,
                    [.text(reason), .real(time)])
        case .rateLimited(let reason?, let at, _):
            return ("UPDATE deliveries SET state = 'pending', attempts = attempts - CASE WHEN rate_limited_answers < ? THEN 1 ELSE 0 END, rate_limited_answers = rate_limited_answers + 1, next_attempt_at = ?, last_error = ?, \(released), updated_at = ?" + fence,
                    [SQLValue(RateLimit.uncountedAnswers), .real(at.timeIntervalSince1970), .text(reason), .real(time)])
        case .rateLimited(nil, let at, _):
            return ("UPDATE deliveries SET state = 'pending', attempts = attempts - 1, next_attempt_at = ?, \(released), updated_at = ?" + fence,
                    [.real(at.timeIntervalSince1970), .real(time)])
        }
    }

    /// The earliest due time of a claimable row of the known services for a sender other than `?`; arguments: see
    /// ``nextDueArguments(owner:)``.
    static func nextDue(_ dialect: Dialect) -> String {
        """
        \(heads)
        SELECT MIN(CASE WHEN d.state = 'pending' THEN d.next_attempt_at ELSE d.lease_expires_at END)
        FROM deliveries d
        WHERE \(dialect.isHead) AND (d.state = 'pending' OR (d.state = 'in_flight' AND (d.lease_owner IS NULL OR d.lease_owner <> ?)))
            AND d.service IN \(placeholders(knownServices.count))
        """
    }

    /// The owner, then the known services.
    static func nextDueArguments(owner: String) -> [SQLValue] { [.text(owner)] + knownServices.map(SQLValue.text) }

    // MARK: Migration between outboxes

    /// Unfinished rows not under a live lease (argument: now).
    static let unfinishedRows = rows + """
         WHERE d.state IN ('pending', 'failed') OR (d.state = 'in_flight' AND d.lease_expires_at <= ?) ORDER BY d.id
        """
    static let liveInFlight = "SELECT COUNT(*) FROM deliveries WHERE state = 'in_flight' AND lease_expires_at > ?"
    static let notificationsOfUnfinished = """
        SELECT n.id, n.event, n.message, n.attachment_count, n.created_at FROM notifications n
        WHERE n.id IN (SELECT d.notification_id FROM deliveries d
            WHERE d.state IN ('pending', 'failed') OR (d.state = 'in_flight' AND d.lease_expires_at <= ?))
        ORDER BY n.created_at, n.id
        """

    static func notification(_ row: [SQLValue]) -> StoredNotification {
        StoredNotification(
            id: row[0].string ?? "", event: row[1].string ?? "", message: row[2].bytes, attachmentCount: row[3].int,
            createdAt: row[4].double ?? 0)
    }

    static func notificationArguments(_ notification: StoredNotification) -> [SQLValue] {
        [.text(notification.id), .text(notification.event), .blob(notification.message), SQLValue(notification.attachmentCount),
         .real(notification.createdAt)]
    }

    static let importDelivery = """
        INSERT INTO deliveries (notification_id, service, scope, idempotency_key, state, attempts, interrupted_attempts,
            messages_sent, next_attempt_at, lease_owner, lease_expires_at, last_error, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id
        """

    static func importArguments(_ row: DeliveryRow) -> [SQLValue] {
        [.text(row.notificationID), .text(row.service), .text(row.scope), .text(row.idempotencyKey), .text(row.state),
         SQLValue(row.attempts), SQLValue(row.interruptedAttempts), SQLValue(row.messagesSent), SQLValue(row.nextAttemptAt),
         SQLValue(row.leaseOwner), SQLValue(row.leaseExpiresAt), SQLValue(row.lastError), .real(row.updatedAt)]
    }

    /// `(?, ?, …)` with `count` placeholders, for `IN`.
    static func placeholders(_ count: Int) -> String {
        "(" + Array(repeating: "?", count: count).joined(separator: ", ") + ")"
    }
}
