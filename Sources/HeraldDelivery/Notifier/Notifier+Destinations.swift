import Foundation
import Herald
import HeraldCore
import Logging

extension Notifier {
    /// The current merged view of the destinations file's and the stored destinations, read again from the outbox
    /// only when they changed there.
    public func directory() async throws(DeliveryError) -> DestinationDirectory {
        try await destinations.directory()
    }

    /// Throws when the stored destinations' secrets cannot be opened (the key's variable unset or malformed, or the
    /// key missing or not the one they were sealed with), naming the variable: what a process checks at start.
    public func checkStoredDestinations() async throws(DeliveryError) {
        try await directory().checkSecretsOpen()
    }

    /// Every destination: the file's, then the stored ones (`origin` `file` or `api`).
    public func listDestinations() async throws(DeliveryError) -> [DestinationListing] {
        try await directory().all
    }

    /// Creates `destination` at run time with `config`, checked by the service's plugin as if it were
    /// `services.<service>.scopes.<name>` in the destinations file (with the file's service-wide settings), and
    /// stores it in the outbox, its secrets sealed with the destinations' key. A name the file or a stored
    /// destination already uses is a conflict.
    @discardableResult
    public func addDestination(_ destination: Destination, config: JSONValue) async throws(DestinationError) -> DestinationListing {
        let directory = try await currentDirectory()
        if directory.listing(of: destination) != nil {
            let origin = directory.listing(of: destination)?.origin == .file ? "the destinations file" : "a stored destination"
            throw .conflict("\(destination) already exists: \(origin) defines it")
        }
        let now = clock()
        let row = try RuntimeDestination(destination, config: config, file: directory.file).stored(key: try key(), createdAt: now, updatedAt: now)
        switch try await storing({ () async throws(DeliveryError) in try await outbox.insert(row, limit: Settings.maximumScopes) }) {
        case .conflict: throw .conflict("\(destination) already exists: a stored destination defines it")
        case .full: throw .conflict("\(destination.service.id) already has \(Settings.maximumScopes) stored destinations, the most allowed")
        default: return try await storedListing(destination)
        }
    }

    /// Replaces the config of the stored destination `destination`, checked as ``addDestination(_:config:)`` checks
    /// it; its secrets must be given again. The file's destinations are changed in the file only.
    @discardableResult
    public func replaceDestination(_ destination: Destination, config: JSONValue) async throws(DestinationError) -> DestinationListing {
        let directory = try await currentDirectory()
        if directory.listing(of: destination)?.origin == .file {
            throw .conflict("\(destination) is defined in the destinations file; change it there")
        }
        let now = clock()
        let row = try RuntimeDestination(destination, config: config, file: directory.file).stored(key: try key(), createdAt: now, updatedAt: now)
        guard try await storing({ () async throws(DeliveryError) in try await outbox.replace(row) }) == .done else {
            throw .notFound("no stored destination \(destination)")
        }
        return try await storedListing(destination)
    }

    /// Removes the stored destination `destination`. Refused while a route or a delivery not yet delivered (pending,
    /// in flight or failed) names it: unset those routes and drop or deliver those deliveries first, so that nothing
    /// is left pointing at a destination that no longer exists.
    public func removeDestination(_ destination: Destination) async throws(DestinationError) {
        let directory = try await currentDirectory()
        if directory.listing(of: destination)?.origin == .file {
            throw .conflict("\(destination) is defined in the destinations file; remove it there")
        }
        let result = try await storing { () async throws(DeliveryError) in
            try await outbox.deleteDestination(service: destination.service.id, name: destination.scope)
        }
        switch result {
        case .missing: throw .notFound("no stored destination \(destination)")
        case .inUse(let routes, let deliveries):
            let named = [routes > 0 ? "\(routes) route\(routes == 1 ? "" : "s")" : nil,
                         deliveries > 0 ? "\(deliveries) undelivered deliver\(deliveries == 1 ? "y" : "ies")" : nil].compactMap { $0 }
            throw .conflict(
                "\(destination) is still named by \(named.joined(separator: " and ")); unset its routes ('herald routes unset') and drop its deliveries ('herald outbox drop') first")
        default: logger.info("destination removed", metadata: ["destination": "\(destination)"])
        }
    }

    /// The destinations' key, or a 422-style error naming its variable.
    private func key() throws(DestinationError) -> DestinationKey? {
        do throws(ConfigurationError) { return try configuration.destinations.key(in: environment) } catch {
            throw .invalid(path: "", reason: error.description)
        }
    }

    /// The listing of the stored `destination`, just written.
    private func storedListing(_ destination: Destination) async throws(DestinationError) -> DestinationListing {
        let directory = try await currentDirectory()
        guard let listing = directory.listing(of: destination) else { throw .notFound("no stored destination \(destination)") }
        logger.info("destination stored", metadata: ["destination": "\(destination)", "secret_settings": "\(listing.secretNames)"])
        return listing
    }

    private func currentDirectory() async throws(DestinationError) -> DestinationDirectory {
        do throws(DeliveryError) { return try await directory() } catch { throw .delivery(error) }
    }

    private func storing(_ body: () async throws(DeliveryError) -> DestinationWrite) async throws(DestinationError) -> DestinationWrite {
        do throws(DeliveryError) { return try await body() } catch { throw .delivery(error) }
    }
}
