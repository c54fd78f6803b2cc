import Foundation
import Herald

/// The destinations created at run time, as the outbox stores them: one row per (service, name) with the config's
/// settings that are not secret as JSON, the names of its secret settings, and their values sealed with the
/// destinations' key (never in plain text). A one-row counter, `destinations_version`, goes up with every change
/// in the same transaction, so that every process on the file can tell cheaply when to read the rows again.
extension Outbox {
    /// Every stored destination and the version they are at, or `nil` when the version is still `known`: one read
    /// transaction, so the rows and the version agree.
    func storedDestinations(unlessVersion known: Int?) async throws(DeliveryError) -> (version: Int, rows: [StoredDestination])? {
        try await storage.storedDestinations(unlessVersion: known)
    }

    /// Inserts `destination` unless one of that service and name is stored, or the service already has `limit`;
    /// says which.
    func insert(_ destination: StoredDestination, limit: Int) async throws(DeliveryError) -> DestinationWrite {
        try await storage.insert(destination, limit: limit)
    }

    /// Replaces the config of the stored destination of `destination`'s service and name, keeping its creation
    /// time; `.missing` when none is stored.
    func replace(_ destination: StoredDestination) async throws(DeliveryError) -> DestinationWrite {
        try await storage.replace(destination)
    }

    /// Deletes the stored destination `service`/`name`, unless a route or a delivery not yet delivered names it
    /// (``DestinationWrite/inUse(routes:deliveries:)``); `.missing` when none is stored.
    func deleteDestination(service: String, name: String) async throws(DeliveryError) -> DestinationWrite {
        try await storage.deleteDestination(service: service, name: name)
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

    /// A row read with ``OutboxSQL/destinations``' columns.
    init(row: [SQLValue]) {
        service = row[0].string ?? ""
        name = row[1].string ?? ""
        settings = row[2].bytes
        secretNames = (try? JSONDecoder().decode([String].self, from: Data((row[3].string ?? "[]").utf8))) ?? []
        sealedSecrets = if case .blob(let bytes) = row[4] { Data(bytes) } else { nil }
        createdAt = Date(timeIntervalSince1970: row[5].double ?? 0)
        updatedAt = Date(timeIntervalSince1970: row[6].double ?? 0)
    }

    /// The secret names as a JSON array.
    var secretNamesJSON: String {
        String(decoding: (try? JSONEncoder().encode(secretNames)) ?? Data("[]".utf8), as: UTF8.self)
    }

    /// The values of an `INSERT` in ``OutboxSQL/insertDestination``'s column order.
    var arguments: [SQLValue] {
        [.text(service), .text(name), .blob(settings), .text(secretNamesJSON), sealedSecrets.map { .blob(Array($0)) } ?? .null,
         .real(createdAt.timeIntervalSince1970), .real(updatedAt.timeIntervalSince1970)]
    }
}
