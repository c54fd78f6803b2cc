import Foundation
import Herald
import HeraldDelivery
import HeraldTestSupport
import Testing

/// The Slack plugin against a local server that answers like Slack's Web API (`chat.postMessage`: `200` with
/// `{"ok": true, "ts"}` or `{"ok": false, "error"}`, `429` with `Retry-After`) and like an incoming webhook (`ok`, or
/// an error text with a 4xx status).
@Suite("Slack delivery")
struct SlackDeliveryTests {
    static let token = "xoxb-1234-5678-\(UUID().uuidString)"
    static let webhookPath = "/services/T0001/B0001/\(UUID().uuidString)"

    /// Slack's Web API: `chat.postMessage` with the bearer token; `reply` decides the answer to a well-formed request.
    static func webAPI(_ ledger: KeyLedger, reply: @escaping @Sendable (ReceivedRequest) async -> TestReply = { _ in posted }) -> @Sendable (ReceivedRequest) async -> TestReply {
        { request in
            await ledger.saw()
            guard request.path == "/api/chat.postMessage" else { return .json(404, "") }
            guard request.header("Authorization") == "Bearer \(token)" else { return .json(200, #"{"ok": false, "error": "invalid_auth"}"#) }
            guard request.header("Content-Type") == "application/json; charset=utf-8", case .object(let body)? = try? JSONReader().read(request.body),
                case .array? = body["blocks"], case .string? = body["text"]
            else {
                return .json(200, #"{"ok": false, "error": "invalid_arguments"}"#)
            }
            guard body["channel"] == "C0123456789" else { return .json(200, #"{"ok": false, "error": "channel_not_found"}"#) }
            await ledger.accept(request)
            return await reply(request)
        }
    }

    static let posted = TestReply.json(200, #"{"ok": true, "channel": "C0123456789", "ts": "1700000000.000100", "message": {}}"#)

    /// An incoming webhook at ``webhookPath``.
    static func webhook(_ ledger: KeyLedger) -> @Sendable (ReceivedRequest) async -> TestReply {
        { request in
            await ledger.saw()
            guard request.path == webhookPath else { return .respond(status: 404, body: Array("no_service".utf8)) }
            guard case .object(let body)? = try? JSONReader().read(request.body), body["channel"] == nil, case .array? = body["blocks"] else {
                return .respond(status: 400, body: Array("invalid_payload".utf8))
            }
            await ledger.accept(request)
            return .respond(status: 200, headers: [("Content-Type", "text/html")], body: Array("ok".utf8))
        }
    }

    static let settings = "token_env: SLACK_BOT_TOKEN, scopes: {printers: {channel: C0123456789}, lab: {webhook_url_env: SLACK_LAB_WEBHOOK}}"

    /// A notifier with both scopes on `base`, `scan_completed` routed to `scope`.
    static func notifier(base: String, scope: String, settings: String = settings) async throws -> Notifier {
        let config = try configuration("services: {slack: {api_url: \"\(base)/api\", \(settings)}}")
        let notifier = try makeNotifier(
            config, in: try temporaryDirectory(), environment: ["SLACK_BOT_TOKEN": token, "SLACK_LAB_WEBHOOK": base + webhookPath])
        try await notifier.setAutoNotifications(event: .scanCompleted, service: .slack, enabled: true, scopes: [scope])
        return notifier
    }

    static func expectedBody(_ message: NotificationMessage, channel: String?, uploadsFiles: Bool = false) throws -> JSONValue {
        guard case .object(var body) = try SlackRenderer(uploadsFiles: uploadsFiles).render(message.withEvent("scan_completed")).payload.json else { return .null }
        body["channel"] = channel.map(JSONValue.string)
        return .object(body)
    }

    @Test("chat.postMessage: the body with the channel, the bearer token, UTF-8 JSON; the message's ts is the reference")
    func postMessage() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Self.webAPI(ledger)) { base in
            let notifier = try await Self.notifier(base: base, scope: "printers")
            let receipt = try await notifier.notify(.scanCompleted, try sampleMessage(3))
            #expect(try await notifier.deliverPending().delivered == 1)
            let requests = await ledger.accepted
            try #require(requests.count == 1)
            #expect(try JSONReader().read(requests[0].body) == (try Self.expectedBody(try sampleMessage(3), channel: "C0123456789")))
            #expect(requests[0].idempotencyKey == receipt.deliveries[0].idempotencyKey)
            let delivery = try #require(try await notifier.outbox.deliveries().first)
            #expect(delivery.state == .delivered && delivery.reference == "1700000000.000100")
        }
    }

    @Test("an incoming webhook gets the same body without a channel; its ok is a delivery")
    func webhook() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Self.webhook(ledger)) { base in
            let notifier = try await Self.notifier(base: base, scope: "lab")
            try await notifier.notify(.scanCompleted, try sampleMessage(4))
            #expect(try await notifier.deliverPending().delivered == 1)
            let requests = await ledger.accepted
            try #require(requests.count == 1)
            #expect(requests[0].body == (try SlackRenderer().render(try sampleMessage(4).withEvent("scan_completed")).payload.body))
            #expect(requests[0].header("Authorization") == nil)
        }
    }

    @Test("Slack's 200 with ok false is a failure with its error and details, not retried", arguments: [
        (#"{"ok": false, "error": "channel_not_found"}"#, "Slack refused the message: channel_not_found"),
        (#"{"ok": false, "error": "invalid_blocks", "response_metadata": {"messages": ["[ERROR] must be less than 3001 characters [json-pointer:/blocks/1/text/text]"]}}"#,
         "Slack refused the message: invalid_blocks; [ERROR] must be less than 3001 characters [json-pointer:/blocks/1/text/text]"),
        (#"{"ok": true}"#, nil),
        (#"<html>gateway</html>"#, "Slack answered HTTP 200 without its {\"ok\": …} answer"),
    ] as [(String, String?)])
    func okFalse(_ answer: String, _ error: String?) async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Self.webAPI(ledger) { _ in .json(200, answer) }) { base in
            let notifier = try await Self.notifier(base: base, scope: "printers")
            try await notifier.notify(.scanCompleted, try sampleMessage())
            let summary = try await notifier.deliverPending()
            let delivery = try #require(try await notifier.outbox.deliveries().first)
            #expect(delivery.attempts == 1)
            #expect(delivery.lastError == error)
            #expect(summary.failed == (error == nil ? 0 : 1))
        }
    }

    /// The attempts a delivery counts after `answer` and then a success: an answer with `Retry-After` counts none.
    static func attempts(after answer: TestReply) -> Int {
        guard case .respond(_, let headers, _, _) = answer, headers.contains(where: { $0.0 == "Retry-After" }) else { return 2 }
        return 1
    }

    @Test("rate limits and passing errors are retried, honouring Retry-After: 429, ok false with ratelimited or internal_error, 503", arguments: [
        TestReply.json(429, #"{"ok": false, "error": "ratelimited"}"#, headers: [("Retry-After", "0")]),
        .json(200, #"{"ok": false, "error": "ratelimited"}"#, headers: [("Retry-After", "0")]),
        .json(200, #"{"ok": false, "error": "internal_error"}"#),
        .respond(status: 503),
    ])
    func retried(_ firstAnswer: TestReply) async throws {
        let ledger = KeyLedger()
        let failures = FailureBudget(failing: 1)
        try await TestHTTPServer.with(Self.webAPI(ledger) { _ in await failures.takeOne() ? firstAnswer : Self.posted }) { base in
            let notifier = try await Self.notifier(base: base, scope: "printers")
            try await notifier.notify(.scanCompleted, try sampleMessage())
            let summary = try await notifier.deliverPending()
            #expect(summary.delivered == 1 && summary.retried == 1)
            let delivery = try #require(try await notifier.outbox.deliveries().first)
            #expect(delivery.state == .delivered && delivery.attempts == Self.attempts(after: firstAnswer))
        }
    }

    @Test("the Retry-After of a 429 or of ok false with ratelimited is what the retry waits for")
    func retryAfterIsRead() async throws {
        for answer in [
            TestReply.json(429, #"{"ok": false, "error": "ratelimited"}"#, headers: [("Retry-After", "30")]),
            .json(200, #"{"ok": false, "error": "ratelimited"}"#, headers: [("Retry-After", "30")]),
        ] {
            try await TestHTTPServer.with(Self.webAPI(KeyLedger()) { _ in answer }) { base in
                let settings = #"{"api_url": "\#(base)/api", "token_env": "SLACK_BOT_TOKEN", "scopes": {"printers": {"channel": "C0123456789"}}}"#
                let configuration = try SlackPlugin().validateConfig(Settings(try JSONReader().read(Array(settings.utf8)), path: "services.slack"))
                let exchange = DeliveryExchange(
                    idempotencyKey: "key", transport: HTTPDeliveryTransport(), requestTimeout: .seconds(30),
                    environment: DeliveryEnvironment(["SLACK_BOT_TOKEN": Self.token]), redactor: SecretRedactor(secrets: [Secret]()))
                let message = try SlackRenderer().render(try sampleMessage()).messages[0]
                do throws(SendFailure) {
                    _ = try await SlackPlugin().send(message, to: "printers", configuration: configuration, through: exchange)
                    Issue.record("a rate limit was taken as a success")
                } catch {
                    #expect(error == .transient(reason: error.description, retryAfter: .seconds(30)))
                }
            }
        }
    }

    @Test("an incoming webhook's refusals, a 4xx or a 200 with anything but ok, fail without a retry, with Slack's text")
    func webhookRefusals() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Self.webhook(ledger)) { base in
            let config = try configuration("services: {slack: {scopes: {lab: {webhook_url_env: SLACK_LAB_WEBHOOK}}}}")
            let notifier = try makeNotifier(config, in: try temporaryDirectory(), environment: ["SLACK_LAB_WEBHOOK": base + "/services/T0001/B0001/wrong"])
            try await notifier.setAutoNotifications(event: .scanCompleted, service: .slack, enabled: true, scopes: ["lab"])
            try await notifier.notify(.scanCompleted, try sampleMessage())
            #expect(try await notifier.deliverPending().failed == 1)
            let delivery = try #require(try await notifier.outbox.deliveries().first)
            #expect(delivery.attempts == 1 && delivery.lastError == "HTTP 404: no_service")
        }
        let refusing: @Sendable (ReceivedRequest) async -> TestReply = { _ in .respond(status: 200, body: Array("invalid_token".utf8)) }
        try await TestHTTPServer.with(refusing) { base in
            let config = try configuration("services: {slack: {scopes: {lab: {webhook_url_env: SLACK_LAB_WEBHOOK}}}}")
            let notifier = try makeNotifier(config, in: try temporaryDirectory(), environment: ["SLACK_LAB_WEBHOOK": base + Self.webhookPath])
            try await notifier.setAutoNotifications(event: .scanCompleted, service: .slack, enabled: true, scopes: ["lab"])
            try await notifier.notify(.scanCompleted, try sampleMessage())
            #expect(try await notifier.deliverPending().failed == 1)
            #expect(try await notifier.outbox.deliveries().first?.lastError == "Slack did not post the message: invalid_token")
        }
    }

    @Test("a notification over Slack's limits goes out as several messages, in order, each with its own key")
    func severalMessages() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Self.webAPI(ledger)) { base in
            let notifier = try await Self.notifier(base: base, scope: "printers")
            var message = try NotificationMessage(title: "Night shift log")
            try message.addText((0..<120).map { "Frame \($0) acquired; exposure 0.1 s." }.joined(separator: "\n\n"))
            try await notifier.notify(.scanCompleted, message)
            #expect(try await notifier.deliverPending().delivered == 1)
            let expected = try SlackRenderer().render(message.withEvent("scan_completed")).messages
            #expect(expected.count == 3)
            let requests = await ledger.accepted
            #expect(try requests.map { try JSONReader().read($0.body) } == expected.map { message in
                guard case .object(var body) = message.payload.json else { return .null }
                body["channel"] = "C0123456789"
                return .object(body)
            })
            let key = try #require(try await notifier.outbox.deliveries().first?.idempotencyKey)
            #expect(requests.map(\.idempotencyKey) == (1...3).map { "\(key)-\($0)" })
        }
    }

    @Test("a bot token or webhook URL that Slack echoes never reaches an output, a stored row or a log line")
    func echoedSecrets() async throws {
        let token = "xoxb-echo-\(UUID().uuidString)"
        let texts = try await EchoedSecretTests.transcripts(
            services: { base in "{slack: {api_url: \"\(base)/api\", token_env: ECHO_SLACK_TOKEN, scopes: {printers: {channel: C0123456789}}}}" },
            variables: { _ in ["ECHO_SLACK_TOKEN": token] }, service: .slack, scope: "printers",
            reply: { request in
                .json(200, #"{"ok": false, "error": "invalid_auth", "response_metadata": {"messages": ["\#(request.header("Authorization") ?? "") is not valid"]}}"#)
            })
        EchoedSecretTests.expectNone(of: [token], in: texts)
        #expect(texts.contains { $0.contains("Slack refused the message: invalid_auth; Bearer <secret> is not valid") })

        let secretPath = "/services/T0001/B0001/\(UUID().uuidString)"
        let webhookTexts = try await EchoedSecretTests.transcripts(
            services: { _ in "{slack: {scopes: {lab: {webhook_url_env: ECHO_SLACK_WEBHOOK}}}}" },
            variables: { base in ["ECHO_SLACK_WEBHOOK": base + secretPath] }, service: .slack, scope: "lab",
            reply: { request in .respond(status: 404, body: Array("no_service at \(request.path)".utf8)) })
        EchoedSecretTests.expectNone(of: [secretPath], in: webhookTexts)
    }

    @Test("the settings are checked when the file is read, each error naming its setting", arguments: [
        ("{token: xoxb-1, scopes: {a: {channel: C0123456789}}}", "services.slack.token: secrets are never written in the destinations file; put it in an environment variable and name that variable with token_env"),
        ("{scopes: {a: {channel: C0123456789}}}", "services.slack.token_env: is required: scope a posts to a channel, which needs the environment variable holding the bot token"),
        ("{token_env: T, scopes: {a: {channel: \"#general\"}}}", "services.slack.scopes.a.channel: \"#general\" is not a Slack conversation id (such as C0123456789, from the channel's details): names change, ids do not"),
        ("{scopes: {a: {webhook_url: \"https://hooks.slack.com/services/x\"}}}", "services.slack.scopes.a.webhook_url: secrets are never written in the destinations file; put it in an environment variable and name that variable with webhook_url_env"),
        ("{token_env: T, scopes: {a: {channel: C0123456789, webhook_url_env: W}}}", "services.slack.scopes.a: give either channel (a conversation id, posted to with the bot token) or webhook_url_env (the variable holding an incoming webhook's URL)"),
        ("{token_env: T, api_url: \"http://slack.example.org/api\", scopes: {a: {channel: C0123456789}}}", "services.slack.api_url: \"http://slack.example.org/api\" must use https: the bot token is sent with every request (plain http only to a loopback address: 127.0.0.0/8, ::1, localhost)"),
        ("{token_env: T, scopes: {a: {channel: C0123456789, colour: red}}}", "services.slack.scopes.a.colour: unknown setting"),
    ])
    func configurationErrors(_ settings: String, _ expected: String) {
        let error = #expect(throws: ConfigurationError.self) { try DeliveryConfiguration(yaml: "services: {slack: \(settings)}") }
        #expect(error?.description == expected)
    }

    @Test("services check lists the bot token and each webhook URL as required secrets, never their values")
    func environmentVariables() throws {
        let config = try DeliveryConfiguration(yaml: "services: {slack: {\(Self.settings)}}")
        let statuses = try #require(config.services[.slack]?.environmentStatus(
            in: DeliveryEnvironment(["SLACK_BOT_TOKEN": Self.token, "SLACK_LAB_WEBHOOK": "https://hooks.slack.com" + Self.webhookPath])))
        #expect(statuses.map(\.name) == ["SLACK_BOT_TOKEN", "SLACK_LAB_WEBHOOK"])
        #expect(statuses.map(\.declaration.purpose) == ["Slack bot token", "Slack incoming webhook URL of scope lab"])
        #expect(statuses.allSatisfy { $0.isSet && $0.isSecret && $0.isRequired && $0.value == nil && $0.refusal == nil })
        #expect(config.services[.slack]?.scopes == ["lab", "printers"])
    }
}

/// File uploads with the bot token: `files.getUploadURLExternal`, the bytes to its `upload_url`, `chat.postMessage`,
/// `files.completeUploadExternal`, against a local server answering like Slack's three endpoints.
extension SlackDeliveryTests {
    // JSON, which is also YAML: both the notifier's destinations and a plugin configuration read it.
    static let channelOnly = #""token_env": "SLACK_BOT_TOKEN", "scopes": {"printers": {"channel": "C0123456789"}}"#
    static let mixed = #""token_env": "SLACK_BOT_TOKEN", "scopes": {"printers": {"channel": "C0123456789"}, "lab": {"webhook_url_env": "SLACK_LAB_WEBHOOK"}}"#
    static let webhookOnly = #""scopes": {"lab": {"webhook_url_env": "SLACK_LAB_WEBHOOK"}}"#
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0xFF])
    static let pdf = Data("%PDF-1.4\nrun log\n".utf8)

    /// Slack's Web API and upload URLs: every request is recorded in order; `override` may answer one instead. The
    /// N-th upload URL (from the request's `:upload-url-N` key) is `/upload/FN` on this server, file `FN`.
    static func filesAPI(_ ledger: KeyLedger, override: @escaping @Sendable (ReceivedRequest) async -> TestReply? = { _ in nil })
        -> @Sendable (ReceivedRequest) async -> TestReply
    {
        { request in
            await ledger.accept(request)
            if let reply = await override(request) { return reply }
            let authorized = request.header("Authorization") == "Bearer \(token)"
            switch request.path {
            case "/api/files.getUploadURLExternal" where authorized:
                let number = request.idempotencyKey?.split(separator: "-").last ?? "0"
                return .json(200, #"{"ok": true, "upload_url": "http://\#(request.header("Host") ?? "")/upload/F\#(number)", "file_id": "F\#(number)"}"#)
            case let path where path.hasPrefix("/upload/F"):
                return .respond(status: 200, body: Array("OK - \(request.body.count)".utf8))
            case "/api/chat.postMessage" where authorized:
                return posted
            case "/api/files.completeUploadExternal" where authorized:
                return .json(200, #"{"ok": true, "files": [{"id": "F1"}]}"#)
            default:
                return .json(200, #"{"ok": false, "error": "invalid_auth"}"#)
            }
        }
    }

    /// A text message with an image and a PDF.
    static func messageWithFiles() throws -> NotificationMessage {
        var message = try sampleMessage(5)
        try message.addAttachment(data: png, filename: "cam.png", mimeType: "image/png")
        try message.addAttachment(data: pdf, filename: "run log.pdf", mimeType: "application/pdf")
        return message
    }

    static func pluginConfiguration(settings: String, base: String = "http://127.0.0.1:1") throws -> SlackPlugin.Configuration {
        try SlackPlugin().validateConfig(Settings(try JSONReader().read(Array("{\"api_url\": \"\(base)/api\", \(settings)}".utf8)), path: "services.slack"))
    }

    @Test("with the bot token each file is uploaded (upload URL, bytes without the token), then the message, then the files shared in the channel")
    func uploads() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Self.filesAPI(ledger)) { base in
            let notifier = try await Self.notifier(base: base, scope: "printers", settings: Self.channelOnly)
            let receipt = try await notifier.notify(.scanCompleted, try Self.messageWithFiles())
            #expect(try await notifier.deliverPending().delivered == 1)
            let key = receipt.deliveries[0].idempotencyKey
            let requests = await ledger.accepted
            #expect(requests.map(\.path) == [
                "/api/files.getUploadURLExternal", "/upload/F1", "/api/files.getUploadURLExternal", "/upload/F2",
                "/api/chat.postMessage", "/api/files.completeUploadExternal",
            ])
            try #require(requests.count == 6)
            #expect(requests.map(\.idempotencyKey) == [
                "\(key):upload-url-1", "\(key):upload-1", "\(key):upload-url-2", "\(key):upload-2", key, "\(key):complete-upload",
            ])
            #expect(requests[1].body == Array(Self.png) && requests[3].body == Array(Self.pdf))
            #expect(requests[1].header("Content-Type") == "image/png")
            for upload in [requests[1], requests[3]] {
                #expect(upload.header("Authorization") == nil)
                #expect(!upload.headers.contains { $0.value.contains(Self.token) })
            }
            let forms = try ReadForm.read([requests[0], requests[2], requests[5]])
            #expect(forms[0].dictionary == ["filename": "cam.png", "length": "10"])
            #expect(forms[1].dictionary == ["filename": "run log.pdf", "length": "\(Self.pdf.count)"])
            #expect(forms[2].value("channel_id") == "C0123456789")
            #expect(try JSONReader().read(Array((forms[2].value("files") ?? "").utf8))
                == [["id": "F1", "title": "cam.png"], ["id": "F2", "title": "run log.pdf"]])
            // The message names no file: the files are shared, not named.
            #expect(try JSONReader().read(requests[4].body) == (try Self.expectedBody(try Self.messageWithFiles(), channel: "C0123456789", uploadsFiles: true)))
            #expect(!requests[4].text.contains("cam.png"))
            let delivery = try #require(try await notifier.outbox.deliveries().first)
            #expect(delivery.state == .delivered && delivery.reference == "1700000000.000100")
        }
    }

    @Test("a message of a file alone is uploaded and shared without a chat.postMessage, which would refuse its empty text")
    func fileAlone() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Self.filesAPI(ledger)) { base in
            let notifier = try await Self.notifier(base: base, scope: "printers", settings: Self.channelOnly)
            var message = try NotificationMessage()
            try message.addAttachment(data: Self.png, filename: "cam.png", mimeType: "image/png")
            try await notifier.notify(.scanCompleted, message)
            #expect(try await notifier.deliverPending().delivered == 1)
            #expect(await ledger.accepted.map(\.path) == ["/api/files.getUploadURLExternal", "/upload/F1", "/api/files.completeUploadExternal"])
        }
    }

    @Test("the rendering uploads files only when every scope posts to a channel; with an incoming webhook it names them, reported")
    func renderingPerTransport() throws {
        let message = try Self.messageWithFiles().withEvent("scan_completed")
        let uploading = try SlackPlugin().render(message, configuration: try Self.pluginConfiguration(settings: Self.channelOnly))
        #expect(!uploading.degradations.contains { $0.kind == .attachmentNotDelivered })
        #expect(uploading.messages[0].document.blocks.filter { if case .attachment = $0 { true } else { false } }.count == 2)
        for settings in [Self.mixed, Self.webhookOnly] {
            let naming = try SlackPlugin().render(message, configuration: try Self.pluginConfiguration(settings: settings))
            #expect(naming.degradations.filter { $0.kind == .attachmentNotDelivered }.map(\.subject) == ["cam.png", "run log.pdf"])
            #expect(naming.messages[0].payload.body == (try SlackRenderer().render(message).messages[0].payload.body))
            #expect(String(decoding: naming.messages[0].payload.body, as: UTF8.self).contains("cam.png"))
        }
    }

    @Test("an incoming webhook still gets the files named in its message and no upload")
    func webhookNamesFiles() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Self.webhook(ledger)) { base in
            let notifier = try await Self.notifier(base: base, scope: "lab")
            try await notifier.notify(.scanCompleted, try Self.messageWithFiles())
            #expect(try await notifier.deliverPending().delivered == 1)
            let requests = await ledger.accepted
            try #require(requests.count == 1 && requests[0].path == Self.webhookPath)
            #expect(requests[0].body == (try SlackRenderer().render(try Self.messageWithFiles().withEvent("scan_completed")).payload.body))
            #expect(requests[0].text.contains("cam.png") && requests[0].text.contains("run log.pdf"))
        }
    }

    @Test("ok false at an upload step fails the delivery with Slack's error, not retried", arguments: [
        ("/api/files.getUploadURLExternal", "upload URL for cam.png: Slack refused an upload URL for cam.png: invalid_arguments"),
        ("/api/files.completeUploadExternal", "sharing of the files: Slack refused the files: invalid_arguments"),
    ])
    func uploadRefused(_ path: String, _ error: String) async throws {
        let ledger = KeyLedger()
        let refusing = Self.filesAPI(ledger) { request in request.path == path ? .json(200, #"{"ok": false, "error": "invalid_arguments"}"#) : nil }
        try await TestHTTPServer.with(refusing) { base in
            let notifier = try await Self.notifier(base: base, scope: "printers", settings: Self.channelOnly)
            try await notifier.notify(.scanCompleted, try Self.messageWithFiles())
            #expect(try await notifier.deliverPending().failed == 1)
            let delivery = try #require(try await notifier.outbox.deliveries().first)
            #expect(delivery.attempts == 1 && delivery.lastError == error)
            // A refused upload URL stops before anything is posted.
            #expect(await ledger.accepted.map(\.path).contains("/api/chat.postMessage") == (path == "/api/files.completeUploadExternal"))
        }
    }

    @Test("a 429 or ok false with ratelimited at an upload step is retried, honouring Retry-After", arguments: [
        ("/api/files.getUploadURLExternal", TestReply.json(429, #"{"ok": false, "error": "ratelimited"}"#, headers: [("Retry-After", "0")])),
        ("/api/files.getUploadURLExternal", .json(200, #"{"ok": false, "error": "ratelimited"}"#, headers: [("Retry-After", "0")])),
        ("/upload/F2", .json(429, "", headers: [("Retry-After", "0")])),
        ("/api/files.completeUploadExternal", .json(200, #"{"ok": false, "error": "ratelimited"}"#, headers: [("Retry-After", "0")])),
    ])
    func uploadRetried(_ path: String, _ firstAnswer: TestReply) async throws {
        let ledger = KeyLedger()
        let failures = FailureBudget(failing: 1)
        let limiting = Self.filesAPI(ledger) { request in
            if request.path == path, await failures.takeOne() { firstAnswer } else { nil }
        }
        try await TestHTTPServer.with(limiting) { base in
            let notifier = try await Self.notifier(base: base, scope: "printers", settings: Self.channelOnly)
            try await notifier.notify(.scanCompleted, try Self.messageWithFiles())
            let summary = try await notifier.deliverPending()
            #expect(summary.delivered == 1 && summary.retried == 1)
            let delivery = try #require(try await notifier.outbox.deliveries().first)
            #expect(delivery.state == .delivered && delivery.attempts == Self.attempts(after: firstAnswer))
            #expect(await ledger.accepted.last?.path == "/api/files.completeUploadExternal")
        }
    }

    @Test("the Retry-After of ok false with ratelimited at an upload step is what the retry waits for")
    func uploadRetryAfterIsRead() async throws {
        let limiting = Self.filesAPI(KeyLedger()) { _ in .json(200, #"{"ok": false, "error": "ratelimited"}"#, headers: [("Retry-After", "30")]) }
        try await TestHTTPServer.with(limiting) { base in
            let configuration = try Self.pluginConfiguration(settings: Self.channelOnly, base: base)
            let exchange = DeliveryExchange(
                idempotencyKey: "key", transport: HTTPDeliveryTransport(), requestTimeout: .seconds(30),
                environment: DeliveryEnvironment(["SLACK_BOT_TOKEN": Self.token]), redactor: SecretRedactor(secrets: [Secret]()))
            let message = try SlackPlugin().render(try Self.messageWithFiles(), configuration: configuration).messages[0]
            do throws(SendFailure) {
                _ = try await SlackPlugin().send(message, to: "printers", configuration: configuration, through: exchange)
                Issue.record("a rate limit was taken as a success")
            } catch {
                #expect(error == .transient(reason: "upload URL for cam.png: Slack refused an upload URL for cam.png: ratelimited", retryAfter: .seconds(30)))
            }
        }
    }
}
