import Foundation
import Herald
@testable import HeraldDelivery
import HeraldTestSupport
import Synchronization
import Testing

/// The Telegram plugin against a local server that answers like the Bot API: `POST /bot<token>/<method>` with JSON
/// or `multipart/form-data`, `{"ok": true, "result": …}`, and its error object with `parameters.retry_after`.
@Suite("Telegram Bot API delivery")
struct TelegramDeliveryTests {
    static let token = "123456789:AAH\(UUID().uuidString.replacingOccurrences(of: "-", with: ""))"

    /// A call as the Bot API read it: the method, the parameters and the uploaded files.
    struct Call: Sendable {
        var method: String
        var parameters: [String: String]
        var files: [String: (filename: String, contentType: String, data: [UInt8])]
        var request: ReceivedRequest
    }

    /// The calls the server took.
    actor CallLog {
        private(set) var calls: [Call] = []
        func add(_ call: Call) { calls.append(call) }
    }

    /// Answers like the Bot API for `token` and chat `-1001234567890`; `override` may answer a call instead.
    static func botAPI(_ log: CallLog, override: @escaping @Sendable (Call) async -> TestReply? = { _ in nil })
        -> @Sendable (ReceivedRequest) async -> TestReply
    {
        { request in
            let prefix = "/bot\(Self.token)/"
            guard request.method == "POST", request.path.hasPrefix("/bot") else {
                return .json(404, #"{"ok":false,"error_code":404,"description":"Not Found"}"#)
            }
            guard request.path.hasPrefix(prefix) else {
                return .json(401, #"{"ok":false,"error_code":401,"description":"Unauthorized"}"#)
            }
            guard let call = Self.call(String(request.path.dropFirst(prefix.count)), request) else {
                return .json(400, #"{"ok":false,"error_code":400,"description":"Bad Request: can't parse request"}"#)
            }
            if let reply = await override(call) { return reply }
            guard call.parameters["chat_id"] == "-1001234567890" else {
                return .json(400, #"{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}"#)
            }
            await log.add(call)
            let id = await log.calls.count
            let sent = #"{"message_id":\#(id),"chat":{"id":-1001234567890,"type":"supergroup"},"date":1700000000}"#
            return .json(200, #"{"ok":true,"result":\#(call.method == "sendMediaGroup" ? "[\(sent)]" : sent)}"#)
        }
    }

    /// The parameters and files of a JSON or multipart request, every value as the Bot API reads it (a string).
    static func call(_ method: String, _ request: ReceivedRequest) -> Call? {
        var call = Call(method: method, parameters: [:], files: [:], request: request)
        let contentType = request.header("Content-Type") ?? ""
        if contentType.hasPrefix("application/json") {
            guard case .object(let object)? = try? JSONReader().read(request.body) else { return nil }
            for (key, value) in object {
                call.parameters[key] = if case .string(let text) = value { text } else { JSONWriter().string(value) }
            }
            return call
        }
        guard let form = MultipartForm(request) else { return nil }
        call.parameters = form.fields
        call.files = form.files.mapValues { ($0.filename, $0.contentType, $0.data) }
        return call
    }

    static let destinations = """
        services:
          telegram:
            token_env: TEST_TELEGRAM_TOKEN
            api_url: %@
            scopes:
              farm: {chat_id: -1001234567890}
              elsewhere: {chat_id: "@another_channel"}
        """

    /// A notifier whose telegram scopes use the Bot API at `base`.
    static func notifier(base: String, policy: DeliveryPolicy = fastPolicy()) throws -> Notifier {
        let config = try configuration(String(format: destinations, base), policy: policy)
        let directory = try temporaryDirectory()
        return Notifier(
            configuration: config, outbox: try Outbox(path: directory.appendingPathComponent("outbox.sqlite").path),
            environment: DeliveryEnvironment(["TEST_TELEGRAM_TOKEN": token]))
    }

    /// Routes `PrintDone` to `scope` and notifies `message` once.
    static func notify(_ notifier: Notifier, _ message: NotificationMessage, scope: String = "farm") async throws -> NotificationReceipt {
        try await notifier.setAutoNotifications(event: .printDone, service: .telegram, enabled: true, scopes: [scope])
        return try await notifier.notify(.printDone, message)
    }

    @Test("a text message is one sendMessage: the payload's call as JSON, with chat_id, to /bot<token>/sendMessage")
    func textMessage() async throws {
        let log = CallLog()
        try await TestHTTPServer.with(Self.botAPI(log)) { base in
            let notifier = try Self.notifier(base: base)
            let receipt = try await Self.notify(notifier, try sampleMessage(3))
            #expect(try await notifier.deliverPending().delivered == 1)
            let calls = await log.calls
            try #require(calls.count == 1)
            #expect(calls[0].method == "sendMessage")
            #expect(calls[0].request.idempotencyKey == receipt.deliveries[0].idempotencyKey)
            let rendered = try TelegramRenderer().render(try sampleMessage(3).withEvent("PrintDone")).payload.json
            guard case .array(let payload) = rendered, case .object(var expected)? = payload.first,
                case .object(var sent) = try JSONReader().read(calls[0].request.body)
            else { throw ReaderError("unexpected payload") }
            expected.removeValue(forKey: "method")
            #expect(sent.removeValue(forKey: "chat_id") == .integer(-1_001_234_567_890))
            #expect(sent == expected)
            #expect(try await notifier.outbox.deliveries().first?.reference == "1")
        }
    }

    @Test("attachments are uploaded as multipart parts named by their attach:// references, one call each, in order")
    func attachments() async throws {
        var message = try NotificationMessage(title: "Print failed")
        try message.addText("nozzle clog on prusa-02")
        try message.addAttachment(data: Data([0x89, 0x50, 0x4E, 0x47, 1, 2]), filename: "snap;shot \"1\".png", mimeType: "image/png")
        try message.addAttachment(data: Data("G1 X10".utf8), filename: "part.gcode", mimeType: "text/x-gcode")
        let log = CallLog()
        try await TestHTTPServer.with(Self.botAPI(log)) { base in
            let notifier = try Self.notifier(base: base)
            let receipt = try await Self.notify(notifier, message)
            #expect(try await notifier.deliverPending().delivered == 1)
            let calls = await log.calls
            #expect(calls.map(\.method) == ["sendMessage", "sendPhoto", "sendDocument"])
            let key = receipt.deliveries[0].idempotencyKey
            #expect(calls.map(\.request.idempotencyKey) == [key, "\(key):call-2", "\(key):call-3"])
            try #require(calls.count == 3)
            #expect(calls[1].parameters == ["chat_id": "-1001234567890", "photo": "attach://file1"])
            let photo = try #require(calls[1].files["file1"])
            #expect(photo.filename == "snap%3Bshot %221%22.png" && photo.contentType == "image/png" && photo.data == [0x89, 0x50, 0x4E, 0x47, 1, 2])
            #expect(calls[2].parameters == ["chat_id": "-1001234567890", "document": "attach://file2"])
            #expect(calls[2].files["file2"].map { [$0.filename, $0.contentType, String(decoding: $0.data, as: UTF8.self)] } == ["part.gcode", "text/x-gcode", "G1 X10"])
        }
    }

    @Test("a caption and an album travel as form fields, the media list as JSON")
    func album() async throws {
        var message = try NotificationMessage()
        try message.addText("two <views>", bold: true)
        for name in ["front.png", "side.jpg"] {
            try message.addAttachment(data: Data([1, 2, 3]), filename: name, mimeType: name.hasSuffix("png") ? "image/png" : "image/jpeg")
        }
        let log = CallLog()
        try await TestHTTPServer.with(Self.botAPI(log)) { base in
            let notifier = try Self.notifier(base: base)
            _ = try await Self.notify(notifier, message)
            #expect(try await notifier.deliverPending().delivered == 1)
            let call = try #require(await log.calls.first)
            #expect(call.method == "sendMediaGroup" && call.files.keys.sorted() == ["file1", "file2"])
            let media = try JSONReader().read(Array((call.parameters["media"] ?? "").utf8))
            #expect(media == [
                ["type": "photo", "media": "attach://file1", "caption": "<b>two &lt;views&gt;</b>", "parse_mode": "HTML", "show_caption_above_media": true],
                ["type": "photo", "media": "attach://file2"],
            ])
        }
    }

    @Test("a refusal (400 with Telegram's description) fails at once with the description")
    func refused() async throws {
        let log = CallLog()
        try await TestHTTPServer.with(Self.botAPI(log)) { base in
            let notifier = try Self.notifier(base: base)
            _ = try await Self.notify(notifier, try sampleMessage(), scope: "elsewhere")
            #expect(try await notifier.deliverPending().failed == 1)
            let delivery = try #require(try await notifier.outbox.deliveries().first)
            #expect(delivery.lastError == "HTTP 400: Bad Request: chat not found")
            #expect(delivery.attempts == 1)
        }
    }

    @Test("a 429 whose wait is only in parameters.retry_after is a transient failure asking for that wait")
    func retryHint() async throws {
        let answers: [TestReply] = [
            .json(429, #"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 35","parameters":{"retry_after":35}}"#),
            .json(429, #"{"ok":false,"error_code":429,"description":"Too Many Requests","parameters":{"retry_after":35}}"#, headers: [("Retry-After", "7")]),
            .json(400, #"{"ok":false,"error_code":400,"description":"Bad Request","parameters":{"retry_after":35}}"#),
        ]
        var outcomes: [SendFailure] = []
        for answer in answers {
            try await TestHTTPServer.with({ _ in answer }) { base in
                let exchange = DeliveryExchange(
                    idempotencyKey: "key", transport: HTTPDeliveryTransport(), requestTimeout: .seconds(30),
                    environment: DeliveryEnvironment([:]), redactor: SecretRedactor(secrets: [Secret]()))
                do throws(SendFailure) {
                    _ = try await exchange.readingTelegramRetryHints.send(OutgoingRequest(url: base + "/bot1:a/sendMessage"))
                } catch {
                    outcomes.append(error)
                }
            }
        }
        #expect(outcomes == [
            .transient(reason: "HTTP 429: Too Many Requests: retry after 35", retryAfter: .seconds(35)),
            .transient(reason: "HTTP 429: Too Many Requests", retryAfter: .seconds(7)),
            .rejected(reason: "HTTP 400: Bad Request"),
        ])
    }

    @Test("a 429 is retried after Telegram's wait (up to maximum_retry_after) and then delivered")
    func rateLimited() async throws {
        let log = CallLog()
        let failures = FailureBudget(failing: 1)
        let handler = Self.botAPI(log) { _ in
            await failures.takeOne()
                ? .json(429, #"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 3600","parameters":{"retry_after":3600}}"#)
                : nil
        }
        try await TestHTTPServer.with(handler) { base in
            var policy = fastPolicy()
            policy.maximumRetryAfter = .milliseconds(50)
            let notifier = try Self.notifier(base: base, policy: policy)
            _ = try await Self.notify(notifier, try sampleMessage())
            let waits = Mutex<[DeliveryWait]>([])
            let summary = try await notifier.deliverPending { progress in
                if case .waiting(let wait) = progress { waits.withLock { $0.append(wait) } }
            }
            #expect(summary.delivered == 1 && summary.retried == 1)
            #expect(waits.withLock { $0.map(\.reason) } == ["HTTP 429: Too Many Requests: retry after 3600"])
            #expect(await log.calls.count == 1)
        }
    }

    @Test("a 5xx is retried with the backoff; the retry sends the message again under the same key")
    func serverError() async throws {
        let log = CallLog()
        let failures = FailureBudget(failing: 1)
        let handler = Self.botAPI(log) { _ in
            await failures.takeOne() ? .respond(status: 502, headers: [("Content-Type", "text/html")], body: Array("<html>Bad Gateway</html>".utf8)) : nil
        }
        try await TestHTTPServer.with(handler) { base in
            let notifier = try Self.notifier(base: base)
            let receipt = try await Self.notify(notifier, try sampleMessage())
            let summary = try await notifier.deliverPending()
            #expect(summary.delivered == 1 && summary.retried == 1)
            #expect(await log.calls.map(\.request.idempotencyKey) == [receipt.deliveries[0].idempotencyKey])
        }
    }

    @Test("a notification over the limit is several messages, in order, each with its own key")
    func severalMessages() async throws {
        let text = (0..<400).map { "layer \($0): extrusion ok, temperature 215 °C" }.joined(separator: "\n")
        let message = NotificationMessage.plainText(text)
        let log = CallLog()
        try await TestHTTPServer.with(Self.botAPI(log)) { base in
            let notifier = try Self.notifier(base: base)
            let receipt = try await Self.notify(notifier, message)
            #expect(try await notifier.deliverPending().delivered == 1)
            let count = try TelegramRenderer().render(message).messages.count
            #expect(count >= 3)
            let key = receipt.deliveries[0].idempotencyKey
            #expect(await log.calls.map(\.request.idempotencyKey) == (1...count).map { "\(key)-\($0)" })
            #expect(await log.calls.compactMap { $0.parameters["text"] }.joined(separator: "\n") == text)
        }
    }

    @Test("a token that is not a bot token is refused before anything is sent, without quoting it")
    func malformedToken() async throws {
        let log = CallLog()
        try await TestHTTPServer.with(Self.botAPI(log)) { base in
            let config = try configuration(String(format: Self.destinations, base))
            let notifier = try makeNotifier(config, in: try temporaryDirectory(), environment: ["TEST_TELEGRAM_TOKEN": "123:abc/../../x"])
            _ = try await Self.notify(notifier, try sampleMessage())
            #expect(try await notifier.deliverPending().failed == 1)
            let delivery = try #require(try await notifier.outbox.deliveries().first)
            #expect(delivery.lastError == "environment variable TEST_TELEGRAM_TOKEN does not hold a bot token (digits, a colon, then letters, digits, _ and -)")
            #expect(await log.calls.isEmpty)
        }
    }

    @Test("the token never appears in what Herald shows, stores or logs, even when Telegram echoes it")
    func tokenNeverShown() async throws {
        let texts = try await EchoedSecretTests.transcripts(
            services: { base in "{telegram: {token_env: ECHO_TELEGRAM_TOKEN, api_url: \(base), scopes: {farm: {chat_id: 42}}}}" },
            variables: { _ in ["ECHO_TELEGRAM_TOKEN": Self.token] }, service: .telegram, scope: "farm",
            reply: { request in
                let encoded = Self.token.replacingOccurrences(of: ":", with: "%3A")
                return .json(400, #"{"ok":false,"error_code":400,"description":"Bad Request: no chat for \#(request.path) (bot\#(encoded))"}"#)
            })
        EchoedSecretTests.expectNone(of: [Self.token, String(Self.token.split(separator: ":")[1])], in: texts)
        #expect(texts.contains { $0.contains("Bad Request: no chat for /bot<secret>/sendMessage") })
    }

    @Test("settings: token_env required, no inline token, chat ids checked, api_url https but for loopback")
    func settings() throws {
        func error(_ telegram: String) -> ConfigurationError? {
            do {
                _ = try DeliveryConfiguration(yaml: "services: {telegram: \(telegram)}")
                return nil
            } catch {
                return error
            }
        }
        #expect(error("{token_env: T, scopes: {a: {chat_id: 42}, b: {chat_id: \"-100123\"}, c: {chat_id: \"@printfarm\"}}}") == nil)
        #expect(error("{scopes: {a: {chat_id: 42}}}")?.path == "services.telegram.token_env")
        #expect(error("{token: \"123:abc\", token_env: T, scopes: {a: {chat_id: 42}}}")?.path == "services.telegram.token")
        #expect(error("{token_env: \"123:abc\", scopes: {a: {chat_id: 42}}}")?.path == "services.telegram.token_env")
        for bad in ["0", "\"12a\"", "\"@ab\"", "\"@1abcde\"", "\"printfarm\"", "[1]", "true"] {
            #expect(error("{token_env: T, scopes: {a: {chat_id: \(bad)}}}")?.path == "services.telegram.scopes.a.chat_id", "\(bad)")
        }
        #expect(error("{token_env: T, scopes: {a: {}}}")?.reason.hasPrefix("is required") == true)
        #expect(error("{token_env: T, api_url: \"http://telegram.example.org\", scopes: {a: {chat_id: 42}}}")?.path == "services.telegram.api_url")
        #expect(error("{token_env: T, api_url: \"http://127.0.0.1:8081\", scopes: {a: {chat_id: 42}}}") == nil)
        #expect(error("{token_env: T, parse_mode: HTML, scopes: {a: {chat_id: 42}}}")?.reason == "unknown setting")
        let configured = try #require(try DeliveryConfiguration(yaml: "services: {telegram: {token_env: T, scopes: {a: {chat_id: 42}}}}").services[.telegram])
        #expect(configured.environmentVariables == [EnvironmentVariableDeclaration(name: "T", purpose: "Telegram bot token", isRequired: true, isSecret: true)])
        #expect(configured.scopes == ["a"])
    }

    @Test("herald test sends the test message; a message that shows nothing is not sent")
    func testMessageAndEmpty() async throws {
        let log = CallLog()
        try await TestHTTPServer.with(Self.botAPI(log)) { base in
            let directory = try temporaryDirectory()
            try "services: \(String(format: Self.destinations, base).dropFirst("services:".count))".write(
                to: directory.appendingPathComponent("herald.yaml"), atomically: true, encoding: .utf8)
            let sent = await CapturedCommand.run(["test", "telegram", "farm"], in: directory, variables: ["TEST_TELEGRAM_TOKEN": Self.token])
            #expect(sent.outputText == "delivered a test message to telegram/farm (HTTP 200, reference 1)\n", "\(sent.error)")
            #expect(await log.calls.first?.parameters["text"]?.contains("Herald test message") == true)

            let notifier = try Self.notifier(base: base)
            _ = try await Self.notify(notifier, try NotificationMessage())
            #expect(try await notifier.deliverPending().delivered == 1)
            #expect(await log.calls.count == 1)
        }
    }
}
