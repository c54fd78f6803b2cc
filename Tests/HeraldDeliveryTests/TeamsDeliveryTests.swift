import Foundation
import Herald
import HeraldDelivery
import Testing

/// The Teams plugin against a local server that answers like a classic incoming webhook or a Workflows trigger.
@Suite("Teams webhook delivery")
struct TeamsDeliveryTests {
    static let variable = "TEST_TEAMS_WEBHOOK_URL"

    /// A Teams webhook that takes the message and gives `reply`.
    static func webhook(_ ledger: KeyLedger, reply: TestReply) -> @Sendable (ReceivedRequest) async -> TestReply {
        { request in
            await ledger.saw()
            guard request.method == "POST", case .object(let message)? = try? JSONReader().read(request.body), message["type"] == "message" else {
                return .respond(status: 400, body: Array("Bad payload".utf8))
            }
            await ledger.accept(request)
            return reply
        }
    }

    /// Routes `scan_completed` to one Teams scope at `base` and notifies once.
    static func notifyOnce(base: String) async throws -> Notifier {
        let config = try configuration("services: {teams: {scopes: {operators: {webhook_url_env: \(variable)}}}}")
        let notifier = try makeNotifier(config, in: try temporaryDirectory(), environment: [variable: base + "/webhookb2/abc"])
        try await notifier.setAutoNotifications(event: .scanCompleted, service: .teams, enabled: true, scopes: ["operators"])
        try await notifier.notify(.scanCompleted, try sampleMessage(12))
        return notifier
    }

    @Test("the webhook message is posted as UTF-8 JSON to the URL from the environment; 200 \"1\" and 202 are delivered",
          arguments: [TestReply.respond(status: 200, body: Array("1".utf8)), .respond(status: 202)])
    func delivered(_ reply: TestReply) async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Self.webhook(ledger, reply: reply)) { base in
            let notifier = try await Self.notifyOnce(base: base)
            #expect(try await notifier.deliverPending().delivered == 1)
            let requests = await ledger.accepted
            try #require(requests.count == 1)
            #expect(requests[0].path == "/webhookb2/abc")
            #expect(requests[0].header("Content-Type") == "application/json; charset=utf-8")
            let expected = try TeamsRenderer().render(try sampleMessage(12).withEvent("scan_completed")).payload.body
            #expect(requests[0].body == expected)
            #expect(try await notifier.outbox.deliveries().map(\.state) == [.delivered])
        }
    }

    @Test("a 200 whose body is an error text (the classic webhook's way to refuse) fails without a retry")
    func refusedWithStatus200() async throws {
        let ledger = KeyLedger()
        let refusal = "Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 413"
        try await TestHTTPServer.with(Self.webhook(ledger, reply: .respond(status: 200, body: Array(refusal.utf8)))) { base in
            let notifier = try await Self.notifyOnce(base: base)
            #expect(try await notifier.deliverPending().failed == 1)
            let delivery = try #require(try await notifier.outbox.deliveries().first)
            #expect(delivery.state == .failed)
            #expect(delivery.attempts == 1)
            #expect(delivery.lastError == "Teams did not post the message: \(refusal)")
        }
    }

    /// A log of `lines` lines: over Teams' limit from about 400 lines on.
    static func longLog(_ lines: Int) throws -> NotificationMessage {
        var message = try NotificationMessage(title: "Night shift log")
        try message.addText((0..<lines).map { "Frame \($0) acquired; exposure 0.1 s, mean counts 1234." }.joined(separator: "\n"))
        return message
    }

    @Test("a notification over the limit goes out as several cards, in order, each with its own idempotency key")
    func severalCards() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Self.webhook(ledger, reply: .respond(status: 200, body: Array("1".utf8)))) { base in
            let config = try configuration("services: {teams: {scopes: {operators: {webhook_url_env: \(Self.variable)}}}}")
            let notifier = try makeNotifier(config, in: try temporaryDirectory(), environment: [Self.variable: base + "/hook"])
            try await notifier.setAutoNotifications(event: .scanCompleted, service: .teams, enabled: true, scopes: ["operators"])
            let receipt = try await notifier.notify(.scanCompleted, try Self.longLog(1_500))
            #expect(try await notifier.deliverPending().delivered == 1)
            let expected = try TeamsRenderer().render(try Self.longLog(1_500).withEvent("scan_completed")).messages.map(\.payload.body)
            #expect(expected.count >= 3)
            let requests = await ledger.accepted
            #expect(requests.map(\.body) == expected)
            let key = try #require(try await notifier.outbox.deliveries().first?.idempotencyKey)
            #expect(requests.map(\.idempotencyKey) == (1...expected.count).map { "\(key)-\($0)" })
            #expect(receipt.deliveries.count == 1)
        }
    }

    @Test("when a card fails, the retry sends only the cards not yet accepted")
    func retryResumesAfterTheAcceptedCards() async throws {
        let ledger = KeyLedger()
        let failures = FailureBudget(failing: 1)
        let handler: @Sendable (ReceivedRequest) async -> TestReply = { request in
            // The second card fails once with 503; everything else is accepted.
            if request.idempotencyKey?.hasSuffix("-2") == true, await failures.takeOne() {
                await ledger.saw()
                return .respond(status: 503)
            }
            return await Self.webhook(ledger, reply: .respond(status: 200, body: Array("1".utf8)))(request)
        }
        try await TestHTTPServer.with(handler) { base in
            let config = try configuration("services: {teams: {scopes: {operators: {webhook_url_env: \(Self.variable)}}}}")
            let notifier = try makeNotifier(config, in: try temporaryDirectory(), environment: [Self.variable: base + "/hook"])
            try await notifier.setAutoNotifications(event: .scanCompleted, service: .teams, enabled: true, scopes: ["operators"])
            try await notifier.notify(.scanCompleted, try Self.longLog(1_500))
            let summary = try await notifier.deliverPending()
            #expect(summary.delivered == 1 && summary.retried == 1)
            let keys = await ledger.accepted.compactMap(\.idempotencyKey)
            let count = try TeamsRenderer().render(try Self.longLog(1_500)).messages.count
            let key = try #require(try await notifier.outbox.deliveries().first?.idempotencyKey)
            // Each card accepted once, in order: the first was not sent again after the failure.
            #expect(keys == (1...count).map { "\(key)-\($0)" })
            #expect(await ledger.duplicates == 0)
            let delivery = try #require(try await notifier.outbox.deliveries().first)
            #expect(delivery.state == .delivered && delivery.attempts == 2)
        }
    }

    @Test("a scope without webhook_url_env, or with the URL written inline, is a configuration error")
    func configurationErrors() {
        #expect(throws: ConfigurationError.self) { try configuration("services: {teams: {scopes: {operators: {}}}}") }
        #expect(throws: ConfigurationError.self) {
            try configuration("services: {teams: {scopes: {operators: {webhook_url: \"https://example.org/hook\"}}}}")
        }
    }
}

/// How many more requests a test receiver refuses.
actor FailureBudget {
    private var remaining: Int

    init(failing count: Int) { remaining = count }

    /// Whether this request is one to refuse; counts it.
    func takeOne() -> Bool {
        guard remaining > 0 else { return false }
        remaining -= 1
        return true
    }
}
