import Foundation
import Herald
import HeraldDelivery
import HeraldTestSupport
import Testing

/// The Pushover plugin against a local server that answers like Pushover's Message API; the forms it received are
/// read by Python's parsers.
// python3 reads the forms (its standard library only; `.pythonJSONSchema` stands for python3 being there).
@Suite("Pushover delivery", .requires(.pythonJSONSchema))
struct PushoverDeliveryTests {
    static let token = "azGDORePK8gMaC0QOYAMyEEuzJnyUi"
    static let userKey = "uQiRzpo4DXghDmr9QzzfQu27cmVRsG"
    static let variable = "TEST_PUSHOVER_TOKEN"

    /// Pushover's `POST /1/messages.json`: form-encoded or multipart, with the application's token and a user key.
    static func api(_ ledger: KeyLedger, reply: @escaping @Sendable (Int) -> TestReply = { _ in .json(200, #"{"status":1,"request":"647d2300-702c-4b38-8b2f-d56326ae460b"}"#) })
        -> @Sendable (ReceivedRequest) async -> TestReply
    {
        { request in
            await ledger.saw()
            let type = request.header("Content-Type") ?? ""
            guard request.method == "POST", request.path == "/1/messages.json",
                type == "application/x-www-form-urlencoded" || type.hasPrefix("multipart/form-data; boundary=")
            else { return .json(400, #"{"errors":["not a form post"],"status":0,"request":"r0"}"#) }
            let text = request.text
            guard text.contains("token=\(token)") || text.contains("name=\"token\"\r\n\r\n\(token)\r\n") else {
                return .json(400, #"{"token":"invalid","errors":["application token is invalid, see https://pushover.net/api"],"status":0,"request":"r1"}"#)
            }
            if let refusal = Self.refusal(of: request) {
                return .json(400, #"{"errors":["\#(refusal)"],"status":0,"request":"r5"}"#)
            }
            await ledger.accept(request)
            return reply(await ledger.seen)
        }
    }

    /// What Pushover's API would refuse in the form, by its documented fields and limits (read by Python).
    static func refusal(of request: ReceivedRequest) -> String? {
        guard let form = try? ReadForm.read([request]).first else { return "the form does not parse" }
        let fields = form.dictionary
        let known: Set<String> = ["token", "user", "device", "sound", "html", "message", "priority", "title", "url", "url_title"]
        if let unknown = Set(fields.keys).subtracting(known).first { return "unknown parameter \(unknown)" }
        guard let message = fields["message"], !message.isEmpty else { return "message cannot be blank" }
        let limits = ["message": 1024, "title": 250, "url": 512, "url_title": 100]
        for (field, limit) in limits where (fields[field]?.unicodeScalars.count ?? 0) > limit { return "\(field) is too long" }
        if fields["html"] != "1" { return "html must be 1" }
        if let priority = fields["priority"], !["-2", "-1", "0", "1"].contains(priority) { return "priority is invalid" }
        if form.files.count > 1 || form.files.contains(where: { $0.field != "attachment" || !$0.contentType.hasPrefix("image/") || $0.data.count > 5_242_880 }) {
            return "attachment is invalid"
        }
        return nil
    }

    static func notifier(base: String, token: String = token, scope: String = "{user_key: \(userKey), device: iphone, sound: siren}") async throws -> Notifier {
        let config = try configuration("services: {pushover: {url: \"\(base)\", token_env: \(variable), scopes: {owner: \(scope)}}}")
        let notifier = try makeNotifier(config, in: try temporaryDirectory(), environment: [variable: token])
        try await notifier.setAutoNotifications(event: .failureAlert, service: .pushover, enabled: true, scopes: ["owner"])
        return notifier
    }

    /// The renderer's fields for `message` sent as `FailureAlert`, as strings.
    static func renderedFields(_ message: NotificationMessage) throws -> [String: String] {
        guard case .object(let object) = try PushoverRenderer().render(try message.withEvent("FailureAlert")).payload.json else { return [:] }
        return object.compactMapValues { if case .string(let text) = $0 { text } else { nil } }
    }

    @Test("a push is one form post: the renderer's fields, the token, user, device and sound; Pushover's request id is the reference")
    func formPost() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Self.api(ledger)) { base in
            let notifier = try await Self.notifier(base: base)
            let message = try sampleMessage(4)
            try await notifier.notify(.failureAlert, message)
            #expect(try await notifier.deliverPending().delivered == 1)
            let requests = await ledger.accepted
            try #require(requests.count == 1)
            #expect(requests[0].header("Content-Type") == "application/x-www-form-urlencoded")
            let form = try #require(try ReadForm.read(requests).first)
            var expected = try Self.renderedFields(message)
            expected["token"] = Self.token
            expected["user"] = Self.userKey
            expected["device"] = "iphone"
            expected["sound"] = "siren"
            #expect(form.dictionary == expected)
            #expect(form.fields.count == expected.count && form.files.isEmpty)
            #expect(form.value("priority") == "1")
            #expect(try await notifier.outbox.deliveries().first?.reference == "647d2300-702c-4b38-8b2f-d56326ae460b")
        }
    }

    @Test("with an image the post is multipart: the image is the attachment file, the other fields as before")
    func multipartPost() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Self.api(ledger)) { base in
            let notifier = try await Self.notifier(base: base, scope: "{user_key: \(Self.userKey)}")
            var message = try sampleMessage(5)
            let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 13, 10])
            try message.addAttachment(data: png, filename: "nozzle \"cam\".png", mimeType: "image/png")
            try await notifier.notify(.failureAlert, message)
            #expect(try await notifier.deliverPending().delivered == 1)
            let requests = await ledger.accepted
            let form = try #require(try ReadForm.read(requests).first)
            #expect(form.files == [ReadForm.File(field: "attachment", filename: "nozzle %22cam%22.png", contentType: "image/png", data: png)])
            var expected = try Self.renderedFields(message)
            #expect(expected.removeValue(forKey: "attachment") == "nozzle \"cam\".png")
            expected["token"] = Self.token
            expected["user"] = Self.userKey
            #expect(form.dictionary == expected)
        }
    }

    @Test("a long notification arrives as one push within Pushover's limits, cut with the marker")
    func longNotification() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Self.api(ledger)) { base in
            let notifier = try await Self.notifier(base: base)
            var message = try NotificationMessage(title: String(repeating: "Spaghetti alert ", count: 20))
            message.addText(String(repeating: "Layer shift detected on printer 2. ", count: 200), style: .plain)
            try await notifier.notify(.failureAlert, message)
            #expect(try await notifier.deliverPending().delivered == 1)
            let form = try #require(try ReadForm.read(await ledger.accepted).first)
            #expect(form.value("message")?.hasSuffix(" characters not shown)</i>") == true)
            #expect(form.value("title")?.hasSuffix("…") == true)
        }
    }

    @Test("a 429 and a 500 are retried; then the push is delivered once")
    func retried() async throws {
        let ledger = KeyLedger()
        let reply: @Sendable (Int) -> TestReply = { seen in
            switch seen {
            case 1: .json(429, #"{"errors":["application over its monthly message limit"],"status":0,"request":"r2"}"#, headers: [("Retry-After", "0")])
            case 2: .respond(status: 500)
            default: .json(200, #"{"status":1,"request":"r3"}"#)
            }
        }
        try await TestHTTPServer.with(Self.api(ledger, reply: reply)) { base in
            let notifier = try await Self.notifier(base: base)
            try await notifier.notify(.failureAlert, try sampleMessage())
            let summary = try await notifier.deliverPending()
            #expect(summary.delivered == 1 && summary.retried == 2)
            #expect(await ledger.accepted.count == 3)
        }
    }

    @Test("a wrong token is a 400 with Pushover's errors: failed at once, the token never shown")
    func wrongToken() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Self.api(ledger)) { base in
            let notifier = try await Self.notifier(base: base, token: "wrongwrongwrongwrongwrongwrong")
            try await notifier.notify(.failureAlert, try sampleMessage())
            #expect(try await notifier.deliverPending().failed == 1)
            let delivery = try #require(try await notifier.outbox.deliveries().first)
            #expect(delivery.attempts == 1)
            #expect(delivery.lastError == "HTTP 400: application token is invalid, see https://pushover.net/api")
        }
    }

    @Test("an answer without status 1 is a refusal, with what Pushover said; a secret it echoes is redacted")
    func statusNotOne() async throws {
        let ledger = KeyLedger()
        let reply: @Sendable (Int) -> TestReply = { _ in .json(200, #"{"status":0,"errors":["token \#(Self.token) suspended"],"request":"r4"}"#) }
        try await TestHTTPServer.with(Self.api(ledger, reply: reply)) { base in
            let notifier = try await Self.notifier(base: base)
            try await notifier.notify(.failureAlert, try sampleMessage())
            #expect(try await notifier.deliverPending().failed == 1)
            let delivery = try #require(try await notifier.outbox.deliveries().first)
            #expect(delivery.lastError == "Pushover did not take the message: HTTP 200: token <secret> suspended")
        }
    }

    @Test("a redirect to plain http elsewhere is refused before the token in the form leaves the machine")
    func redirectToPlainHTTP() async throws {
        let ledger = KeyLedger()
        let reply: @Sendable (Int) -> TestReply = { _ in .respond(status: 307, headers: [("Location", "http://push.example.org/1/messages.json")]) }
        try await TestHTTPServer.with(Self.api(ledger, reply: reply)) { base in
            let notifier = try await Self.notifier(base: base)
            try await notifier.notify(.failureAlert, try sampleMessage())
            #expect(try await notifier.deliverPending().failed == 1)
            let delivery = try #require(try await notifier.outbox.deliveries().first)
            #expect(delivery.lastError == "refusing to send a secret over plain http to a host that is not a loopback address: use https")
        }
    }

    @Test("configuration: the token only from the environment, keys and names checked, https for the API")
    func configurationErrors() throws {
        func error(_ yaml: String) -> ConfigurationError? {
            do { _ = try DeliveryConfiguration(yaml: yaml) } catch { return error }
            return nil
        }
        #expect(error("services: {pushover: {token: abc, token_env: T, scopes: {a: {user_key: \(Self.userKey)}}}}")?.path == "services.pushover.token")
        #expect(error("services: {pushover: {scopes: {a: {user_key: \(Self.userKey)}}}}")?.path == "services.pushover.token_env")
        #expect(error("services: {pushover: {token_env: T, scopes: {a: {user_key: short}}}}")
            == ConfigurationError(path: "services.pushover.scopes.a.user_key", reason: "is not a Pushover user or group key (30 letters and digits)"))
        #expect(error("services: {pushover: {token_env: T, scopes: {a: {user_key: \(Self.userKey), device: 'phone one'}}}}")?.path == "services.pushover.scopes.a.device")
        #expect(error("services: {pushover: {url: 'http://push.example.org', token_env: T, scopes: {a: {user_key: \(Self.userKey)}}}}")?.path == "services.pushover.url")
        let config = try DeliveryConfiguration(yaml: "services: {pushover: {token_env: T, scopes: {a: {user_key: \(Self.userKey), device: 'iphone,ipad'}}}}")
        let status = try #require(config.services[.pushover]?.environmentStatus(in: DeliveryEnvironment(["T": Self.token])).first)
        #expect(status.name == "T" && status.isSet && status.isSecret && status.value == nil)
    }
}
