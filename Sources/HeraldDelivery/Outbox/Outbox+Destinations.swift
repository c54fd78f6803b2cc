import Foundation
import GRDB
import Herald

/// The destinations created at run time, as the outbox stores them: one row per (service, name) with the config's
/// settings that are not secret as JSON, the names of its secret settings, and their values sealed with the
/// destinations' key (never in plain text). A one-row counter, `destinations_version`, goes up with every change
/// in the same transaction, so that every process on the file can tell cheaply when to read the rows again.
extension Outbox {
    /// Creates the tables (migration `v3-destinations`).
    static func createDestinationTables(_ db: Database) throws {
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

    /// Every stored destination and the version they are at, or `nil` when the version is still `known`: one read
    /// transaction, so the rows and the version agree.
    func storedDestinations(unlessVersion known: Int?) async throws(DeliveryError) -> (version: Int, rows: [StoredDestination])? {
        try await read { db in
            let version = try Int.fetchOne(db, sql: "SELECT version FROM destinations_version WHERE id = 1") ?? 0
            if version == known { return nil }
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM destinations ORDER BY service, name").map(StoredDestination.init(row:))
            return (version, rows)
        }
    }

    /// Inserts `destination` unless one of that service and name is stored, or the service already has `limit`;
    /// says which.
    func insert(_ destination: StoredDestination, limit: Int) async throws(DeliveryError) -> DestinationWrite {
        try await write { db in
            let exists = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM destinations WHERE service = ? AND name = ?)",
                arguments: [destination.service, destination.name]) ?? false
            if exists { return .conflict }
            let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM destinations WHERE service = ?", arguments: [destination.service]) ?? 0
            if count >= limit { return .full }
            try db.execute(
                sql: """
                    INSERT INTO destinations (service, name, settings, secret_names, sealed_secrets, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: destination.arguments)
            try Self.bumpDestinationsVersion(db)
            return .done
        }
    }

    /// Replaces the config of the stored destination of `destination`'s service and name, keeping its creation
    /// time; `.missing` when none is stored.
    func replace(_ destination: StoredDestination) async throws(DeliveryError) -> DestinationWrite {
        try await write { db in
            try db.execute(
                sql: "UPDATE destinations SET settings = ?, secret_names = ?, sealed_secrets = ?, updated_at = ? WHERE service = ? AND name = ?",
                arguments: [Data(destination.settings), destination.secretNamesJSON, destination.sealedSecrets,
                            destination.updatedAt.timeIntervalSince1970, destination.service, destination.name])
            guard db.changesCount == 1 else { return .missing }
            try Self.bumpDestinationsVersion(db)
            return .done
        }
    }

    /// Deletes the stored destination `service`/`name`, unless a route or a delivery not yet delivered names it
    /// (``DestinationWrite/inUse(routes:deliveries:)``); `.missing` when none is stored.
    func deleteDestination(service: String, name: String) async throws(DeliveryError) -> DestinationWrite {
        try await write { db in
            let arguments: StatementArguments = [service, name]
            let routes = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM routes WHERE service = ? AND scope = ?", arguments: arguments) ?? 0
            let deliveries = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM deliveries WHERE service = ? AND scope = ? AND state != 'delivered'", arguments: arguments) ?? 0
            let exists = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM destinations WHERE service = ? AND name = ?)", arguments: arguments) ?? false
            guard exists else { return .missing }
            if routes > 0 || deliveries > 0 { return .inUse(routes: routes, deliveries: deliveries) }
            try db.execute(sql: "DELETE FROM destinations WHERE service = ? AND name = ?", arguments: arguments)
            try Self.bumpDestinationsVersion(db)
            return .done
        }
    }

    private static func bumpDestinationsVersion(_ db: Database) throws {
        try db.execute(sql: "UPDATE destinations_version SET version = version + 1 WHERE id = 1")
    }
}

/// What a write of a stored destination did.
enum DestinationWrite: Hashable, Sendable {
    /// Written.
    case done
    /// One of that service and name is already stored.
    case conflict
    /// The service already has as many stored destinations as allowed.
    case full
    /// None of that service and name is stored.
    case missing
    /// Routes and deliveries not yet delivered name it.
    case inUse(routes: Int, deliveries: Int)
}

/// One row of the `destinations` table.
struct StoredDestination: Sendable {
    /// The service's id (unchecked: a newer Herald may know more services).
    var service: String
    /// The destination's name, its scope.
    var name: String
    /// The config's settings that are not secret, as JSON.
    var settings: [UInt8]
    /// The names of the config's secret settings, sorted.
    var secretNames: [String]
    /// Their values, sealed with the destinations' key; `nil` when there is none.
    var sealedSecrets: Data?
    /// When it was created.
    var createdAt: Date
    /// When its config last changed.
    var updatedAt: Date

    init(service: String, name: String, settings: [UInt8], secretNames: [String], sealedSecrets: Data?, createdAt: Date, updatedAt: Date) {
        self.service = service
        self.name = name
        self.settings = settings
        self.secretNames = secretNames
        self.sealedSecrets = sealedSecrets
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    init(row: Row) {
        service = row["service"]
        name = row["name"]
        settings = Array(row["settings"] as Data)
        let names: String = row["secret_names"]
        secretNames = (try? JSONDecoder().decode([String].self, from: Data(names.utf8))) ?? []
        sealedSecrets = row["sealed_secrets"]
        createdAt = Date(timeIntervalSince1970: row["created_at"])
        updatedAt = Date(timeIntervalSince1970: row["updated_at"])
    }

    /// The secret names as a JSON array.
    var secretNamesJSON: String {
        String(decoding: (try? JSONEncoder().encode(secretNames)) ?? Data("[]".utf8), as: UTF8.self)
    }

    /// The values of an `INSERT` in column order.
    var arguments: StatementArguments {
        [service, name, Data(settings), secretNamesJSON, sealedSecrets, createdAt.timeIntervalSince1970, updatedAt.timeIntervalSince1970]
    }
}
