import Foundation
import Herald
import HeraldDelivery
import Testing

/// The Discord plugin against a local server that answers like a webhook's `execute`: the created message with
/// `wait=true`, Discord's error bodies, `429` with `Retry-After` and `retry_after`, and `5xx`.
@Suite("Discord webhook delivery")
struct DiscordDeliveryTests {
    static let variable = "TEST_DISCORD_WEBHOOK_URL"
    static let token = "discord-token-\(UUID().uuidString)"
    static let yaml = "services: {discord: {scopes: {printers: {webhook_url_env: \(variable)}}}}"

    /// A webhook that takes a JSON or multipart body and answers as `execute?wait=true` does, or with `reply` when one
    /// is given.
    static func webhook(_ ledger: KeyLedger, reply: TestReply? = nil) -> @Sendable (ReceivedRequest) async -> TestReply {
        Receivers.discordWebhook(ledger, reply: reply)
    }

    /// Routes `PrintDone` to the scope at `base` and notifies `message` once.
    static func notifyOnce(base: String, _ message: NotificationMessage) async throws -> Notifier {
        let notifier = try makeNotifier(
            try configuration(yaml), in: try temporaryDirectory(), environment: [variable: "\(base)/api/webhooks/1/\(token)"])
        try await notifier.setAutoNotifications(event: .printDone, service: .discord, enabled: true, scopes: ["printers"])
        try await notifier.notify(.printDone, message)
        return notifier
    }

    @Test("the body is posted as JSON to the webhook URL with wait=true; the created message's id is the reference")
    func deliveredAsJSON() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Self.webhook(ledger)) { base in
            let notifier = try await Self.notifyOnce(base: base, try sampleMessage(3))
            #expect(try await notifier.deliverPending().delivered == 1)
            let requests = await ledger.accepted
            try #require(requests.count == 1)
            #expect(requests[0].path == "/api/webhooks/1/\(Self.token)?wait=true")
            #expect(requests[0].header("Content-Type") == "application/json")
            #expect(requests[0].body == (try DiscordRenderer().render(try sampleMessage(3).withEvent("PrintDone")).payload.body))
            let delivery = try #require(try await notifier.outbox.deliveries().first)
            #expect(delivery.state == .delivered && delivery.reference == "13000000000000001")
        }
    }

    @Test("files go as multipart: payload_json first, then files[0], files[1] with their names and bytes")
    func deliveredAsMultipart() async throws {
        var message = try NotificationMessage(title: "Benchy done")
        try message.addText("Layer 120 of 120.")
        try message.addAttachment(data: Data([0x89, 0x50, 0x4E, 0x47, 1, 2, 3]), filename: "snapshot.png", mimeType: "image/png")
        try message.addAttachment(data: Data("G1 X10\n".utf8), filename: "part \"1\".gcode", mimeType: "text/x-gcode")
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Self.webhook(ledger)) { base in
            let notifier = try await Self.notifyOnce(base: base, message)
            #expect(try await notifier.deliverPending().delivered == 1)
            let request = try #require(await ledger.accepted.first)
            let contentType = try #require(request.header("Content-Type"))
            #expect(contentType.hasPrefix("multipart/form-data; boundary="))
            let boundary = String(contentType.dropFirst("multipart/form-data; boundary=".count))
            let parts = request.text.components(separatedBy: "--\(boundary)")
            try #require(parts.count == 5)
            #expect(parts[4] == "--\r\n")
            let payload = String(decoding: try DiscordRenderer().render(message.withEvent("PrintDone")).payload.body, as: UTF8.self)
            #expect(parts[1] == "\r\nContent-Disposition: form-data; name=\"payload_json\"\r\nContent-Type: application/json\r\n\r\n\(payload)\r\n")
            #expect(payload.contains(#""attachments":[{"filename":"snapshot.png","id":0},{"filename":"part \"1\".gcode","id":1}]"#))
            #expect(parts[2].hasPrefix("\r\nContent-Disposition: form-data; name=\"files[0]\"; filename=\"snapshot.png\"\r\nContent-Type: image/png\r\n\r\n"))
            #expect(parts[3] == "\r\nContent-Disposition: form-data; name=\"files[1]\"; filename=\"part %221%22.gcode\"\r\nContent-Type: text/x-gcode\r\n\r\nG1 X10\n\r\n")
        }
    }

    @Test("429 with Retry-After and retry_after is retried, as is a 502; both then delivered")
    func rateLimitAndServerErrorRetried() async throws {
        let ledger = KeyLedger()
        let failures = FailureBudget(failing: 2)
        let handler: @Sendable (ReceivedRequest) async -> TestReply = { request in
            guard await failures.takeOne() else { return await Self.webhook(ledger)(request) }
            await ledger.saw()
            return await ledger.seen == 1
                ? .json(429, #"{"message": "You are being rate limited.", "retry_after": 0.05, "global": false}"#, headers: [("Retry-After", "0")])
                : .json(502, #"{"message": "502 Bad Gateway", "code": 0}"#)
        }
        try await TestHTTPServer.with(handler) { base in
            let notifier = try await Self.notifyOnce(base: base, try sampleMessage(4))
            let summary = try await notifier.deliverPending()
            #expect(summary.delivered == 1)
            let delivery = try #require(try await notifier.outbox.deliveries().first)
            #expect(delivery.state == .delivered && delivery.attempts == 2, "the 429 with Retry-After counts no attempt")
            #expect(await ledger.accepted.count == 1)
        }
    }

    @Test("Discord's retry hint reaches the retry: Retry-After 7 is a transient failure asking for 7 seconds")
    func retryHint() async throws {
        let reply = TestReply.json(429, #"{"message": "You are being rate limited.", "retry_after": 6.3, "global": false}"#, headers: [("Retry-After", "7")])
        try await TestHTTPServer.with(Self.webhook(KeyLedger(), reply: reply)) { base in
            let exchange = DeliveryExchange(
                idempotencyKey: "key", transport: HTTPDeliveryTransport(), requestTimeout: .seconds(30),
                environment: DeliveryEnvironment([Self.variable: base + "/hook"]), redactor: SecretRedactor(secrets: [Secret]()))
            let plugin = DiscordWebhookPlugin()
            let configuration = try plugin.validateConfig(try Settings(["scopes": ["printers": ["webhook_url_env": .string(Self.variable)]]], path: "services.discord"))
            let message = try DiscordRenderer().render(try sampleMessage(5)).messages[0]
            do throws(SendFailure) {
                _ = try await plugin.send(message, to: "printers", configuration: configuration, through: exchange)
                Issue.record("a 429 was taken as a success")
            } catch {
                #expect(error == .transient(reason: "HTTP 429: You are being rate limited.", retryAfter: .seconds(7)))
            }
        }
    }

    @Test("a 400 fails at once with Discord's message, and the webhook token in an answer is never shown")
    func refusedWithoutEchoingTheToken() async throws {
        let ledger = KeyLedger()
        let answer = #"{"code": 50035, "errors": {"embeds": {"0": {"description": {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 4096 or fewer in length."}]}}}}, "message": "Invalid Form Body for webhook \#(Self.token)"}"#
        try await TestHTTPServer.with(Self.webhook(ledger, reply: .json(400, answer))) { base in
            let notifier = try await Self.notifyOnce(base: base, try sampleMessage(6))
            #expect(try await notifier.deliverPending().failed == 1)
            let delivery = try #require(try await notifier.outbox.deliveries().first)
            #expect(delivery.attempts == 1)
            let error = try #require(delivery.lastError)
            #expect(error.hasPrefix("HTTP 400: Invalid Form Body for webhook "))
            #expect(!error.contains(Self.token))
            #expect(await ledger.seen == 1)
        }
    }

    @Test("an empty message is refused before any request: Discord takes no message without content")
    func emptyMessageRefused() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Self.webhook(ledger)) { base in
            let notifier = try await Self.notifyOnce(base: base, try NotificationMessage())
            #expect(try await notifier.deliverPending().failed == 1)
            #expect(try await notifier.outbox.deliveries().first?.lastError == "the message is empty, and Discord refuses a message with nothing to show")
            #expect(await ledger.seen == 0)
        }
    }

    @Test("a webhook URL over plain http to another host is refused before any request")
    func plainHTTPRefused() async throws {
        let notifier = try makeNotifier(
            try configuration(Self.yaml), in: try temporaryDirectory(), environment: [Self.variable: "http://192.0.2.1/api/webhooks/1/\(Self.token)"])
        try await notifier.setAutoNotifications(event: .printDone, service: .discord, enabled: true, scopes: ["printers"])
        try await notifier.notify(.printDone, try sampleMessage(7))
        #expect(try await notifier.deliverPending().failed == 1)
        let error = try #require(try await notifier.outbox.deliveries().first?.lastError)
        #expect(error.contains("refusing to send a secret over plain http"))
        #expect(!error.contains(Self.token))
    }

    @Test("settings: webhook_url_env is required, an inline webhook_url is refused, and the variable is a secret URL")
    func configurationContract() throws {
        #expect(throws: ConfigurationError(path: "services.discord.scopes.printers.webhook_url_env", reason: "is required: the environment variable holding the webhook URL")) {
            try configuration("services: {discord: {scopes: {printers: {}}}}")
        }
        #expect(throws: ConfigurationError(path: "services.discord.scopes.printers.webhook_url", reason: "secrets are never written in the destinations file; put it in an environment variable and name that variable with webhook_url_env")) {
            try configuration("services: {discord: {scopes: {printers: {webhook_url: \"https://discord.com/api/webhooks/1/x\"}}}}")
        }
        #expect(throws: ConfigurationError(path: "services.discord.scopes.printers.username", reason: "unknown setting")) {
            try configuration("services: {discord: {scopes: {printers: {webhook_url_env: HOOK, username: Farm}}}}")
        }
        let plugin = DiscordWebhookPlugin()
        let settings = try plugin.validateConfig(try Settings(["scopes": ["b": ["webhook_url_env": "B"], "a": ["webhook_url_env": "A"]]], path: "services.discord"))
        #expect(plugin.scopes(in: settings) == ["a", "b"])
        #expect(plugin.environmentVariables(for: settings) == [
            EnvironmentVariableDeclaration(name: "A", purpose: "Discord webhook URL of scope a", isRequired: true, isSecret: true, isURL: true),
            EnvironmentVariableDeclaration(name: "B", purpose: "Discord webhook URL of scope b", isRequired: true, isSecret: true, isURL: true),
        ])
        #expect(plugin.supportedFeatures == .all)
    }
}
