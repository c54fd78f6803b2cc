/// A notifier's current ``DestinationDirectory``: the stored destinations are read again only when the outbox's
/// destinations version differs from the one held, so each call costs one small read and a change made by any
/// process on the outbox is seen at the next call.
actor DestinationCache {
    private let file: DeliveryConfiguration
    private let outbox: Outbox
    private let environment: DeliveryEnvironment
    private var held: DestinationDirectory?

    init(file: DeliveryConfiguration, outbox: Outbox, environment: DeliveryEnvironment) {
        self.file = file
        self.outbox = outbox
        self.environment = environment
    }

    /// The directory at the outbox's current version.
    func directory() async throws(DeliveryError) -> DestinationDirectory {
        guard let changed = try await outbox.storedDestinations(unlessVersion: held?.version) else {
            if let held { return held }
            return DestinationDirectory(file: file, environment: environment)
        }
        let directory = DestinationDirectory(file: file, version: changed.version, rows: changed.rows, environment: environment)
        held = directory
        return directory
    }
}
