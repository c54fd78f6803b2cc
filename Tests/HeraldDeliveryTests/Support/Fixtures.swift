import Foundation
import Herald
import HeraldDelivery
import Logging

/// A fresh temporary directory for one test.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("herald-delivery-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A policy with short backoffs, so that tests never sleep for seconds. The request timeout is long unless a test is
/// about timeouts: a passing request never waits for it, and a machine busy with the other suites (which share two
/// cores and the cooperative threads with the test servers) must not turn a slow answer into a retry.
func fastPolicy(
    requestTimeout: Duration = .seconds(30), maximumAttempts: Int = 5, concurrency: Int = 4
) -> DeliveryPolicy {
    DeliveryPolicy(
        requestTimeout: requestTimeout, maximumAttempts: maximumAttempts, initialBackoff: .milliseconds(5),
        maximumBackoff: .milliseconds(40), maximumRetryAfter: .seconds(2), concurrency: concurrency,
        leaseMargin: .milliseconds(300), pollInterval: .milliseconds(20))
}

/// Sets a policy into a parsed configuration.
func configuration(_ yaml: String, policy: DeliveryPolicy = fastPolicy()) throws -> DeliveryConfiguration {
    var configuration = try DeliveryConfiguration(yaml: yaml)
    configuration.policy = policy
    return configuration
}

/// A notifier on a fresh outbox in `directory`.
func makeNotifier(
    _ configuration: DeliveryConfiguration, in directory: URL, environment: [String: String] = [:],
    logger: Logger = Logger(label: "herald.test", factory: { _ in SwiftLogNoOpLogHandler() }), backend: OutboxBackend = .sqlite
) throws -> Notifier {
    Notifier(
        configuration: configuration, outbox: try backend.makeOutbox(in: directory),
        environment: DeliveryEnvironment(environment), logger: logger)
}

/// A message with a title, styled runs and tags.
func sampleMessage(_ number: Int = 1) throws -> NotificationMessage {
    var message = try NotificationMessage(title: "Scan \(number) done")
    try message.addText("Robot arm stopped", bold: true, color: .red)
    try message.addText(" at position \(number).")
    try message.addTags(["scan", "robot"])
    return message
}
