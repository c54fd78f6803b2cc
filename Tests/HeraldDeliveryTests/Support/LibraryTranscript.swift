import Foundation
import Herald
import HeraldDelivery

/// What the library shows and keeps when a notifier on the destinations file at `configurationPath` (with a
/// capturing logger) notifies `message` as `PrintDone`, delivers, and sends a test message to `destination`.
struct LibraryTranscript {
    /// The test message's failure, when it failed.
    var testFailure: String?
    /// Every stored `last_error` of the outbox.
    var storedErrors: [String]
    /// Every log line.
    var logLines: [String]

    /// All of it.
    var all: [String] { [testFailure].compactMap { $0 } + storedErrors + logLines }

    init(configurationPath: String, variables: [String: String], message: NotificationMessage, destination: Destination) async throws {
        let capture = LogCapture()
        let configuration = try DeliveryConfiguration(contentsOf: configurationPath)
        guard let outboxPath = configuration.outboxPath else { throw CancellationError() }
        let notifier = Notifier(
            configuration: configuration, outbox: try Outbox(path: outboxPath), environment: DeliveryEnvironment(variables),
            logger: capture.logger)
        try await notifier.notify(.printDone, message)
        try await notifier.deliverPending()
        if case .failure(let failure) = try await notifier.sendTestMessage(to: destination) { testFailure = failure.description }
        storedErrors = try await notifier.outbox.deliveries().compactMap(\.lastError)
        logLines = capture.captured
    }
}
