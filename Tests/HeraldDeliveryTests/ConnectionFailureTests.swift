import Foundation
import Herald
import HeraldDelivery
import Testing

/// Each way a connection can fail is named, and a connection that cannot be made fails the attempt at once instead
/// of being retried until the request's deadline.
@Suite("connection failures")
struct ConnectionFailureTests {
    /// The failure of one request to `url` through the default transport, with a deadline of `timeout`.
    static func failure(of url: String, timeout: Duration = .seconds(10)) async -> TransportError? {
        do {
            _ = try await HTTPDeliveryTransport().perform(OutgoingRequest(url: url, body: Array("{}".utf8)), timeout: timeout)
            return nil
        } catch {
            return error
        }
    }

    /// A port nothing listens on: taken from a server that has stopped.
    static func closedPort() async throws -> String {
        try await TestHTTPServer.with({ _ in .respond(status: 200) }) { base in base }
    }

    @Test("a refused connection is named and fails at once, without waiting for the request's deadline")
    func refused() async throws {
        let base = try await Self.closedPort()
        let clock = ContinuousClock()
        let start = clock.now
        let error = await Self.failure(of: base + "/hook", timeout: .seconds(10))
        let elapsed = clock.now - start
        #expect(error?.description == "connection refused")
        // Connects to a refused port are retried until the deadline when the client retries connecting; the kind
        // of error does not show that (the last connect error is reported either way), so this one check compares
        // durations, against half the deadline: a margin no loaded machine comes near for a refused local connect.
        #expect(elapsed < .seconds(5))
    }

    @Test("a reset connection is named")
    func reset() async throws {
        try await MisbehavingListener.with(.reset) { port, _ in
            let error = await Self.failure(of: "http://127.0.0.1:\(port)/hook")
            #expect(error?.description == "the connection was reset")
        }
    }

    @Test("TLS spoken to a plain port is named, and the connection is tried once, not until the deadline")
    func tlsToAPlainPort() async throws {
        try await MisbehavingListener.with(.answerPlainHTTP) { port, accepted in
            let error = await Self.failure(of: "https://127.0.0.1:\(port)/hook")
            #expect(error == .tlsHandshakeFailed(reason: "the server does not speak TLS on this port"), "\(String(describing: error))")
            #expect(accepted() == 1)
        }
    }

    @Test("an unknown host is named")
    func hostNotFound() async throws {
        let error = await Self.failure(of: "https://nonexistent.invalid/hook")
        #expect(error?.description == "host not found")
    }

    @Test("a worker against a refused port records a connection-refused retry and goes to backoff")
    func workerBacksOffOnARefusedPort() async throws {
        let base = try await Self.closedPort()
        let config = try configuration(
            "services: {markdown: {scopes: {chat: {url_env: REFUSED_HOOK}}}}",
            policy: fastPolicy(requestTimeout: .seconds(10), maximumAttempts: 2))
        let notifier = try makeNotifier(config, in: try temporaryDirectory(), environment: ["REFUSED_HOOK": base + "/hook"])
        try await notifier.setAutoNotifications(event: .printDone, service: .markdown, enabled: true, scopes: ["chat"])
        try await notifier.notify(.printDone, "Benchy finished")
        #expect(try await notifier.deliverPending() == DeliveryRunSummary(delivered: 0, retried: 1, failed: 1))
        let delivery = try #require(try await notifier.outbox.deliveries().first)
        #expect(delivery.lastError == "gave up after 2 attempts: connection refused")
    }
}
