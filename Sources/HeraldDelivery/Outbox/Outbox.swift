import Foundation
import GRDB
import Herald

/// The durable outbox: a SQLite file holding routes, notifications and one row per (notification, destination).
///
/// It is the source of truth for delivery. `enqueue` writes a notification and all its deliveries in one
/// transaction before any attempt. A delivery moves `pending → in flight → delivered | failed`; starting an
/// attempt is recorded (with a lease) before the first request goes out, so a sender that crashes leaves the row
/// in flight, and once the lease has expired any sender takes it over as interrupted and sends it again with the
/// same idempotency key. Outcomes are written only by the sender that holds the lease for that attempt number.
///
/// Several processes may share the file (WAL mode, waits up to 30 s for a lock).
public struct Outbox: Sendable {
    private let database: DatabaseQueue

    /// Opens (creating if needed) the outbox at `path`.
    public init(path: String) throws(DeliveryError) {
        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(30)
            configuration.journalMode = .wal
            database = try DatabaseQueue(path: path, configuration: configuration)
            try Self.migrator.migrate(database)
        } catch {
            throw .storage("cannot open \(path): \(Self.describe(error))")
        }
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE routes (
                    event TEXT NOT NULL, service TEXT NOT NULL, scope TEXT NOT NULL,
                    PRIMARY KEY (event, service, scope));
                CREATE TABLE notifications (
                    id TEXT PRIMARY KEY, event TEXT NOT NULL, message BLOB NOT NULL,
                    attachment_count INTEGER NOT NULL, created_at REAL NOT NULL);
                CREATE TABLE deliveries (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    notification_id TEXT NOT NULL REFERENCES notifications(id),
                    service TEXT NOT NULL, scope TEXT NOT NULL,
                    idempotency_key TEXT NOT NULL UNIQUE,
                    state TEXT NOT NULL CHECK (state IN ('pending', 'in_flight', 'delivered', 'failed')),
                    attempts INTEGER NOT NULL DEFAULT 0,
                    interrupted_attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at REAL, lease_owner TEXT, lease_expires_at REAL,
                    last_error TEXT, reference TEXT, delivered_at REAL, updated_at REAL NOT NULL,
                    UNIQUE (notification_id, service, scope));
                CREATE INDEX deliveries_pending ON deliveries(state, next_attempt_at);
                """)
        }
        // A notification a service receives as several messages: how many of them it has accepted, so that a later
        // attempt sends only the rest.
        migrator.registerMigration("v2-messages-sent") { db in
            try db.execute(sql: "ALTER TABLE deliveries ADD COLUMN messages_sent INTEGER NOT NULL DEFAULT 0")
        }
        registerTogglesMigration(in: &migrator)
        migrator.registerMigration("v3-destinations") { db in try createDestinationTables(db) }
        // Senders' idempotency keys for publishing: see PublicationKey.
        migrator.registerMigration("v4-publication-keys", migrate: PublicationKey.createTable)
        return migrator
    }

    // MARK: Routes

    /// Every route, sorted by event and service.
    public func routes() async throws(DeliveryError) -> [Route] {
        let rows = try await read { db in
            try Row.fetchAll(db, sql: "SELECT event, service, scope FROM routes ORDER BY event, service, scope").map {
                [$0["event"] as String, $0["service"] as String, $0["scope"] as String]
            }
        }
        var grouped: [String: [String: [String]]] = [:]
        for row in rows { grouped[row[0], default: [:]][row[1], default: []].append(row[2]) }
        var routes: [Route] = []
        for (event, services) in grouped {
            for (service, scopes) in services {
                guard let event = NotificationEvent(rawValue: event), let service = Service(id: service) else {
                    throw .storage("the routes table holds an unknown event or service (\(event), \(service))")
                }
                routes.append(Route(event: event, service: service, scopes: scopes))
            }
        }
        return routes.sorted()
    }

    /// In one transaction: replaces the scopes of `(event, service)` with `scopes` when `enabled`; otherwise removes
    /// `scopes` from it, or the whole route when `scopes` is empty.
    func setRoute(event: NotificationEvent, service: Service, enabled: Bool, scopes: [String]) async throws(DeliveryError) {
        try await write { db in
            if enabled || scopes.isEmpty {
                try db.execute(sql: "DELETE FROM routes WHERE event = ? AND service = ?", arguments: [event.rawValue, service.id])
            } else {
                for scope in scopes {
                    try db.execute(
                        sql: "DELETE FROM routes WHERE event = ? AND service = ? AND scope = ?",
                        arguments: [event.rawValue, service.id, scope])
                }
            }
            if enabled {
                for scope in Set(scopes) {
                    try db.execute(
                        sql: "INSERT INTO routes (event, service, scope) VALUES (?, ?, ?)",
                        arguments: [event.rawValue, service.id, scope])
                }
            }
        }
    }

    // MARK: Deliveries

    /// In one transaction: records `message` for `event` and one pending delivery per destination of its routes
    /// whose toggle of `feature` (the event's) is on, each with a fresh idempotency key. Records nothing when no
    /// such destination remains (the receipt names the destinations a toggle left out), or when `key` was seen
    /// within its window (then the earlier publication is answered); otherwise remembers `key` with what it
    /// published.
    func enqueue(
        event: NotificationEvent, message: NotificationMessage, feature: Feature?, now: Date, key: PublicationKey? = nil
    ) async throws(DeliveryError) -> Publication {
        let id = UUID().uuidString.lowercased()
        let body = JSONWriter().bytes(message.jsonValue)
        let attachmentCount = message.parts.count { if case .attachment = $0 { true } else { false } }
        let outcome: Enqueueing = try await write { db in
            if let earlier = try key?.earlier(in: db, now: now) { return earlier }
            let routed: [(service: String, scope: String)] = try Row.fetchAll(
                db, sql: "SELECT service, scope FROM routes WHERE event = ? ORDER BY service, scope", arguments: [event.rawValue]
            ).map { ($0["service"], $0["scope"]) }
            let known = routed.compactMap { route in Service(id: route.service).map { Destination(service: $0, scope: route.scope) } }
            let skipped = try feature.map { try Self.toggledOff(db, destinations: known, feature: $0) } ?? []
            let destinations = routed.filter { route in !skipped.contains { $0.service.id == route.service && $0.scope == route.scope } }
            guard !destinations.isEmpty else {
                try key?.remember(notificationID: nil, in: db, now: now)
                return .recorded(notificationID: nil, toggledOff: skipped.sorted())
            }
            try db.execute(
                sql: "INSERT INTO notifications (id, event, message, attachment_count, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [id, event.rawValue, Data(body), attachmentCount, now.timeIntervalSince1970])
            for destination in destinations {
                try db.execute(
                    sql: """
                        INSERT INTO deliveries (notification_id, service, scope, idempotency_key, state, next_attempt_at, updated_at)
                        VALUES (?, ?, ?, ?, 'pending', ?, ?)
                        """,
                    arguments: [id, destination.service, destination.scope, UUID().uuidString.lowercased(),
                                now.timeIntervalSince1970, now.timeIntervalSince1970])
            }
            try key?.remember(notificationID: id, in: db, now: now)
            return .recorded(notificationID: id, toggledOff: skipped.sorted())
        }
        func receipt(_ id: String?, toggledOff: [Destination]) async throws(DeliveryError) -> NotificationReceipt {
            guard let id else { return NotificationReceipt(notificationID: nil, deliveries: [], toggledOff: toggledOff, feature: feature) }
            return NotificationReceipt(
                notificationID: id, deliveries: try await deliveries(notificationID: id, now: now), toggledOff: toggledOff, feature: feature)
        }
        switch outcome {
        case .recorded(let id, let toggledOff): return .recorded(try await receipt(id, toggledOff: toggledOff))
        case .replayed(let id): return .replayed(try await receipt(id, toggledOff: []))
        case .keyReused(let key): return .keyReused(key)
        }
    }

    /// The deliveries in id order, optionally only those of one notification or in some states. Rows this version
    /// cannot read are left out: ``entries(notificationID:states:now:)`` shows them.
    public func deliveries(notificationID: String? = nil, states: Set<DeliveryState>? = nil, now: Date = Date()) async throws(DeliveryError) -> [DeliveryStatus] {
        try await entries(notificationID: notificationID, states: states, now: now).compactMap(\.status)
    }

    /// Every delivery row in id order, optionally only those of one notification or in some states, each read or
    /// marked unreadable (an unknown service, event or state, as a newer version of Herald may write). One bad
    /// row never hides the others. Unreadable rows are in no state: a `states` filter leaves them out.
    public func entries(notificationID: String? = nil, states: Set<DeliveryState>? = nil, now: Date = Date()) async throws(DeliveryError) -> [OutboxEntry] {
        var sql = Self.entrySelection
        var arguments: StatementArguments = []
        if let notificationID {
            sql += " WHERE d.notification_id = ?"
            arguments += [notificationID]
        }
        sql += " ORDER BY d.id"
        let query = sql
        let queryArguments = arguments
        let entries = try await read { db in
            try Row.fetchAll(db, sql: query, arguments: queryArguments).map { Self.entry($0, now: now) }
        }
        guard let states else { return entries }
        return entries.filter { $0.status.map { states.contains($0.state) } ?? false }
    }

    /// The last `limit` deliveries to `destination`, newest first, each read or marked unreadable as in
    /// ``entries(notificationID:states:now:)``: what a channel's page shows as its recent deliveries.
    public func recentEntries(to destination: Destination, limit: Int, now: Date = Date()) async throws(DeliveryError) -> [OutboxEntry] {
        let query = Self.entrySelection + " WHERE d.service = ? AND d.scope = ? ORDER BY d.id DESC LIMIT ?"
        let arguments: StatementArguments = [destination.service.id, destination.scope, max(0, limit)]
        return try await read { db in
            try Row.fetchAll(db, sql: query, arguments: arguments).map { Self.entry($0, now: now) }
        }
    }

    /// The rows ``entry(_:now:)`` reads: a delivery with its notification's event and creation time.
    private static let entrySelection = """
        SELECT d.*, n.event, n.created_at FROM deliveries d JOIN notifications n ON n.id = d.notification_id
        """

    /// Deletes the deliveries `ids` that are not being attempted by a live sender, and notifications left without
    /// deliveries; returns the ids deleted.
    public func drop(ids: [Int64], now: Date = Date()) async throws(DeliveryError) -> [Int64] {
        let time = now.timeIntervalSince1970
        return try await write { db in
            var dropped: [Int64] = []
            for id in ids {
                try db.execute(
                    sql: "DELETE FROM deliveries WHERE id = ? AND NOT (state = 'in_flight' AND lease_expires_at > ?)",
                    arguments: [id, time])
                if db.changesCount == 1 { dropped.append(id) }
            }
            try db.execute(sql: "DELETE FROM notifications WHERE id NOT IN (SELECT notification_id FROM deliveries)")
            return dropped
        }
    }

    /// How many deliveries are in each state, per service, for the services this version knows; unreadable rows
    /// are not counted.
    public func deliveryCounts(now: Date = Date()) async throws(DeliveryError) -> [DeliveryCount] {
        let time = now.timeIntervalSince1970
        let rows = try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT service, CASE WHEN state = 'in_flight' AND lease_expires_at <= ? THEN 'interrupted'
                        WHEN state = 'in_flight' THEN 'sending' ELSE state END AS shown, COUNT(*) AS count
                    FROM deliveries GROUP BY service, shown
                    """,
                arguments: [time]
            ).map { ($0["service"] as String, $0["shown"] as String, $0["count"] as Int) }
        }
        return rows.compactMap { service, state, count in
            guard let service = Service(id: service), let state = DeliveryState(rawValue: state) else { return nil }
            return DeliveryCount(service: service, state: state, count: count)
        }
    }

    /// Reads the database once, throwing ``DeliveryError/storage(_:)`` when it does not answer.
    public func checkReadable() async throws(DeliveryError) {
        _ = try await read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM routes") }
    }

    /// Ends the leases `owner` holds at `now`, so that the next sender takes those deliveries over at once (as
    /// interrupted: their outcome is unknown) instead of waiting for the leases to expire; returns how many.
    func releaseLeases(owner: String, now: Date) async throws(DeliveryError) -> Int {
        try await write { db in
            try db.execute(
                sql: "UPDATE deliveries SET lease_expires_at = ?, updated_at = ? WHERE state = 'in_flight' AND lease_owner = ?",
                arguments: [now.timeIntervalSince1970, now.timeIntervalSince1970, owner])
            return db.changesCount
        }
    }

    /// Every route as stored, service and event unparsed: what ``routes()`` would refuse is here too.
    func storedRoutes() async throws(DeliveryError) -> [StoredRoute] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT event, service, scope FROM routes ORDER BY event, service, scope").map {
                StoredRoute(event: $0["event"], service: $0["service"], scope: $0["scope"])
            }
        }
    }

    /// Puts failed deliveries (all, or those in `ids`) back to pending with a fresh attempt budget; returns how
    /// many. Their idempotency keys stay the same.
    public func retryFailed(ids: [Int64]? = nil, now: Date = Date()) async throws(DeliveryError) -> Int {
        try await write { db in
            let update = """
                UPDATE deliveries SET state = 'pending', attempts = 0, interrupted_attempts = 0, next_attempt_at = ?,
                    lease_owner = NULL, lease_expires_at = NULL, updated_at = ?
                WHERE state = 'failed'
                """
            guard let ids else {
                try db.execute(sql: update, arguments: [now.timeIntervalSince1970, now.timeIntervalSince1970])
                return db.changesCount
            }
            var count = 0
            for id in ids {
                try db.execute(sql: update + " AND id = ?", arguments: [now.timeIntervalSince1970, now.timeIntervalSince1970, id])
                count += db.changesCount
            }
            return count
        }
    }

    /// In one transaction: takes up to `limit` deliveries that are due for `owner`, marking each in flight with a
    /// lease of `policy.lease(forRequests:)` (one request per attachment, plus one).
    ///
    /// Due means pending and due, or in flight for another sender with an expired lease (interrupted): a sender
    /// never takes its own rows over, since it knows it is still attempting them. A delivery interrupted for the
    /// `policy.maximumInterruptedAttempts`th time fails instead of being taken. Rows of a service this version
    /// does not know are left alone.
    func claim(limit: Int, owner: String, now: Date, policy: DeliveryPolicy) async throws(DeliveryError) -> ClaimBatch {
        guard limit > 0 else { return ClaimBatch() }
        let time = now.timeIntervalSince1970
        let services = Service.catalogue.map(\.id)
        return try await write { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT d.id, d.service, d.scope, d.idempotency_key, d.state, d.attempts, d.interrupted_attempts,
                        d.messages_sent, n.event, n.message, n.attachment_count
                    FROM deliveries d JOIN notifications n ON n.id = d.notification_id
                    WHERE ((d.state = 'pending' AND d.next_attempt_at <= ?)
                        OR (d.state = 'in_flight' AND d.lease_expires_at <= ? AND d.lease_owner IS NOT ?))
                        AND d.service IN \(Self.placeholders(services.count))
                    ORDER BY d.next_attempt_at, d.id LIMIT ?
                    """,
                arguments: [time, time, owner] as StatementArguments + StatementArguments(services) + [limit])
            var batch = ClaimBatch()
            for row in rows {
                guard let service = Service(id: row["service"]) else { continue }  // excluded by the query
                let wasInterrupted = (row["state"] as String) == "in_flight"
                let interruptions = (row["interrupted_attempts"] as Int) + (wasInterrupted ? 1 : 0)
                if wasInterrupted, interruptions >= policy.maximumInterruptedAttempts {
                    try db.execute(
                        sql: """
                            UPDATE deliveries SET state = 'failed', interrupted_attempts = ?, last_error = ?,
                                lease_owner = NULL, lease_expires_at = NULL, next_attempt_at = NULL, updated_at = ?
                            WHERE id = ?
                            """,
                        arguments: [interruptions, Self.interruptedReason(interruptions), time, row["id"]])
                    batch.abandoned.append(row["id"])
                    continue
                }
                let attachmentCount: Int = row["attachment_count"]
                let expiry = time + policy.lease(forRequests: attachmentCount + 1).seconds
                try db.execute(
                    sql: """
                        UPDATE deliveries SET state = 'in_flight', attempts = attempts + 1,
                            interrupted_attempts = ?, lease_owner = ?, lease_expires_at = ?,
                            last_error = CASE WHEN ? THEN 'interrupted: the sender stopped during an attempt; outcome unknown' ELSE last_error END,
                            updated_at = ?
                        WHERE id = ?
                        """,
                    arguments: [interruptions, owner, expiry, wasInterrupted, time, row["id"]])
                batch.deliveries.append(ClaimedDelivery(
                    id: row["id"], service: service, scope: row["scope"], event: row["event"],
                    idempotencyKey: row["idempotency_key"], attempt: (row["attempts"] as Int) + 1,
                    countedAttempts: (row["attempts"] as Int) + 1 - interruptions,
                    attachmentCount: attachmentCount, messagesSent: row["messages_sent"], message: Array(row["message"] as Data)))
            }
            return batch
        }
    }

    /// Extends the lease of attempt `claim.attempt` to `now + duration`, if `owner` still holds it; returns
    /// whether it did.
    func renewLease(of claim: ClaimedDelivery, owner: String, now: Date, duration: Duration) async throws(DeliveryError) -> Bool {
        let expiry = now.timeIntervalSince1970 + duration.seconds
        return try await write { db in
            try db.execute(
                sql: """
                    UPDATE deliveries SET lease_expires_at = ?
                    WHERE id = ? AND state = 'in_flight' AND lease_owner = ? AND attempts = ?
                    """,
                arguments: [expiry, claim.id, owner, claim.attempt])
            return db.changesCount == 1
        }
    }

    /// Records that the service accepted the first `count` messages of attempt `claim.attempt`, if `owner` still
    /// holds it; returns whether it did. A later attempt starts after them.
    func recordMessagesSent(_ count: Int, of claim: ClaimedDelivery, owner: String, now: Date) async throws(DeliveryError) -> Bool {
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE deliveries SET messages_sent = ?, updated_at = ?
                    WHERE id = ? AND state = 'in_flight' AND lease_owner = ? AND attempts = ?
                    """,
                arguments: [count, now.timeIntervalSince1970, claim.id, owner, claim.attempt])
            return db.changesCount == 1
        }
    }

    /// Why a delivery interrupted `count` times failed.
    static func interruptedReason(_ count: Int) -> String {
        "interrupted \(count) times: its sender stopped during each of those attempts, so their outcome is unknown; 'herald outbox retry' sends it again"
    }

    /// Records the outcome of attempt `claim.attempt`, if `owner` still holds it; returns whether it did.
    @discardableResult
    func record(_ outcome: AttemptOutcome, of claim: ClaimedDelivery, owner: String, now: Date) async throws(DeliveryError) -> Bool {
        let time = now.timeIntervalSince1970
        return try await write { db in
            let fence = " WHERE id = ? AND state = 'in_flight' AND lease_owner = ? AND attempts = ?"
            let fenceArguments: StatementArguments = [claim.id, owner, claim.attempt]
            switch outcome {
            case .delivered(let reference):
                try db.execute(
                    sql: "UPDATE deliveries SET state = 'delivered', delivered_at = ?, reference = ?, last_error = NULL, lease_owner = NULL, lease_expires_at = NULL, next_attempt_at = NULL, updated_at = ?" + fence,
                    arguments: [time, reference, time] + fenceArguments)
            case .retry(let reason, let at):
                try db.execute(
                    sql: "UPDATE deliveries SET state = 'pending', next_attempt_at = ?, last_error = ?, lease_owner = NULL, lease_expires_at = NULL, updated_at = ?" + fence,
                    arguments: [at.timeIntervalSince1970, reason, time] + fenceArguments)
            case .failed(let reason):
                try db.execute(
                    sql: "UPDATE deliveries SET state = 'failed', last_error = ?, lease_owner = NULL, lease_expires_at = NULL, next_attempt_at = NULL, updated_at = ?" + fence,
                    arguments: [reason, time] + fenceArguments)
            }
            return db.changesCount == 1
        }
    }

    /// The earliest time another delivery becomes due: a pending row's next attempt or the lease expiry of a row
    /// in flight for another sender, among the services this version knows. `nil` when nothing is pending or in
    /// flight elsewhere.
    func nextDueDate(excludingOwner owner: String) async throws(DeliveryError) -> Date? {
        let services = Service.catalogue.map(\.id)
        let known = "service IN \(Self.placeholders(services.count))"
        let time: Double? = try await read { db in
            try Double.fetchOne(
                db,
                sql: """
                    SELECT MIN(t) FROM (
                        SELECT MIN(next_attempt_at) AS t FROM deliveries WHERE state = 'pending' AND \(known)
                        UNION ALL
                        SELECT MIN(lease_expires_at) AS t FROM deliveries
                        WHERE state = 'in_flight' AND lease_owner IS NOT ? AND \(known))
                    """,
                arguments: StatementArguments(services) + [owner] + StatementArguments(services))
        }
        return time.map { Date(timeIntervalSince1970: $0) }
    }

    // MARK: Plumbing

    private static func entry(_ row: Row, now: Date) -> OutboxEntry {
        let id: Int64 = row["id"]
        let serviceName: String = row["service"]
        let eventName: String = row["event"]
        guard let service = Service(id: serviceName) else {
            return .unreadable(UnreadableDelivery(id: id, reason: "unknown service \(quoted(serviceName, limit: 80))"))
        }
        guard let event = NotificationEvent(rawValue: eventName) else {
            return .unreadable(UnreadableDelivery(id: id, reason: "unknown event \(quoted(eventName, limit: 80))"))
        }
        let state: DeliveryState
        let stateName: String = row["state"]
        switch stateName {
        case "pending": state = .pending
        case "in_flight": state = (row["lease_expires_at"] as Double? ?? 0) <= now.timeIntervalSince1970 ? .interrupted : .sending
        case "delivered": state = .delivered
        case "failed": state = .failed
        default: return .unreadable(UnreadableDelivery(id: id, reason: "unknown state \(quoted(stateName, limit: 80))"))
        }
        return .delivery(DeliveryStatus(
            id: id, notificationID: row["notification_id"], event: event, service: service, scope: row["scope"],
            idempotencyKey: row["idempotency_key"], state: state, attempts: row["attempts"],
            interruptedAttempts: row["interrupted_attempts"], lastError: row["last_error"],
            nextAttemptAt: (row["next_attempt_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
            deliveredAt: (row["delivered_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
            reference: row["reference"], createdAt: Date(timeIntervalSince1970: row["created_at"])))
    }

    /// `(?, ?, …)` with `count` placeholders, for `IN`.
    private static func placeholders(_ count: Int) -> String {
        "(" + Array(repeating: "?", count: count).joined(separator: ", ") + ")"
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(DeliveryError) -> T {
        do { return try await database.read(body) } catch { throw .storage(Self.describe(error)) }
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(DeliveryError) -> T {
        do { return try await database.write(body) } catch { throw .storage(Self.describe(error)) }
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return "SQLite error \(error.resultCode.rawValue): \(error.message ?? "unknown")" }
        if error is CancellationError { return "cancelled" }
        return String(describing: error)
    }
}

/// A delivery taken for one attempt.
struct ClaimedDelivery: Sendable {
    /// The delivery's id.
    var id: Int64
    /// The service.
    var service: Service
    /// The scope.
    var scope: String
    /// The notification's event name.
    var event: String
    /// The idempotency key.
    var idempotencyKey: String
    /// This attempt's number, counting interrupted ones: the fencing token for recording its outcome.
    var attempt: Int
    /// This attempt's number, not counting interrupted ones: what the retry budget counts.
    var countedAttempts: Int
    /// The message's attachments: its lease allows one request per attachment, plus one.
    var attachmentCount: Int
    /// How many of the notification's messages the service has accepted in earlier attempts.
    var messagesSent: Int
    /// The stored `herald.message/v1` JSON.
    var message: [UInt8]

    /// The destination.
    var destination: Destination { Destination(service: service, scope: scope) }
}

/// What one claim took: deliveries to attempt, and those it failed for having been interrupted too often.
struct ClaimBatch: Sendable {
    /// The deliveries now in flight for the claiming sender.
    var deliveries: [ClaimedDelivery] = []
    /// The ids of deliveries failed instead, after ``DeliveryPolicy/maximumInterruptedAttempts`` interruptions.
    var abandoned: [Int64] = []
}

/// One route as the outbox stores it: an event's name, a service's name and a scope, none of them checked.
public struct StoredRoute: Hashable, Sendable {
    /// The event name.
    public var event: String
    /// The service name.
    public var service: String
    /// The scope.
    public var scope: String
}

/// How an attempt ended.
enum AttemptOutcome: Sendable {
    /// Accepted, with the service's reference.
    case delivered(reference: String?)
    /// To be tried again at a time.
    case retry(reason: String, at: Date)
    /// Given up.
    case failed(reason: String)

    /// `delivered`, `retry` or `failed`, for metrics.
    var name: String {
        switch self {
        case .delivered: "delivered"
        case .retry: "retry"
        case .failed: "failed"
        }
    }
}
