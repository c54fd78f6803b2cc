import Foundation
import GRDB

/// The outbox in a SQLite file (GRDB): the embedded default, shared by the processes of one machine (WAL mode,
/// waits up to 30 s for a lock).
struct SQLiteOutboxStorage: OutboxStorage {
    private let database: DatabaseQueue

    /// Opens (creating if needed) the outbox at `path` and applies its migrations.
    init(path: String) throws(DeliveryError) {
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
        // Per-destination feature toggle overrides: (service, scope, feature) → enabled.
        migrator.registerMigration("v3-toggles") { db in
            try db.execute(sql: """
                CREATE TABLE toggles (
                    service TEXT NOT NULL, scope TEXT NOT NULL, feature TEXT NOT NULL,
                    enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
                    PRIMARY KEY (service, scope, feature));
                """)
        }
        // Destinations created at run time and their version counter: see StoredDestination.
        migrator.registerMigration("v3-destinations") { db in
            try db.execute(sql: """
                CREATE TABLE destinations (
                    service TEXT NOT NULL, name TEXT NOT NULL,
                    settings BLOB NOT NULL, secret_names TEXT NOT NULL, sealed_secrets BLOB,
                    created_at REAL NOT NULL, updated_at REAL NOT NULL,
                    PRIMARY KEY (service, name));
                CREATE TABLE destinations_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
                INSERT INTO destinations_version (id, version) VALUES (1, 0);
                """)
        }
        // Senders' idempotency keys for publishing: see PublicationKey.
        migrator.registerMigration("v4-publication-keys") { db in
            try db.execute(sql: """
                CREATE TABLE publication_keys (
                    caller TEXT NOT NULL, key TEXT NOT NULL, request_digest TEXT NOT NULL,
                    notification_id TEXT, created_at REAL NOT NULL,
                    PRIMARY KEY (caller, key));
                CREATE INDEX publication_keys_age ON publication_keys(created_at);
                """)
        }
        // Each destination's unfinished deliveries in order: a claim takes only the head of each queue.
        migrator.registerMigration("v3-destination-order") { db in
            try db.execute(sql: OutboxSQL.destinationOrderIndex)
        }
        // Rate limits counted across every process sharing the file (RateLimitSQL).
        migrator.registerMigration("v10-rate-limits") { db in
            for statement in RateLimitSQL.migration { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v11-claim-by-heads") { db in
            for statement in OutboxSQL.claimByHeads { try db.execute(sql: statement) }
        }
        return migrator
    }

    func storedRoutes() async throws(DeliveryError) -> [StoredRoute] {
        try await read { db in
            try Self.query(db, OutboxSQL.routes).map { StoredRoute(event: $0[0].string ?? "", service: $0[1].string ?? "", scope: $0[2].string ?? "") }
        }
    }

    func setRoute(event: String, service: String, enabled: Bool, scopes: [String]) async throws(DeliveryError) {
        try await write { db in
            if enabled || scopes.isEmpty {
                try Self.query(db, OutboxSQL.deleteRoute, [.text(event), .text(service)])
            } else {
                for scope in scopes { try Self.query(db, OutboxSQL.deleteRouteScope, [.text(event), .text(service), .text(scope)]) }
            }
            if enabled {
                for scope in Set(scopes) { try Self.query(db, OutboxSQL.insertRoute, [.text(event), .text(service), .text(scope)]) }
            }
        }
    }

    func enqueue(_ request: EnqueueRequest, now: Date) async throws(DeliveryError) -> Enqueueing {
        let notification = request.notification
        return try await write { db in
            if let key = request.key {
                try Self.query(db, OutboxSQL.forgetExpiredKeys, OutboxSQL.keyHorizon(now))
                if let row = try Self.query(db, OutboxSQL.publicationKey, [.text(key.caller), .text(key.key)]).first { return key.earlier(row) }
            }
            let routed = try Self.query(db, OutboxSQL.routedDestinations, [.text(notification.event)])
            let overrides = try request.feature.map { try Self.query(db, OutboxSQL.togglesOfFeature, [.text($0.id)]) } ?? []
            let plan = OutboxSQL.plan(routed: routed, overrides: overrides, feature: request.feature)
            let recorded = plan.write.isEmpty ? nil : notification.id
            if recorded != nil { try Self.query(db, OutboxSQL.insertNotification, OutboxSQL.notificationArguments(notification)) }
            for destination in plan.write {
                try Self.query(db, OutboxSQL.insertPending, OutboxSQL.pendingArguments(notification, destination: destination, now: now))
            }
            if let key = request.key { try Self.query(db, OutboxSQL.rememberKey, key.rememberArguments(notificationID: recorded, now: now)) }
            return .recorded(notificationID: recorded, toggledOff: plan.toggledOff)
        }
    }

    func toggleOverrides(service: String?, scope: String?) async throws(DeliveryError) -> [StoredToggle] {
        let (sql, arguments) = OutboxSQL.toggleOverrides(service: service, scope: scope)
        return try await read { db in try Self.query(db, sql, arguments).map(OutboxSQL.toggle) }
    }

    func setToggles(_ changes: [ToggleChange], service: String, scope: String) async throws(DeliveryError) {
        try await write { db in
            for change in changes {
                let (sql, arguments) = OutboxSQL.toggleChange(change, service: service, scope: scope)
                try Self.query(db, sql, arguments)
            }
        }
    }

    func storedDestinations(unlessVersion known: Int?) async throws(DeliveryError) -> (version: Int, rows: [StoredDestination])? {
        try await read { db in
            let version = try Self.query(db, OutboxSQL.destinationsVersion).first?[0].int ?? 0
            if version == known { return nil }
            return (version, try Self.query(db, OutboxSQL.destinations).map(StoredDestination.init(row:)))
        }
    }

    func insert(_ destination: StoredDestination, limit: Int) async throws(DeliveryError) -> DestinationWrite {
        try await write { db in
            let exists = try Self.query(db, OutboxSQL.destinationExists, [.text(destination.service), .text(destination.name)])[0][0].int > 0
            let count = try Self.query(db, OutboxSQL.destinationCount, [.text(destination.service)])[0][0].int
            if let refused = OutboxSQL.insertion(exists: exists, count: count, limit: limit) { return refused }
            try Self.query(db, OutboxSQL.insertDestination, destination.arguments)
            try Self.query(db, OutboxSQL.bumpDestinationsVersion)
            return .done
        }
    }

    func replace(_ destination: StoredDestination) async throws(DeliveryError) -> DestinationWrite {
        try await write { db in
            guard try Self.query(db, OutboxSQL.replaceDestination, OutboxSQL.replaceArguments(destination)).count == 1 else { return .missing }
            try Self.query(db, OutboxSQL.bumpDestinationsVersion)
            return .done
        }
    }

    func deleteDestination(service: String, name: String) async throws(DeliveryError) -> DestinationWrite {
        let arguments: [SQLValue] = [.text(service), .text(name)]
        return try await write { db in
            let exists = try Self.query(db, OutboxSQL.destinationExists, arguments)[0][0].int > 0
            let routes = try Self.query(db, OutboxSQL.routesOfDestination, arguments)[0][0].int
            let deliveries = try Self.query(db, OutboxSQL.undeliveredOfDestination, arguments)[0][0].int
            if let refused = OutboxSQL.deletion(exists: exists, routes: routes, deliveries: deliveries) { return refused }
            try Self.query(db, OutboxSQL.deleteDestination, arguments)
            try Self.query(db, OutboxSQL.bumpDestinationsVersion)
            return .done
        }
    }

    func rows(notificationID: String?) async throws(DeliveryError) -> [DeliveryRow] {
        try await read { db in
            let rows = if let notificationID {
                try Self.query(db, OutboxSQL.rowsOfNotification, [.text(notificationID)])
            } else {
                try Self.query(db, OutboxSQL.allRows)
            }
            return rows.map(OutboxSQL.deliveryRow)
        }
    }

    func newestRows(of destination: Destination, limit: Int) async throws(DeliveryError) -> [DeliveryRow] {
        try await read { db in
            try Self.query(db, OutboxSQL.newestRowsOfDestination, [.text(destination.service.id), .text(destination.scope), .integer(Int64(max(0, limit)))])
                .map(OutboxSQL.deliveryRow)
        }
    }

    func drop(ids: [Int64], now: Date) async throws(DeliveryError) -> [Int64] {
        try await write { db in
            let dropped = try ids.flatMap { try Self.query(db, OutboxSQL.drop, [.integer($0), .real(now.timeIntervalSince1970)]).map { $0[0].int64 } }
            try Self.query(db, OutboxSQL.dropOrphanedNotifications)
            return dropped
        }
    }

    func pruneDelivered(before: Double, limit: Int) async throws(DeliveryError) -> Int {
        try await write { db in
            let notifications = try Self.query(db, OutboxSQL.pruneDelivered, [.real(before), SQLValue(limit)])
            for id in Set(notifications.map { $0[0] }) { try Self.query(db, OutboxSQL.dropFinishedNotification, [id]) }
            return notifications.count
        }
    }

    func stateCounts(now: Date) async throws(DeliveryError) -> [StateCount] {
        try await read { db in
            try Self.query(db, OutboxSQL.stateCounts, [.real(now.timeIntervalSince1970)])
                .map { StateCount(service: $0[0].string ?? "", state: $0[1].string ?? "", count: $0[2].int) }
        }
    }

    func checkReadable() async throws(DeliveryError) {
        _ = try await read { db in try Self.query(db, OutboxSQL.countRoutes) }
    }

    func releaseLeases(owner: String, now: Date) async throws(DeliveryError) -> Int {
        let time = SQLValue.real(now.timeIntervalSince1970)
        return try await write { db in try Self.query(db, OutboxSQL.releaseLeases, [time, time, .text(owner)]).count }
    }

    func retryFailed(ids: [Int64]?, now: Date) async throws(DeliveryError) -> Int {
        let time = SQLValue.real(now.timeIntervalSince1970)
        return try await write { db in
            guard let ids else { return try Self.query(db, OutboxSQL.retryFailed + " RETURNING id", [time, time]).count }
            return try ids.reduce(0) { count, id in
                count + (try Self.query(db, OutboxSQL.retryFailed + " AND id = ? RETURNING id", [time, time, .integer(id)]).count)
            }
        }
    }

    func claim(_ request: ClaimRequest) async throws(DeliveryError) -> ClaimBatch {
        try await write { db in try Self.claim(request, in: db) }
    }

    private static func claim(_ request: ClaimRequest, in db: Database) throws -> ClaimBatch {
        let time = request.now.timeIntervalSince1970
        let candidates = try query(db, OutboxSQL.claimable(.sqlite), OutboxSQL.claimArguments(request))
        var batch = ClaimBatch()
        for candidate in candidates.map(OutboxSQL.claimCandidate) {
            guard let decision = ClaimDecision.decide(candidate, now: request.now, policy: request.policy) else { continue }
            let (sql, arguments) = OutboxSQL.apply(decision, id: candidate.id, owner: request.owner, time: time, to: &batch)
            try query(db, sql, arguments)
        }
        if !batch.deliveries.isEmpty { batch.destinationsVersion = try query(db, OutboxSQL.destinationsVersion).first?[0].int ?? 0 }
        return batch
    }

    func renewLease(id: Int64, attempt: Int, owner: String, expiry: Double) async throws(DeliveryError) -> Bool {
        try await write { db in
            try Self.query(db, OutboxSQL.renewLease, [.real(expiry)] + OutboxSQL.fenceArguments(id: id, owner: owner, attempt: attempt)).count == 1
        }
    }

    func recordMessagesSent(_ count: Int, id: Int64, attempt: Int, owner: String, now: Date) async throws(DeliveryError) -> Bool {
        try await write { db in
            try Self.query(
                db, OutboxSQL.messagesSent,
                [SQLValue(count), .real(now.timeIntervalSince1970)] + OutboxSQL.fenceArguments(id: id, owner: owner, attempt: attempt)
            ).count == 1
        }
    }

    func record(
        _ outcome: AttemptOutcome, id: Int64, attempt: Int, owner: String, now: Date, thenClaim next: ClaimRequest?
    ) async throws(DeliveryError) -> (recorded: Bool, next: ClaimBatch) {
        let (sql, arguments) = OutboxSQL.record(outcome, time: now.timeIntervalSince1970)
        return try await write { db in
            guard try Self.query(db, sql, arguments + OutboxSQL.fenceArguments(id: id, owner: owner, attempt: attempt)).count == 1 else {
                return (false, ClaimBatch())
            }
            for (sql, arguments) in RateLimitSQL.holding(outcome) { try Self.query(db, sql, arguments) }
            return (true, try next.map { try Self.claim($0, in: db) } ?? ClaimBatch())
        }
    }

    func takeRateLimitSlots(_ rules: [RateLimitRule], now: Date) async throws(DeliveryError) -> (at: Double, taken: Bool) {
        let time = now.timeIntervalSince1970
        let rules = RateLimitSQL.ordered(rules)
        return try await write { db in
            var keys: [RateLimitSQL.KeyState] = []
            for rule in rules {
                let heldUntil = try Self.query(db, RateLimitSQL.lockKey, [.text(rule.key)]).first?[0].double ?? 0
                let recent = try Self.query(db, RateLimitSQL.recentSends, RateLimitSQL.recentArguments(rule, time: time)).compactMap { $0[0].double }
                keys.append(RateLimitSQL.KeyState(rule: rule, heldUntil: heldUntil, recent: recent))
            }
            let slot = RateLimitSQL.slot(keys, time: time)
            guard slot.free else { return (slot.at, false) }
            for (sql, arguments) in RateLimitSQL.taking(rules, time: slot.at) { try Self.query(db, sql, arguments) }
            return (slot.at, true)
        }
    }

    func settleRateLimitSlots(_ rules: [RateLimitRule], slot: Double, answered: Double) async throws(DeliveryError) {
        try await write { db in
            for (sql, arguments) in RateLimitSQL.settling(rules, slot: slot, answered: answered) { try Self.query(db, sql, arguments) }
        }
    }

    func nextDueTime(excludingOwner owner: String) async throws(DeliveryError) -> Double? {
        try await read { db in
            try Self.query(db, OutboxSQL.nextDue(.sqlite), OutboxSQL.nextDueArguments(owner: owner)).first?[0].double
        }
    }

    func exportUnfinished(now: Date) async throws(DeliveryError) -> OutboxTransfer {
        let time = SQLValue.real(now.timeIntervalSince1970)
        return try await read { db in
            var transfer = OutboxTransfer()
            transfer.routes = try Self.query(db, OutboxSQL.routes).map {
                StoredRoute(event: $0[0].string ?? "", service: $0[1].string ?? "", scope: $0[2].string ?? "")
            }
            transfer.notifications = try Self.query(db, OutboxSQL.notificationsOfUnfinished, [time]).map(OutboxSQL.notification)
            transfer.deliveries = try Self.query(db, OutboxSQL.unfinishedRows, [time]).map(OutboxSQL.deliveryRow)
            transfer.inFlight = try Self.query(db, OutboxSQL.liveInFlight, [time]).first?[0].int ?? 0
            transfer.destinations = try Self.query(db, OutboxSQL.destinations).map(StoredDestination.init(row:))
            transfer.toggles = try Self.query(db, OutboxSQL.toggleOverrides(service: nil, scope: nil).0).map(OutboxSQL.toggle)
            return transfer
        }
    }

    func importTransfer(_ transfer: OutboxTransfer) async throws(DeliveryError) -> Int {
        try await write { db in
            for route in transfer.routes {
                try Self.query(db, OutboxSQL.insertRoute, [.text(route.event), .text(route.service), .text(route.scope)])
            }
            for notification in transfer.notifications {
                try Self.query(db, OutboxSQL.insertNotification, OutboxSQL.notificationArguments(notification))
            }
            let added = try transfer.destinations.reduce(0) { count, row in
                count + (try Self.query(db, OutboxSQL.insertDestination, row.arguments).count)
            }
            if added > 0 { try Self.query(db, OutboxSQL.bumpDestinationsVersion) }
            for toggle in transfer.toggles { try Self.query(db, OutboxSQL.importToggle, OutboxSQL.toggleArguments(toggle)) }
            return try transfer.deliveries.reduce(0) { count, row in
                count + (try Self.query(db, OutboxSQL.importDelivery, OutboxSQL.importArguments(row)).count)
            }
        }
    }

    // MARK: Plumbing

    /// Runs `sql` with `arguments`, returning every row's values in column order.
    @discardableResult
    private static func query(_ db: Database, _ sql: String, _ arguments: [SQLValue] = []) throws -> [[SQLValue]] {
        let bound = StatementArguments(arguments.map { value -> (any DatabaseValueConvertible)? in
            switch value {
            case .integer(let value): value
            case .real(let value): value
            case .text(let value): value
            case .blob(let value): Data(value)
            case .null: nil
            }
        })
        // Prepared once per connection: the worker runs the same few statements for every delivery.
        return try Row.fetchAll(db.cachedStatement(sql: sql), arguments: bound).map { row in
            row.databaseValues.map { value -> SQLValue in
                switch value.storage {
                case .int64(let value): .integer(value)
                case .double(let value): .real(value)
                case .string(let value): .text(value)
                case .blob(let value): .blob(Array(value))
                case .null: .null
                }
            }
        }
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
