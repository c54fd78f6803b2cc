import Foundation
import Herald

/// The statements of the toggles, destinations and publication keys tables (issue 17), for both storages.
extension OutboxSQL {
    // MARK: Toggles

    static let toggleOverrides = "SELECT service, scope, feature, enabled FROM toggles"
    /// The overrides of one feature, read in the enqueueing transaction.
    static let togglesOfFeature = "SELECT service, scope, enabled FROM toggles WHERE feature = ?"
    static let setToggle = """
        INSERT INTO toggles (service, scope, feature, enabled) VALUES (?, ?, ?, ?)
        ON CONFLICT (service, scope, feature) DO UPDATE SET enabled = excluded.enabled
        """
    static let deleteToggle = "DELETE FROM toggles WHERE service = ? AND scope = ? AND feature = ?"
    static let importToggle = "INSERT INTO toggles (service, scope, feature, enabled) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING"

    /// The overrides query, optionally of one service and scope, and its arguments.
    static func toggleOverrides(service: String?, scope: String?) -> (String, [SQLValue]) {
        let filters = [("service = ?", service), ("scope = ?", scope)].compactMap { filter in filter.1.map { (filter.0, $0) } }
        let clause = filters.isEmpty ? "" : " WHERE " + filters.map(\.0).joined(separator: " AND ")
        return (toggleOverrides + clause + " ORDER BY service, scope, feature", filters.map { .text($0.1) })
    }

    static func toggle(_ row: [SQLValue]) -> StoredToggle {
        StoredToggle(service: row[0].string ?? "", scope: row[1].string ?? "", feature: row[2].string ?? "", isOn: row[3].int != 0)
    }

    static func toggleArguments(_ toggle: StoredToggle) -> [SQLValue] {
        [.text(toggle.service), .text(toggle.scope), .text(toggle.feature), SQLValue(toggle.isOn ? 1 : 0)]
    }

    /// The statement and arguments applying `change` to `service`/`scope`.
    static func toggleChange(_ change: ToggleChange, service: String, scope: String) -> (String, [SQLValue]) {
        let key: [SQLValue] = [.text(service), .text(scope), .text(change.feature)]
        guard let isOn = change.isOn else { return (deleteToggle, key) }
        return (setToggle, key + [SQLValue(isOn ? 1 : 0)])
    }

    // MARK: Destinations

    static let destinationsVersion = "SELECT version FROM destinations_version WHERE id = 1"
    static let bumpDestinationsVersion = "UPDATE destinations_version SET version = version + 1 WHERE id = 1"
    static let destinations = """
        SELECT service, name, settings, secret_names, sealed_secrets, created_at, updated_at FROM destinations
        ORDER BY service, name
        """
    static let destinationExists = "SELECT COUNT(*) FROM destinations WHERE service = ? AND name = ?"
    static let destinationCount = "SELECT COUNT(*) FROM destinations WHERE service = ?"
    static let insertDestination = """
        INSERT INTO destinations (service, name, settings, secret_names, sealed_secrets, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING name
        """
    static let replaceDestination = """
        UPDATE destinations SET settings = ?, secret_names = ?, sealed_secrets = ?, updated_at = ? WHERE service = ? AND name = ?
        RETURNING name
        """
    static let routesOfDestination = "SELECT COUNT(*) FROM routes WHERE service = ? AND scope = ?"
    static let undeliveredOfDestination = "SELECT COUNT(*) FROM deliveries WHERE service = ? AND scope = ? AND state <> 'delivered'"
    static let deleteDestination = "DELETE FROM destinations WHERE service = ? AND name = ?"

    static func replaceArguments(_ destination: StoredDestination) -> [SQLValue] {
        [.blob(destination.settings), .text(destination.secretNamesJSON), destination.sealedSecrets.map { .blob(Array($0)) } ?? .null,
         .real(destination.updatedAt.timeIntervalSince1970), .text(destination.service), .text(destination.name)]
    }

    /// What inserting a destination does, given whether one of its name `exists` and how many its service has.
    static func insertion(exists: Bool, count: Int, limit: Int) -> DestinationWrite? {
        if exists { return .conflict }
        if count >= limit { return .full }
        return nil
    }

    /// What deleting a destination does, given whether it `exists` and the routes and unfinished deliveries naming it.
    static func deletion(exists: Bool, routes: Int, deliveries: Int) -> DestinationWrite? {
        guard exists else { return .missing }
        if routes > 0 || deliveries > 0 { return .inUse(routes: routes, deliveries: deliveries) }
        return nil
    }

    // MARK: Publication keys

    static let forgetExpiredKeys = "DELETE FROM publication_keys WHERE created_at <= ?"
    static let publicationKey = "SELECT request_digest, notification_id FROM publication_keys WHERE caller = ? AND key = ?"
    static let rememberKey = """
        INSERT INTO publication_keys (caller, key, request_digest, notification_id, created_at) VALUES (?, ?, ?, ?, ?)
        """

    /// The argument of ``forgetExpiredKeys`` at `now`.
    static func keyHorizon(_ now: Date) -> [SQLValue] { [.real(now.timeIntervalSince1970 - PublicationKey.window)] }

    // MARK: Enqueueing

    /// Of the `routed` destinations (``routedDestinations``' rows), those to write and those `feature`'s toggles
    /// (``togglesOfFeature``' rows, `overrides`) leave out, sorted.
    static func plan(routed: [[SQLValue]], overrides: [[SQLValue]], feature: Feature?) -> (write: [[SQLValue]], toggledOff: [Destination]) {
        guard let feature else { return (routed, []) }
        let stored = Dictionary(
            overrides.map { ([$0[0].string ?? "", $0[1].string ?? ""], $0[2].int != 0) },
            uniquingKeysWith: { first, _ in first })
        var write: [[SQLValue]] = []
        var off: [Destination] = []
        for route in routed {
            let key = [route[0].string ?? "", route[1].string ?? ""]
            if let service = Service(id: key[0]), !(stored[key] ?? feature.isOnByDefault) {
                off.append(Destination(service: service, scope: key[1]))
            } else {
                write.append(route)
            }
        }
        return (write, off.sorted())
    }

    /// The arguments of ``insertPending`` for `destination` (a ``routedDestinations`` row) of `notification`.
    static func pendingArguments(_ notification: StoredNotification, destination: [SQLValue], now: Date) -> [SQLValue] {
        [.text(notification.id), destination[0], destination[1], .text(UUID().uuidString.lowercased()),
         .real(now.timeIntervalSince1970), .real(now.timeIntervalSince1970)]
    }
}
