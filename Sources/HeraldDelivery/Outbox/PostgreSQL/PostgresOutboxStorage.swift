import Foundation
import Logging
import NIOCore
import NIOSSL
import PostgresNIO

/// The outbox in a PostgreSQL database (postgres-nio), shared by any number of workers on any number of machines.
///
/// Claims lock the rows they take with `SELECT … FOR UPDATE SKIP LOCKED`, so concurrent claims never take the same
/// delivery and never wait for each other; leases and attempt numbers fence outcomes as in SQLite. The schema is
/// versioned (table `herald_migrations`) and migrated on first use under an advisory lock, so that processes
/// starting together migrate it once.
struct PostgresOutboxStorage: OutboxStorage {
    private let pool: PostgresPool
    private let migration: MigrationGate
    private let settings: PostgresOutboxSettings
    /// The first connection's settings: migrating on a connection of its own, outside the pool, reports why a
    /// server cannot be reached at once (the pool retries for a minute and names no cause).
    private let direct: PostgresConnection.Configuration

    /// The versioned migrations, in order: an id and its statements. Never edit one that has shipped; add another.
    static let migrations: [(id: String, statements: [String])] = [
        ("v1", [
            """
            CREATE TABLE routes (
                event TEXT NOT NULL, service TEXT NOT NULL, scope TEXT NOT NULL, PRIMARY KEY (event, service, scope))
            """,
            """
            CREATE TABLE notifications (
                id TEXT PRIMARY KEY, event TEXT NOT NULL, message BYTEA NOT NULL,
                attachment_count INTEGER NOT NULL, created_at DOUBLE PRECISION NOT NULL)
            """,
            """
            CREATE TABLE deliveries (
                id BIGSERIAL PRIMARY KEY,
                notification_id TEXT NOT NULL REFERENCES notifications(id),
                service TEXT NOT NULL, scope TEXT NOT NULL,
                idempotency_key TEXT NOT NULL UNIQUE,
                state TEXT NOT NULL CHECK (state IN ('pending', 'in_flight', 'delivered', 'failed')),
                attempts INTEGER NOT NULL DEFAULT 0,
                interrupted_attempts INTEGER NOT NULL DEFAULT 0,
                messages_sent INTEGER NOT NULL DEFAULT 0,
                next_attempt_at DOUBLE PRECISION, lease_owner TEXT, lease_expires_at DOUBLE PRECISION,
                last_error TEXT, reference TEXT, delivered_at DOUBLE PRECISION, updated_at DOUBLE PRECISION NOT NULL,
                UNIQUE (notification_id, service, scope))
            """,
            "CREATE INDEX deliveries_pending ON deliveries(state, next_attempt_at)",
            OutboxSQL.destinationOrderIndex,
        ]),
        ("v3-toggles", [
            """
            CREATE TABLE toggles (
                service TEXT NOT NULL, scope TEXT NOT NULL, feature TEXT NOT NULL,
                enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)), PRIMARY KEY (service, scope, feature))
            """,
        ]),
        ("v3-destinations", [
            """
            CREATE TABLE destinations (
                service TEXT NOT NULL, name TEXT NOT NULL,
                settings BYTEA NOT NULL, secret_names TEXT NOT NULL, sealed_secrets BYTEA,
                created_at DOUBLE PRECISION NOT NULL, updated_at DOUBLE PRECISION NOT NULL, PRIMARY KEY (service, name))
            """,
            "CREATE TABLE destinations_version (id INTEGER PRIMARY KEY CHECK (id = 1), version BIGINT NOT NULL)",
            "INSERT INTO destinations_version (id, version) VALUES (1, 0)",
        ]),
        ("v4-publication-keys", [
            """
            CREATE TABLE publication_keys (
                caller TEXT NOT NULL, key TEXT NOT NULL, request_digest TEXT NOT NULL,
                notification_id TEXT, created_at DOUBLE PRECISION NOT NULL, PRIMARY KEY (caller, key))
            """,
            "CREATE INDEX publication_keys_age ON publication_keys(created_at)",
        ]),
        // Rate limits counted across every worker sharing the database (RateLimitSQL).
        ("v10-rate-limits", RateLimitSQL.migration),
        ("v11-claim-by-heads", OutboxSQL.claimByHeads),
    ]

    /// Taken first by every write of destinations: the version row's lock serialises them, as SQLite's one writer
    /// does, so that the existence and count checks hold until the write commits.
    private static let lockDestinations = OutboxSQL.destinationsVersion + " FOR UPDATE"
    /// Taken first by an enqueue with a key: a transaction lock on the key's hash, so that the same key sent twice
    /// at once publishes once and answers the second from the first.
    private static let lockKey = "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))"

    /// The advisory lock key that serialises migrations ("herald" in ASCII).
    private static let migrationLock: Int64 = 0x68_6572_616c_64

    /// Prepares a connection pool to `settings`, the password read from `environment`; nothing connects yet.
    init(settings: PostgresOutboxSettings, environment: DeliveryEnvironment) throws(DeliveryError) {
        self.settings = settings
        let password = environment.value(of: settings.passwordVariable)
        if settings.passwordVariable != "PGPASSWORD", password == nil {
            throw .invalidConfiguration(ConfigurationError(
                path: "outbox_password_env", reason: "the environment variable \(settings.passwordVariable) is not set"))
        }
        var configuration: PostgresClient.Configuration
        var direct: PostgresConnection.Configuration
        if let directory = settings.socketDirectory {
            let socket = directory + "/.s.PGSQL.\(settings.port)"
            configuration = PostgresClient.Configuration(
                unixSocketPath: socket, username: settings.user, password: password, database: settings.database)
            direct = PostgresConnection.Configuration(
                unixSocketPath: socket, username: settings.user, password: password, database: settings.database)
        } else {
            let tls: (PostgresClient.Configuration.TLS, PostgresConnection.Configuration.TLS)
            do {
                switch settings.tls {
                case .disable: tls = (.disable, .disable)
                case .prefer: tls = (.prefer(.makeClientConfiguration()), .prefer(try NIOSSLContext(configuration: .makeClientConfiguration())))
                case .require: tls = (.require(.makeClientConfiguration()), .require(try NIOSSLContext(configuration: .makeClientConfiguration())))
                }
            } catch {
                throw .storage("\(settings): cannot set up TLS: \(error)")
            }
            configuration = PostgresClient.Configuration(
                host: settings.host, port: settings.port, username: settings.user, password: password,
                database: settings.database, tls: tls.0)
            direct = PostgresConnection.Configuration(
                host: settings.host, port: settings.port, username: settings.user, password: password,
                database: settings.database, tls: tls.1)
        }
        configuration.options.maximumConnections = 8
        // The prepared claim (ClaimStatement) keeps one plan: left to choose, the server may plan it again on every
        // execution, which costs it more than running it.
        configuration.options.additionalStartupParameters = [("plan_cache_mode", "force_generic_plan")]
        if let schema = settings.schema {
            configuration.options.additionalStartupParameters.append(("search_path", schema))
            direct.options.additionalStartupParameters = [("search_path", schema)]
        }
        self.direct = direct
        pool = PostgresPool(configuration: configuration)
        migration = MigrationGate()
    }

    func storedRoutes() async throws(DeliveryError) -> [StoredRoute] {
        try await transaction { db in
            try await db.query(OutboxSQL.routes).map { StoredRoute(event: $0[0].string ?? "", service: $0[1].string ?? "", scope: $0[2].string ?? "") }
        }
    }

    func setRoute(event: String, service: String, enabled: Bool, scopes: [String]) async throws(DeliveryError) {
        try await transaction { db in
            if enabled || scopes.isEmpty {
                try await db.query(OutboxSQL.deleteRoute, [.text(event), .text(service)])
            } else {
                for scope in scopes { try await db.query(OutboxSQL.deleteRouteScope, [.text(event), .text(service), .text(scope)]) }
            }
            if enabled {
                for scope in Set(scopes) { try await db.query(OutboxSQL.insertRoute, [.text(event), .text(service), .text(scope)]) }
            }
        }
    }

    func enqueue(_ request: EnqueueRequest, now: Date) async throws(DeliveryError) -> Enqueueing {
        let notification = request.notification
        return try await transaction { db in
            if let key = request.key {
                try await db.query(Self.lockKey, [.text(key.caller + "\n" + key.key)])
                try await db.query(OutboxSQL.forgetExpiredKeys, OutboxSQL.keyHorizon(now))
                if let row = try await db.query(OutboxSQL.publicationKey, [.text(key.caller), .text(key.key)]).first { return key.earlier(row) }
            }
            let routed = try await db.query(OutboxSQL.routedDestinations, [.text(notification.event)])
            let overrides = if let feature = request.feature { try await db.query(OutboxSQL.togglesOfFeature, [.text(feature.id)]) } else { [[SQLValue]]() }
            let plan = OutboxSQL.plan(routed: routed, overrides: overrides, feature: request.feature)
            let recorded = plan.write.isEmpty ? nil : notification.id
            if recorded != nil { try await db.query(OutboxSQL.insertNotification, OutboxSQL.notificationArguments(notification)) }
            for destination in plan.write {
                try await db.query(OutboxSQL.insertPending, OutboxSQL.pendingArguments(notification, destination: destination, now: now))
            }
            if let key = request.key { try await db.query(OutboxSQL.rememberKey, key.rememberArguments(notificationID: recorded, now: now)) }
            return .recorded(notificationID: recorded, toggledOff: plan.toggledOff)
        }
    }

    func toggleOverrides(service: String?, scope: String?) async throws(DeliveryError) -> [StoredToggle] {
        let (sql, arguments) = OutboxSQL.toggleOverrides(service: service, scope: scope)
        return try await transaction { db in try await db.query(sql, arguments).map(OutboxSQL.toggle) }
    }

    func setToggles(_ changes: [ToggleChange], service: String, scope: String) async throws(DeliveryError) {
        try await transaction { db in
            for change in changes {
                let (sql, arguments) = OutboxSQL.toggleChange(change, service: service, scope: scope)
                try await db.query(sql, arguments)
            }
        }
    }

    func storedDestinations(unlessVersion known: Int?) async throws(DeliveryError) -> (version: Int, rows: [StoredDestination])? {
        try await transaction { db in
            // One snapshot for the version and the rows.
            try await db.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            let version = try await db.query(OutboxSQL.destinationsVersion).first?[0].int ?? 0
            if version == known { return nil }
            return (version, try await db.query(OutboxSQL.destinations).map(StoredDestination.init(row:)))
        }
    }

    func insert(_ destination: StoredDestination, limit: Int) async throws(DeliveryError) -> DestinationWrite {
        try await transaction { db in
            try await db.query(Self.lockDestinations)
            let exists = try await db.query(OutboxSQL.destinationExists, [.text(destination.service), .text(destination.name)])[0][0].int > 0
            let count = try await db.query(OutboxSQL.destinationCount, [.text(destination.service)])[0][0].int
            if let refused = OutboxSQL.insertion(exists: exists, count: count, limit: limit) { return refused }
            try await db.query(OutboxSQL.insertDestination, destination.arguments)
            try await db.query(OutboxSQL.bumpDestinationsVersion)
            return .done
        }
    }

    func replace(_ destination: StoredDestination) async throws(DeliveryError) -> DestinationWrite {
        try await transaction { db in
            try await db.query(Self.lockDestinations)
            guard try await db.query(OutboxSQL.replaceDestination, OutboxSQL.replaceArguments(destination)).count == 1 else { return .missing }
            try await db.query(OutboxSQL.bumpDestinationsVersion)
            return .done
        }
    }

    func deleteDestination(service: String, name: String) async throws(DeliveryError) -> DestinationWrite {
        let arguments: [SQLValue] = [.text(service), .text(name)]
        return try await transaction { db in
            try await db.query(Self.lockDestinations)
            let exists = try await db.query(OutboxSQL.destinationExists, arguments)[0][0].int > 0
            let routes = try await db.query(OutboxSQL.routesOfDestination, arguments)[0][0].int
            let deliveries = try await db.query(OutboxSQL.undeliveredOfDestination, arguments)[0][0].int
            if let refused = OutboxSQL.deletion(exists: exists, routes: routes, deliveries: deliveries) { return refused }
            try await db.query(OutboxSQL.deleteDestination, arguments)
            try await db.query(OutboxSQL.bumpDestinationsVersion)
            return .done
        }
    }

    func rows(notificationID: String?) async throws(DeliveryError) -> [DeliveryRow] {
        try await transaction { db in
            let rows = if let notificationID {
                try await db.query(OutboxSQL.rowsOfNotification, [.text(notificationID)])
            } else {
                try await db.query(OutboxSQL.allRows)
            }
            return rows.map(OutboxSQL.deliveryRow)
        }
    }

    func newestRows(of destination: Destination, limit: Int) async throws(DeliveryError) -> [DeliveryRow] {
        try await transaction { db in
            try await db.query(OutboxSQL.newestRowsOfDestination, [.text(destination.service.id), .text(destination.scope), .integer(Int64(max(0, limit)))])
                .map(OutboxSQL.deliveryRow)
        }
    }

    func drop(ids: [Int64], now: Date) async throws(DeliveryError) -> [Int64] {
        try await transaction { db in
            var dropped: [Int64] = []
            for id in ids {
                dropped += try await db.query(OutboxSQL.drop, [.integer(id), .real(now.timeIntervalSince1970)]).map { $0[0].int64 }
            }
            try await db.query(OutboxSQL.dropOrphanedNotifications)
            return dropped
        }
    }

    func pruneDelivered(before: Double, limit: Int) async throws(DeliveryError) -> Int {
        try await transaction { db in
            let notifications = try await db.query(OutboxSQL.pruneDelivered, [.real(before), SQLValue(limit)])
            for id in Set(notifications.map { $0[0] }) { try await db.query(OutboxSQL.dropFinishedNotification, [id]) }
            return notifications.count
        }
    }

    func stateCounts(now: Date) async throws(DeliveryError) -> [StateCount] {
        try await transaction { db in
            try await db.query(OutboxSQL.stateCounts, [.real(now.timeIntervalSince1970)])
                .map { StateCount(service: $0[0].string ?? "", state: $0[1].string ?? "", count: $0[2].int) }
        }
    }

    func checkReadable() async throws(DeliveryError) {
        try await transaction { db in _ = try await db.query(OutboxSQL.countRoutes) }
    }

    func releaseLeases(owner: String, now: Date) async throws(DeliveryError) -> Int {
        let time = SQLValue.real(now.timeIntervalSince1970)
        return try await transaction { db in try await db.query(OutboxSQL.releaseLeases, [time, time, .text(owner)]).count }
    }

    func retryFailed(ids: [Int64]?, now: Date) async throws(DeliveryError) -> Int {
        let time = SQLValue.real(now.timeIntervalSince1970)
        return try await transaction { db in
            guard let ids else { return try await db.query(OutboxSQL.retryFailed + " RETURNING id", [time, time]).count }
            var count = 0
            for id in ids { count += try await db.query(OutboxSQL.retryFailed + " AND id = ? RETURNING id", [time, time, .integer(id)]).count }
            return count
        }
    }

    func claim(_ request: ClaimRequest) async throws(DeliveryError) -> ClaimBatch {
        try await transaction { db in try await Self.claim(request, in: db) }
    }

    private static func claim(_ request: ClaimRequest, in db: PostgresStatements) async throws -> ClaimBatch {
        let time = request.now.timeIntervalSince1970
        // SKIP LOCKED: rows another claim is taking are passed over, not waited for.
        let candidates = try await db.claim(OutboxSQL.claimArguments(request))
        var batch = ClaimBatch()
        for candidate in candidates.map(OutboxSQL.claimCandidate) {
            guard let decision = ClaimDecision.decide(candidate, now: request.now, policy: request.policy) else { continue }
            let (sql, arguments) = OutboxSQL.apply(decision, id: candidate.id, owner: request.owner, time: time, to: &batch)
            try await db.query(sql, arguments)
        }
        if !batch.deliveries.isEmpty { batch.destinationsVersion = try await db.query(OutboxSQL.destinationsVersion).first?[0].int ?? 0 }
        return batch
    }

    func renewLease(id: Int64, attempt: Int, owner: String, expiry: Double) async throws(DeliveryError) -> Bool {
        try await transaction { db in
            try await db.query(OutboxSQL.renewLease, [.real(expiry)] + OutboxSQL.fenceArguments(id: id, owner: owner, attempt: attempt)).count == 1
        }
    }

    func recordMessagesSent(_ count: Int, id: Int64, attempt: Int, owner: String, now: Date) async throws(DeliveryError) -> Bool {
        try await transaction { db in
            try await db.query(
                OutboxSQL.messagesSent,
                [SQLValue(count), .real(now.timeIntervalSince1970)] + OutboxSQL.fenceArguments(id: id, owner: owner, attempt: attempt)
            ).count == 1
        }
    }

    func record(
        _ outcome: AttemptOutcome, id: Int64, attempt: Int, owner: String, now: Date, thenClaim next: ClaimRequest?
    ) async throws(DeliveryError) -> (recorded: Bool, next: ClaimBatch) {
        let (sql, arguments) = OutboxSQL.record(outcome, time: now.timeIntervalSince1970)
        return try await transaction { db in
            guard try await db.query(sql, arguments + OutboxSQL.fenceArguments(id: id, owner: owner, attempt: attempt)).count == 1 else {
                return (false, ClaimBatch())
            }
            for (sql, arguments) in RateLimitSQL.holding(outcome) { try await db.query(sql, arguments) }
            guard let next else { return (true, ClaimBatch()) }
            return (true, try await Self.claim(next, in: db))
        }
    }

    func takeRateLimitSlots(_ rules: [RateLimitRule], now: Date) async throws(DeliveryError) -> (at: Double, taken: Bool) {
        let time = now.timeIntervalSince1970
        let rules = RateLimitSQL.ordered(rules)
        return try await transaction { db in
            var keys: [RateLimitSQL.KeyState] = []
            for rule in rules {
                // The upsert locks the key's row until the transaction ends: other workers counting it wait here.
                let heldUntil = try await db.query(RateLimitSQL.lockKey, [.text(rule.key)]).first?[0].double ?? 0
                let recent = try await db.query(RateLimitSQL.recentSends, RateLimitSQL.recentArguments(rule, time: time)).compactMap { $0[0].double }
                keys.append(RateLimitSQL.KeyState(rule: rule, heldUntil: heldUntil, recent: recent))
            }
            let slot = RateLimitSQL.slot(keys, time: time)
            guard slot.free else { return (slot.at, false) }
            for (sql, arguments) in RateLimitSQL.taking(rules, time: slot.at) { try await db.query(sql, arguments) }
            return (slot.at, true)
        }
    }

    func settleRateLimitSlots(_ rules: [RateLimitRule], slot: Double, answered: Double) async throws(DeliveryError) {
        try await transaction { db in
            for (sql, arguments) in RateLimitSQL.settling(rules, slot: slot, answered: answered) { try await db.query(sql, arguments) }
        }
    }

    func nextDueTime(excludingOwner owner: String) async throws(DeliveryError) -> Double? {
        try await transaction { db in
            try await db.query(OutboxSQL.nextDue(.postgres), OutboxSQL.nextDueArguments(owner: owner)).first?[0].double
        }
    }

    func exportUnfinished(now: Date) async throws(DeliveryError) -> OutboxTransfer {
        let time = SQLValue.real(now.timeIntervalSince1970)
        return try await transaction { db in
            var transfer = OutboxTransfer()
            transfer.routes = try await db.query(OutboxSQL.routes).map {
                StoredRoute(event: $0[0].string ?? "", service: $0[1].string ?? "", scope: $0[2].string ?? "")
            }
            transfer.notifications = try await db.query(OutboxSQL.notificationsOfUnfinished, [time]).map(OutboxSQL.notification)
            transfer.deliveries = try await db.query(OutboxSQL.unfinishedRows, [time]).map(OutboxSQL.deliveryRow)
            transfer.inFlight = try await db.query(OutboxSQL.liveInFlight, [time]).first?[0].int ?? 0
            transfer.destinations = try await db.query(OutboxSQL.destinations).map(StoredDestination.init(row:))
            transfer.toggles = try await db.query(OutboxSQL.toggleOverrides(service: nil, scope: nil).0).map(OutboxSQL.toggle)
            return transfer
        }
    }

    func importTransfer(_ transfer: OutboxTransfer) async throws(DeliveryError) -> Int {
        try await transaction { db in
            for route in transfer.routes {
                try await db.query(OutboxSQL.insertRoute, [.text(route.event), .text(route.service), .text(route.scope)])
            }
            for notification in transfer.notifications {
                try await db.query(OutboxSQL.insertNotification, OutboxSQL.notificationArguments(notification))
            }
            try await db.query(Self.lockDestinations)
            var added = 0
            for row in transfer.destinations { added += try await db.query(OutboxSQL.insertDestination, row.arguments).count }
            if added > 0 { try await db.query(OutboxSQL.bumpDestinationsVersion) }
            for toggle in transfer.toggles { try await db.query(OutboxSQL.importToggle, OutboxSQL.toggleArguments(toggle)) }
            var count = 0
            for row in transfer.deliveries { count += try await db.query(OutboxSQL.importDelivery, OutboxSQL.importArguments(row)).count }
            return count
        }
    }

    // MARK: Plumbing

    /// Runs `body` in one transaction, after the schema's migrations.
    private func transaction<T: Sendable>(_ body: @escaping @Sendable (PostgresStatements) async throws -> T) async throws(DeliveryError) -> T {
        do {
            try await migration.run { try await migrate() }
            return try await pool.client.withTransaction(logger: PostgresPool.silent) { connection in
                try await body(PostgresStatements(connection: connection))
            }
        } catch {
            throw .storage("\(settings): \(Self.describe(error))")
        }
    }

    /// Applies the migrations this database lacks, in one transaction holding the migration lock, on a connection
    /// of its own.
    private func migrate() async throws {
        let connection = try await PostgresConnection.connect(configuration: direct, id: 0, logger: PostgresPool.silent)
        do {
            try await migrate(on: connection)
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }

    private func migrate(on connection: PostgresConnection) async throws {
        try await connection.withTransaction(logger: PostgresPool.silent) { connection in
            let db = PostgresStatements(connection: connection)
            try await db.query("SELECT pg_advisory_xact_lock(?)", [.integer(Self.migrationLock)])
            if let schema = settings.schema { try await db.query("CREATE SCHEMA IF NOT EXISTS \(schema)") }
            try await db.query("CREATE TABLE IF NOT EXISTS herald_migrations (id TEXT PRIMARY KEY, applied_at DOUBLE PRECISION NOT NULL)")
            let applied = Set(try await db.query("SELECT id FROM herald_migrations").compactMap { $0[0].string })
            for migration in Self.migrations where !applied.contains(migration.id) {
                for statement in migration.statements { try await db.query(statement) }
                try await db.query(
                    "INSERT INTO herald_migrations (id, applied_at) VALUES (?, ?)",
                    [.text(migration.id), .real(Date().timeIntervalSince1970)])
            }
        }
    }

    /// The server's message for `error`, never the connection's settings or password.
    private static func describe(_ error: any Error) -> String {
        if error is CancellationError { return "cancelled" }
        if let error = error as? PostgresTransactionError,
           let cause = error.closureError ?? error.beginError ?? error.commitError ?? error.rollbackError {
            return describe(cause)
        }
        guard let error = error as? PSQLError else { return String(describing: error) }
        if let message = error.serverInfo?[.message] {
            return "PostgreSQL error \(error.serverInfo?[.sqlState] ?? "?"): \(message)"
        }
        return "PostgreSQL: \(error.code)" + (error.underlying.map { " (\($0))" } ?? "")
    }
}

/// Runs the outbox's statements on one connection: numbers the `?` placeholders, binds ``SQLValue``s and reads
/// each row's values in column order.
struct PostgresStatements {
    let connection: PostgresConnection

    @discardableResult
    func query(_ sql: String, _ arguments: [SQLValue] = []) async throws -> [[SQLValue]] {
        let query = PostgresQuery(unsafeSQL: Self.numbered(sql), binds: Self.bindings(arguments))
        var values: [[SQLValue]] = []
        for try await row in try await connection.query(query, logger: PostgresPool.silent) { values.append(try Self.values(row)) }
        return values
    }

    /// The claim's statement with `arguments`, prepared once per connection (see ``ClaimStatement``).
    func claim(_ arguments: [SQLValue]) async throws -> [[SQLValue]] {
        var values: [[SQLValue]] = []
        for try await row in try await connection.execute(ClaimStatement(arguments: arguments), logger: PostgresPool.silent) { values.append(row) }
        return values
    }

    static func bindings(_ arguments: [SQLValue]) -> PostgresBindings {
        var bindings = PostgresBindings(capacity: arguments.count)
        for argument in arguments {
            switch argument {
            case .integer(let value): bindings.append(value)
            case .real(let value): bindings.append(value)
            case .text(let value): bindings.append(value)
            case .blob(let value): bindings.append(ByteBuffer(bytes: value))
            case .null: bindings.appendNull()
            }
        }
        return bindings
    }

    static func values(_ row: PostgresRow) throws -> [SQLValue] {
        try row.map { cell throws -> SQLValue in
            guard cell.bytes != nil else { return .null }
            switch cell.dataType {
            case .int2, .int4, .int8: return .integer(try cell.decode(Int64.self))
            case .float4, .float8: return .real(try cell.decode(Double.self))
            case .bytea: return .blob(Array(buffer: try cell.decode(ByteBuffer.self)))
            default: return .text(try cell.decode(String.self))
            }
        }
    }

    /// `sql` with its `?` placeholders numbered `$1`, `$2`, … as PostgreSQL wants them; the outbox's statements are
    /// written once with SQLite's `?`, and no literal in them holds a `?`.
    static func numbered(_ sql: String) -> String {
        var result = ""
        var number = 0
        var inLiteral = false
        for character in sql {
            if character == "'" { inLiteral.toggle() }
            if character == "?", !inLiteral {
                number += 1
                result += "$\(number)"
            } else {
                result.append(character)
            }
        }
        return result
    }
}

/// A postgres-nio client and the task that runs it, cancelled when the last copy of the storage goes.
final class PostgresPool: Sendable {
    /// The client.
    let client: PostgresClient
    private let runner: Task<Void, Never>

    /// Postgres-nio's own logs are off: Herald reports its failures itself.
    static let silent = Logger(label: "herald.outbox.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    init(configuration: PostgresClient.Configuration) {
        let client = PostgresClient(configuration: configuration, backgroundLogger: Self.silent)
        self.client = client
        runner = Task { await client.run() }
    }

    deinit { runner.cancel() }
}

/// Runs the migrations once per process: later callers wait for the first run; a failed run is tried again.
actor MigrationGate {
    private var task: Task<Void, any Error>?

    func run(_ migrate: @escaping @Sendable () async throws -> Void) async throws {
        let running = task ?? Task { try await migrate() }
        task = running
        do { try await running.value } catch {
            task = nil
            throw error
        }
    }
}

/// The claim of every service this version knows, prepared once per connection: the server's planning of its
/// recursive query costs more than running it, and would otherwise be paid on every delivery.
struct ClaimStatement: PostgresPreparedStatement {
    static let sql = PostgresStatements.numbered(OutboxSQL.claimable(.postgres) + " FOR UPDATE OF d SKIP LOCKED")
    /// The claim's arguments (see ``OutboxSQL/claimArguments(_:)``).
    let arguments: [SQLValue]

    func makeBindings() throws -> PostgresBindings { PostgresStatements.bindings(arguments) }
    func decodeRow(_ row: PostgresRow) throws -> [SQLValue] { try PostgresStatements.values(row) }
}
