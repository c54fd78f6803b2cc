import Foundation
import GRDB
import Herald

/// Feature toggles: per destination (service and scope) and feature, whether the feature's events reach it. The
/// table holds overrides only; a destination without a row for a feature gets the feature's default.
extension Outbox {
    /// Adds the `toggles` table: `(service, scope, feature) → enabled`.
    static func registerTogglesMigration(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3-toggles") { db in
            try db.execute(sql: """
                CREATE TABLE toggles (
                    service TEXT NOT NULL, scope TEXT NOT NULL, feature TEXT NOT NULL,
                    enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
                    PRIMARY KEY (service, scope, feature));
                """)
        }
    }

    /// Every stored override, optionally only those of one service or scope, sorted by service, scope and feature.
    public func toggleOverrides(service: String? = nil, scope: String? = nil) async throws(DeliveryError) -> [StoredToggle] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT service, scope, feature, enabled FROM toggles
                    WHERE (? IS NULL OR service = ?) AND (? IS NULL OR scope = ?) ORDER BY service, scope, feature
                    """,
                arguments: [service, service, scope, scope]
            ).map { StoredToggle(service: $0["service"], scope: $0["scope"], feature: $0["feature"], isOn: $0["enabled"]) }
        }
    }

    /// In one transaction: for each change, stores whether `feature` is on for the destination, or removes its
    /// override (back to the feature's default) when the change is `nil`.
    func setToggles(_ changes: [(feature: String, isOn: Bool?)], for destination: Destination) async throws(DeliveryError) {
        try await write { db in
            for change in changes {
                let key: StatementArguments = [destination.service.id, destination.scope, change.feature]
                if let isOn = change.isOn {
                    try db.execute(
                        sql: "INSERT OR REPLACE INTO toggles (service, scope, feature, enabled) VALUES (?, ?, ?, ?)",
                        arguments: key + [isOn])
                } else {
                    try db.execute(sql: "DELETE FROM toggles WHERE service = ? AND scope = ? AND feature = ?", arguments: key)
                }
            }
        }
    }

    /// Which of `destinations` have `feature` off, by their override or else by its default; read inside the
    /// enqueueing transaction, so that a toggle changed at the same time is seen either wholly or not at all.
    static func toggledOff(_ db: Database, destinations: [Destination], feature: Feature) throws -> Set<Destination> {
        var off: Set<Destination> = []
        for destination in destinations {
            let stored = try Bool.fetchOne(
                db, sql: "SELECT enabled FROM toggles WHERE service = ? AND scope = ? AND feature = ?",
                arguments: [destination.service.id, destination.scope, feature.id])
            if !(stored ?? feature.isOnByDefault) { off.insert(destination) }
        }
        return off
    }
}

/// One toggle override as the outbox stores it: service, scope and feature unchecked.
public struct StoredToggle: Hashable, Sendable {
    /// The service's id.
    public var service: String
    /// The scope.
    public var scope: String
    /// The feature's id.
    public var feature: String
    /// Whether the feature is on for the destination.
    public var isOn: Bool
}
