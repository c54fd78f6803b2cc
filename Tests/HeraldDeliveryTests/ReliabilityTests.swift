import Foundation
import Herald
import HeraldDelivery
import Synchronization
import Testing

/// Retries, timeouts and the outbox against a local webhook that misbehaves on purpose.
@Suite("reliability: retries, timeouts, the durable outbox")
struct ReliabilityTests {
    static let variable = "TEST_WEBHOOK_URL"

    /// A webhook whose first answers are `script`, then 200.
    static func scripted(_ script: [TestReply], _ ledger: KeyLedger) -> @Sendable (ReceivedRequest) async -> TestReply {
        let remaining = Mutex(script)
        return { request in
            await ledger.saw()
            await ledger.accept(request)
            return remaining.withLock { $0.isEmpty ? nil : $0.removeFirst() } ?? .respond(status: 200)
        }
    }

    /// Routes `scan_completed` to one Markdown webhook at `base` and notifies once.
    static func notifyOnce(base: String, policy: DeliveryPolicy = fastPolicy(), directory: URL? = nil) async throws -> Notifier {
        let config = try configuration("services: {markdown: {scopes: {chat: {url_env: \(variable)}}}}", policy: policy)
        let notifier = try makeNotifier(config, in: try directory ?? temporaryDirectory(), environment: [variable: base + "/hook"])
        try await notifier.setAutoNotifications(event: .scanCompleted, service: .markdown, enabled: true, scopes: ["chat"])
        try await notifier.notify(.scanCompleted, "Scan 7 done")
        return notifier
    }

    @Test("5xx and 429 are retried with the same idempotency key until delivered")
    func transientAnswersAreRetried() async throws {
        let ledger = KeyLedger()
        let script: [TestReply] = [
            .json(503, #"{"error": "maintenance"}"#), .json(429, "{}", headers: [("Retry-After", "0")]), .respond(status: 500),
        ]
        try await TestHTTPServer.with(Self.scripted(script, ledger)) { base in
            let notifier = try await Self.notifyOnce(base: base)
            let summary = try await notifier.deliverPending()
            #expect(summary == DeliveryRunSummary(delivered: 1, retried: 3, failed: 0))
            let delivery = try #require(try await notifier.outbox.deliveries().first)
            #expect(delivery.state == .delivered)
            #expect(delivery.attempts == 3, "the 429 with Retry-After counts no attempt")
            let keys = await ledger.accepted.map(\.idempotencyKey)
            #expect(keys.count == 4)
            #expect(Set(keys) == [delivery.idempotencyKey])
        }
    }

    @Test("another 4xx is not retried: the delivery fails with the service's error text")
    func clientErrorsFail() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Self.scripted([.json(400, #"{"message": "text: must not be longer than 4000 characters"}"#)], ledger)) { base in
            let notifier = try await Self.notifyOnce(base: base)
            #expect(try await notifier.deliverPending().failed == 1)
            let delivery = try #require(try await notifier.outbox.deliveries().first)
            #expect(delivery.state == .failed)
            #expect(delivery.attempts == 1)
            #expect(delivery.lastError == "HTTP 400: text: must not be longer than 4000 characters")
            #expect(await ledger.seen == 1)
        }
    }

    @Test("a slow answer times out and a dropped connection fails the attempt; both are retried")
    func timeoutsAndDroppedConnections() async throws {
        let ledger = KeyLedger()
        // The slow answer comes long after the timeout, and the timeout leaves room for the answers that follow on a
        // machine busy with the other suites.
        let script: [TestReply] = [.respond(status: 200, after: .seconds(30)), .drop()]
        try await TestHTTPServer.with(Self.scripted(script, ledger)) { base in
            let notifier = try await Self.notifyOnce(base: base, policy: fastPolicy(requestTimeout: .seconds(3)))
            #expect(try await notifier.deliverPending() == DeliveryRunSummary(delivered: 1, retried: 2, failed: 0))
            let delivery = try #require(try await notifier.outbox.deliveries().first)
            #expect(delivery.attempts == 3)
            #expect(delivery.state == .delivered)
        }
    }

    @Test("when the attempts run out the delivery fails, stays in the outbox, and retryFailed sends it again")
    func attemptsRunOut() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Self.scripted(Array(repeating: .respond(status: 502), count: 3), ledger)) { base in
            let notifier = try await Self.notifyOnce(base: base, policy: fastPolicy(maximumAttempts: 3))
            #expect(try await notifier.deliverPending() == DeliveryRunSummary(delivered: 0, retried: 2, failed: 1))
            let failed = try #require(try await notifier.outbox.deliveries().first)
            #expect(failed.state == .failed)
            #expect(failed.lastError == "gave up after 3 attempts: HTTP 502")
            #expect(try await notifier.outbox.retryFailed() == 1)
            #expect(try await notifier.deliverPending().delivered == 1)
            let delivered = try #require(try await notifier.outbox.deliveries().first)
            #expect(delivered.state == .delivered)
            #expect(delivered.idempotencyKey == failed.idempotencyKey)
        }
    }

    @Test("an unreachable service loses nothing: the notification waits in the outbox for a later sender")
    func unreachableService() async throws {
        let directory = try temporaryDirectory()
        // A port nothing listens on: take one from a server that has stopped.
        let closedBase = try await TestHTTPServer.with({ _ in .respond(status: 200) }) { base in base }
        let first = try await Self.notifyOnce(base: closedBase, policy: fastPolicy(maximumAttempts: 2), directory: directory)
        #expect(try await first.deliverPending().failed == 1)
        let unreachable = try #require(try await first.outbox.deliveries().first)
        #expect(unreachable.state == .failed)
        #expect(unreachable.lastError == "gave up after 2 attempts: connection refused")

        let ledger = KeyLedger()
        try await TestHTTPServer.with(Receivers.markdownWebhook(ledger)) { base in
            // A restarted sender with the service back: same outbox file, new configuration.
            let config = try configuration("services: {markdown: {scopes: {chat: {url_env: \(Self.variable)}}}}")
            let restarted = Notifier(
                configuration: config, outbox: try Outbox(path: directory.appendingPathComponent("outbox.sqlite").path),
                environment: DeliveryEnvironment([Self.variable: base + "/hook"]))
            #expect(try await restarted.outbox.retryFailed() == 1)
            #expect(try await restarted.deliverPending().delivered == 1)
            #expect(await ledger.accepted.map(\.idempotencyKey) == [unreachable.idempotencyKey])
        }
    }

    @Test("notify writes every delivery before any attempt; a new notifier on the same file sends them")
    func restartResumesPending() async throws {
        let directory = try temporaryDirectory()
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Receivers.markdownWebhook(ledger)) { base in
            let first = try await Self.notifyOnce(base: base, directory: directory)
            try await first.notify(.scanCompleted, "Scan 8 done")
            #expect(await ledger.seen == 0, "notify alone sends nothing")
            let pending = try await first.outbox.deliveries()
            #expect(pending.map(\.state) == [.pending, .pending])

            let config = try configuration("services: {markdown: {scopes: {chat: {url_env: \(Self.variable)}}}}")
            let second = Notifier(
                configuration: config, outbox: try Outbox(path: directory.appendingPathComponent("outbox.sqlite").path),
                environment: DeliveryEnvironment([Self.variable: base + "/hook"]))
            #expect(try await second.deliverPending().delivered == 2)
            #expect(Set(await ledger.accepted.compactMap(\.idempotencyKey)) == Set(pending.map(\.idempotencyKey)))
        }
    }
}

@Suite("retry policy")
struct RetryPolicyTests {
    @Test("backoff doubles from the initial value, stays within [b/2, b] and under the cap")
    func backoff() {
        let policy = DeliveryPolicy(initialBackoff: .seconds(1), maximumBackoff: .seconds(60))
        var generator = SystemRandomNumberGenerator()
        for attempt in 1...12 {
            let base = min(60.0, pow(2.0, Double(attempt - 1)))
            for _ in 0..<20 {
                let delay = policy.backoff(afterAttempt: attempt, retryAfter: nil, using: &generator)
                #expect(delay >= .milliseconds(Int64(base * 500)) && delay <= .milliseconds(Int64(base * 1000) + 1))
            }
        }
    }

    @Test("Retry-After raises the delay to what the service asked, up to maximumRetryAfter")
    func retryAfter() {
        let policy = DeliveryPolicy(initialBackoff: .milliseconds(10), maximumBackoff: .milliseconds(20), maximumRetryAfter: .seconds(600))
        #expect(policy.backoff(afterAttempt: 1, retryAfter: .seconds(120)) == .seconds(120))
        #expect(policy.backoff(afterAttempt: 1, retryAfter: .seconds(7200)) == .seconds(600))
        #expect(policy.backoff(afterAttempt: 1, retryAfter: .zero) <= .milliseconds(10))
    }
}
