import Foundation
import Herald
import HeraldDelivery
import HeraldTestSupport
import Testing

/// The signed webhook against a local receiver: the body is the renderer's, the signature verifies with the
/// Standard Webhooks reference library, failures are judged as for every service, and no secret is ever shown.
@Suite("Webhook delivery")
struct WebhookDeliveryTests {
    static let urlVariable = "TEST_WEBHOOK_URL"
    static let secretVariable = "TEST_WEBHOOK_SECRET"
    static let secret = "whsec_" + Data((0..<32).map { UInt8($0 + 100) }).base64EncodedString()

    /// A receiver that takes signed JSON and gives `reply`.
    static func receiver(_ ledger: KeyLedger, reply: @escaping @Sendable (Int) -> TestReply = { _ in .respond(status: 204) })
        -> @Sendable (ReceivedRequest) async -> TestReply
    {
        { request in
            await ledger.saw()
            guard request.method == "POST", request.header("webhook-id") != nil, request.header("webhook-timestamp") != nil,
                request.header("webhook-signature")?.hasPrefix("v1,") == true, case .object? = try? JSONReader().read(request.body)
            else { return .json(400, #"{"error": "unsigned or not JSON"}"#) }
            await ledger.accept(request)
            return reply(await ledger.seen)
        }
    }

    static func notifier(base: String, secret: String = secret) async throws -> Notifier {
        let config = try configuration("services: {webhook: {scopes: {farm: {url_env: \(urlVariable), secret_env: \(secretVariable)}}}}")
        let notifier = try makeNotifier(
            config, in: try temporaryDirectory(), environment: [urlVariable: base + "/hooks/herald", secretVariable: secret])
        try await notifier.setAutoNotifications(event: .printDone, service: .webhook, enabled: true, scopes: ["farm"])
        try await notifier.notify(.printDone, try sampleMessage(3))
        return notifier
    }

    /// Runs scripts/check_webhook.py on received requests, each expected to verify.
    static func verify(_ requests: [ReceivedRequest]) throws -> ExternalCommand {
        let cases: [JSONValue] = requests.enumerated().map { index, request in
            let headers = ["webhook-id", "webhook-timestamp", "webhook-signature"].map { ($0, JSONValue.string(request.header($0) ?? "")) }
            return [
                "name": .string("request \(index + 1)"), "secret": .string(secret), "expect": "valid",
                "headers": .object(Dictionary(uniqueKeysWithValues: headers)), "body": .string(Data(request.body).base64EncodedString()),
            ]
        }
        return try ExternalCommand.run("python3", ["scripts/check_webhook.py"], input: Data(JSONWriter().bytes(.array(cases))))
    }

    @Test("the body is posted as JSON with webhook-id (the idempotency key), a current timestamp and a signature the reference library verifies",
          .requires(.standardWebhooks, .pythonJSONSchema))
    func signedDelivery() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Self.receiver(ledger)) { base in
            let before = Int(Date().timeIntervalSince1970)
            let notifier = try await Self.notifier(base: base)
            #expect(try await notifier.deliverPending().delivered == 1)
            let requests = await ledger.accepted
            try #require(requests.count == 1)
            let request = requests[0]
            #expect(request.path == "/hooks/herald")
            #expect(request.header("Content-Type") == "application/json; charset=utf-8")
            #expect(request.header("webhook-id") == request.idempotencyKey)
            let timestamp = try #require(Int(request.header("webhook-timestamp") ?? ""))
            #expect(timestamp >= before && timestamp <= Int(Date().timeIntervalSince1970))
            let expected = try WebhookRenderer().render(try sampleMessage(3).withEvent("PrintDone")).payload.body
            #expect(request.body == expected)
            let check = try Self.verify(requests)
            #expect(check.output == "1 passed, 0 failed\n", "\(check.output)")
        }
    }

    @Test("a 503, then a 429 with Retry-After, are retried with the same webhook-id, each attempt signed afresh",
          .requires(.standardWebhooks, .pythonJSONSchema))
    func retried() async throws {
        let ledger = KeyLedger()
        let reply: @Sendable (Int) -> TestReply = { seen in
            switch seen {
            case 1: .json(503, #"{"error": "receiver restarting"}"#)
            case 2: .json(429, #"{"error": "slow down"}"#, headers: [("Retry-After", "0")])
            default: .respond(status: 200)
            }
        }
        try await TestHTTPServer.with(Self.receiver(ledger, reply: reply)) { base in
            let notifier = try await Self.notifier(base: base)
            let summary = try await notifier.deliverPending()
            #expect(summary.delivered == 1 && summary.retried == 2)
            let requests = await ledger.accepted
            #expect(requests.count == 3)
            #expect(Set(requests.compactMap { $0.header("webhook-id") }).count == 1)
            #expect(requests.allSatisfy { $0.body == requests[0].body })
            let check = try Self.verify(requests)
            #expect(check.output == "3 passed, 0 failed\n", "\(check.output)")
        }
    }

    @Test("a 4xx fails at once with the receiver's text, the secret it echoes redacted")
    func refused() async throws {
        let ledger = KeyLedger()
        let reply: @Sendable (Int) -> TestReply = { _ in .json(401, #"{"error": "bad signature for secret \#(Self.secret)"}"#) }
        try await TestHTTPServer.with(Self.receiver(ledger, reply: reply)) { base in
            let notifier = try await Self.notifier(base: base)
            #expect(try await notifier.deliverPending().failed == 1)
            let delivery = try #require(try await notifier.outbox.deliveries().first)
            #expect(delivery.attempts == 1)
            #expect(delivery.lastError == "HTTP 401: bad signature for secret <secret>")
        }
    }

    @Test("a signing secret that is not whsec_ and base64 fails the delivery naming the variable, without sending or quoting it")
    func invalidSecret() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Self.receiver(ledger)) { base in
            let notifier = try await Self.notifier(base: base, secret: "hunter2-not-a-standard-secret")
            #expect(try await notifier.deliverPending().failed == 1)
            let delivery = try #require(try await notifier.outbox.deliveries().first)
            #expect(delivery.lastError == "environment variable \(Self.secretVariable) (webhook signing secret) is not a Standard Webhooks secret: it must start with whsec_")
            #expect(await ledger.seen == 0)
        }
    }

    @Test("inline URL or secret, or a missing secret_env, is a configuration error; both variables are declared secret")
    func configurationErrors() throws {
        #expect(throws: ConfigurationError(path: "services.webhook.scopes.farm.secret", reason: "secrets are never written in the destinations file; put it in an environment variable and name that variable with secret_env")) {
            try DeliveryConfiguration(yaml: "services: {webhook: {scopes: {farm: {url_env: U, secret: whsec_abc}}}}")
        }
        #expect(throws: ConfigurationError(path: "services.webhook.scopes.farm.secret_env", reason: "is required: the environment variable holding the signing secret (whsec_…)")) {
            try DeliveryConfiguration(yaml: "services: {webhook: {scopes: {farm: {url_env: U}}}}")
        }
        #expect(throws: ConfigurationError.self) { try DeliveryConfiguration(yaml: "services: {webhook: {scopes: {farm: {url: 'https://x.example', secret_env: S}}}}") }
        let config = try DeliveryConfiguration(yaml: "services: {webhook: {scopes: {farm: {url_env: U, secret_env: S}}}}")
        let statuses = try #require(config.services[.webhook]?.environmentStatus(in: DeliveryEnvironment(["U": "https://x.example/h", "S": Self.secret])))
        #expect(statuses.map(\.name) == ["U", "S"])
        #expect(statuses.allSatisfy { $0.isSet && $0.isSecret && $0.value == nil })
    }
}
