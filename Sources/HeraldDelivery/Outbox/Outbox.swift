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
                guard let event = NotificationEvent(rawValue: event), let service = Service(rawValue: service) else {
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
                try db.execute(sql: "DELETE FROM routes WHERE event = ? AND service = ?", arguments: [event.rawValue, service.rawValue])
            } else {
                for scope in scopes {
                    try db.execute(
                        sql: "DELETE FROM routes WHERE event = ? AND service = ? AND scope = ?",
                        arguments: [event.rawValue, service.rawValue, scope])
                }
            }
            if enabled {
                for scope in Set(scopes) {
                    try db.execute(
                        sql: "INSERT INTO routes (event, service, scope) VALUES (?, ?, ?)",
                        arguments: [event.rawValue, service.rawValue, scope])
                }
            }
        }
    }

    // MARK: Deliveries

    /// In one transaction: records `message` for `event` and one pending delivery per destination of its routes,
    /// each with a fresh idempotency key. Records nothing when no route matches.
    func enqueue(event: NotificationEvent, message: NotificationMessage, now: Date) async throws(DeliveryError) -> NotificationReceipt {
        let id = UUID().uuidString.lowercased()
        let body = JSONWriter().bytes(message.jsonValue)
        let attachmentCount = message.parts.count { if case .attachment = $0 { true } else { false } }
        let ids: [Int64] = try await write { db in
            let destinations = try Row.fetchAll(
                db, sql: "SELECT service, scope FROM routes WHERE event = ? ORDER BY service, scope", arguments: [event.rawValue])
            guard !destinations.isEmpty else { return [] }
            try db.execute(
                sql: "INSERT INTO notifications (id, event, message, attachment_count, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [id, event.rawValue, Data(body), attachmentCount, now.timeIntervalSince1970])
            var ids: [Int64] = []
            for destination in destinations {
                try db.execute(
                    sql: """
                        INSERT INTO deliveries (notification_id, service, scope, idempotency_key, state, next_attempt_at, updated_at)
                        VALUES (?, ?, ?, ?, 'pending', ?, ?)
                        """,
                    arguments: [id, destination["service"], destination["scope"], UUID().uuidString.lowercased(),
                                now.timeIntervalSince1970, now.timeIntervalSince1970])
                ids.append(db.lastInsertedRowID)
            }
            return ids
        }
        guard !ids.isEmpty else { return NotificationReceipt(notificationID: nil, deliveries: []) }
        return NotificationReceipt(notificationID: id, deliveries: try await deliveries(notificationID: id, now: now))
    }

    /// The deliveries, newest first, optionally only those of one notification or in some states.
    public func deliveries(notificationID: String? = nil, states: Set<DeliveryState>? = nil, now: Date = Date()) async throws(DeliveryError) -> [DeliveryStatus] {
        var sql = """
            SELECT d.*, n.event, n.created_at FROM deliveries d JOIN notifications n ON n.id = d.notification_id
            """
        var arguments: StatementArguments = []
        if let notificationID {
            sql += " WHERE d.notification_id = ?"
            arguments += [notificationID]
        }
        sql += " ORDER BY d.id"
        let query = sql
        let queryArguments = arguments
        let statuses = try await read { db in
            try Row.fetchAll(db, sql: query, arguments: queryArguments).map { row in Result { () throws(DeliveryError) in try Self.status(row, now: now) } }
        }
        return try statuses.map { result throws(DeliveryError) in try result.get() }.filter { states?.contains($0.state) ?? true }
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

    /// In one transaction: takes up to `limit` deliveries that are due (pending and due, or in flight with an
    /// expired lease) for `owner`, marking each in flight with a lease from `lease(attachmentCount)`.
    func claim(limit: Int, owner: String, now: Date, lease: @escaping @Sendable (Int) -> Duration) async throws(DeliveryError) -> [ClaimedDelivery] {
        guard limit > 0 else { return [] }
        let time = now.timeIntervalSince1970
        return try await write { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT d.id, d.service, d.scope, d.idempotency_key, d.state, d.attempts, d.interrupted_attempts,
                        n.event, n.message, n.attachment_count
                    FROM deliveries d JOIN notifications n ON n.id = d.notification_id
                    WHERE (d.state = 'pending' AND d.next_attempt_at <= ?) OR (d.state = 'in_flight' AND d.lease_expires_at <= ?)
                    ORDER BY d.next_attempt_at, d.id LIMIT ?
                    """,
                arguments: [time, time, limit])
            var claimed: [ClaimedDelivery] = []
            for row in rows {
                let wasInterrupted = (row["state"] as String) == "in_flight"
                let attachmentCount: Int = row["attachment_count"]
                let expiry = time + lease(attachmentCount).seconds
                try db.execute(
                    sql: """
                        UPDATE deliveries SET state = 'in_flight', attempts = attempts + 1,
                            interrupted_attempts = interrupted_attempts + ?, lease_owner = ?, lease_expires_at = ?,
                            last_error = CASE WHEN ? THEN 'interrupted: the sender stopped during an attempt; outcome unknown' ELSE last_error END,
                            updated_at = ?
                        WHERE id = ?
                        """,
                    arguments: [wasInterrupted ? 1 : 0, owner, expiry, wasInterrupted, time, row["id"]])
                guard let service = Service(rawValue: row["service"]) else { continue }
                claimed.append(ClaimedDelivery(
                    id: row["id"], service: service, scope: row["scope"], event: row["event"],
                    idempotencyKey: row["idempotency_key"], attempt: (row["attempts"] as Int) + 1,
                    countedAttempts: (row["attempts"] as Int) + 1 - (row["interrupted_attempts"] as Int) - (wasInterrupted ? 1 : 0),
                    message: Array(row["message"] as Data)))
            }
            return claimed
        }
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
    /// in flight for another sender. `nil` when nothing is pending or in flight elsewhere.
    func nextDueDate(excludingOwner owner: String) async throws(DeliveryError) -> Date? {
        let time: Double? = try await read { db in
            try Double.fetchOne(
                db,
                sql: """
                    SELECT MIN(t) FROM (
                        SELECT MIN(next_attempt_at) AS t FROM deliveries WHERE state = 'pending'
                        UNION ALL
                        SELECT MIN(lease_expires_at) AS t FROM deliveries WHERE state = 'in_flight' AND lease_owner <> ?)
                    """,
                arguments: [owner])
        }
        return time.map { Date(timeIntervalSince1970: $0) }
    }

    // MARK: Plumbing

    private static func status(_ row: Row, now: Date) throws(DeliveryError) -> DeliveryStatus {
        guard let service = Service(rawValue: row["service"]), let event = NotificationEvent(rawValue: row["event"]) else {
            throw .storage("delivery \(row["id"] as Int64) names an unknown service or event")
        }
        let state: DeliveryState
        switch row["state"] as String {
        case "pending": state = .pending
        case "in_flight": state = (row["lease_expires_at"] as Double? ?? 0) <= now.timeIntervalSince1970 ? .interrupted : .sending
        case "delivered": state = .delivered
        default: state = .failed
        }
        return DeliveryStatus(
            id: row["id"], notificationID: row["notification_id"], event: event, service: service, scope: row["scope"],
            idempotencyKey: row["idempotency_key"], state: state, attempts: row["attempts"],
            interruptedAttempts: row["interrupted_attempts"], lastError: row["last_error"],
            nextAttemptAt: (row["next_attempt_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
            deliveredAt: (row["delivered_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
            reference: row["reference"], createdAt: Date(timeIntervalSince1970: row["created_at"]))
    }

    private func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(DeliveryError) -> T {
        do { return try await database.read(body) } catch { throw .storage(Self.describe(error)) }
    }

    private func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(DeliveryError) -> T {
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
    /// The stored `herald.message/v1` JSON.
    var message: [UInt8]

    /// The destination.
    var destination: Destination { Destination(service: service, scope: scope) }
}

/// How an attempt ended.
enum AttemptOutcome: Sendable {
    /// Accepted, with the service's reference.
    case delivered(reference: String?)
    /// To be tried again at a time.
    case retry(reason: String, at: Date)
    /// Given up.
    case failed(reason: String)
}
