import Foundation
import Herald
import HeraldDelivery
import HeraldTestSupport
import Testing

/// The Pushbullet plugin against a local server that answers like Pushbullet's API and its upload host.
// python3 reads the uploads (its standard library only; `.pythonJSONSchema` stands for python3 being there).
@Suite("Pushbullet delivery", .requires(.pythonJSONSchema))
struct PushbulletDeliveryTests {
    static let token = "o.pushbullet-\(UUID().uuidString)"
    static let variable = "TEST_PUSHBULLET_TOKEN"

    /// `/v2/upload-request`, `/upload/…` and `/v2/pushes`; `legacy` answers an upload request with S3 form fields.
    static func api(_ ledger: KeyLedger, legacy: Bool = false, pushReply: @escaping @Sendable (Int) -> TestReply = { _ in
        .json(200, #"{"active": true, "iden": "ujpah72o0sjAoRtnM0jc", "type": "note"}"#)
    }) -> @Sendable (ReceivedRequest) async -> TestReply {
        { request in
            await ledger.saw()
            if request.path.hasPrefix("/upload/") {
                guard request.header("Access-Token") == nil, request.header("Content-Type")?.hasPrefix("multipart/form-data; boundary=") == true else {
                    return .respond(status: 400, body: Array("bad upload".utf8))
                }
                await ledger.accept(request)
                return .respond(status: 204)
            }
            guard request.header("Access-Token") == token else {
                return .json(401, #"{"error": {"code": "invalid_access_token", "type": "invalid_request", "message": "Access token is missing or invalid.", "cat": "(=^‥^=)"}}"#)
            }
            guard request.header("Content-Type") == "application/json; charset=utf-8", case .object(let body)? = try? JSONReader().read(request.body) else {
                return .json(400, #"{"error": {"code": "invalid_request", "type": "invalid_request", "message": "expected JSON"}}"#)
            }
            await ledger.accept(request)
            switch request.path {
            case "/v2/upload-request":
                guard case .string(let name)? = body["file_name"], body["file_type"] != nil else {
                    return .json(400, #"{"error": {"code": "invalid_request", "type": "invalid_request", "message": "file_name is required"}}"#)
                }
                let data = legacy ? #", "data": {"acl": "public-read", "key": "abc/\#(name)", "policy": "eyJ"}"# : ""
                return .json(200, #"{"file_name": "\#(name)", "file_type": "image/png", "file_url": "https://dl.pushbulletusercontent.com/abc/cam.png", "upload_url": "http://127.0.0.1:\#(request.header("Host")?.split(separator: ":").last ?? "")/upload/abc"\#(data)}"#)
            case "/v2/pushes":
                // The push's documented fields: a note, or a file with its uploaded URL; one target at most.
                let known: Set<String> = ["type", "title", "body", "file_name", "file_type", "file_url", "device_iden", "email", "channel_tag"]
                let targets = body.keys.filter { ["device_iden", "email", "channel_tag"].contains($0) }
                let isFile = body["type"] == "file" && body["file_name"] != nil && body["file_type"] != nil && body["file_url"] != nil
                guard Set(body.keys).isSubset(of: known), targets.count <= 1, body["type"] == "note" || isFile else {
                    return .json(400, #"{"error": {"code": "invalid_request", "type": "invalid_request", "message": "invalid push"}}"#)
                }
                return pushReply(await ledger.seen)
            default:
                return .json(404, #"{"error": {"code": "not_found", "type": "invalid_request", "message": "The resource could not be found."}}"#)
            }
        }
    }

    static func notifier(base: String, scope: String = "{device_iden: ujpah72o0sjAoRtnM0jc}", token: String = token) async throws -> Notifier {
        let config = try configuration("services: {pushbullet: {url: \"\(base)\", token_env: \(variable), scopes: {phone: \(scope)}}}")
        let notifier = try makeNotifier(config, in: try temporaryDirectory(), environment: [variable: token])
        try await notifier.setAutoNotifications(event: .printDone, service: .pushbullet, enabled: true, scopes: ["phone"])
        return notifier
    }

    @Test("a note is one push: the renderer's JSON and the scope's target; the push's iden is the reference")
    func note() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Self.api(ledger)) { base in
            let notifier = try await Self.notifier(base: base)
            try await notifier.notify(.printDone, try sampleMessage(7))
            #expect(try await notifier.deliverPending().delivered == 1)
            let requests = await ledger.accepted
            try #require(requests.map(\.path) == ["/v2/pushes"])
            guard case .object(var expected) = try PushbulletRenderer().render(try sampleMessage(7).withEvent("PrintDone")).payload.json else { return }
            expected["device_iden"] = "ujpah72o0sjAoRtnM0jc"
            #expect(try JSONReader().read(requests[0].body) == .object(expected))
            #expect(try await notifier.outbox.deliveries().first?.reference == "ujpah72o0sjAoRtnM0jc")
        }
    }

    @Test("a file push takes three steps: the upload request, the upload (its S3 fields first, never the token), the push with file_url",
          arguments: [false, true])
    func filePush(legacy: Bool) async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Self.api(ledger, legacy: legacy)) { base in
            let notifier = try await Self.notifier(base: base, scope: "{channel_tag: printfarm}")
            var message = try sampleMessage(8)
            let png = Data([0x89, 0x50, 0x4E, 0x47, 13, 10, 26, 10, 0, 0])
            try message.addAttachment(data: png, filename: "cam.png", mimeType: "image/png")
            let receipt = try await notifier.notify(.printDone, message)
            #expect(try await notifier.deliverPending().delivered == 1)
            let requests = await ledger.accepted
            try #require(requests.map(\.path) == ["/v2/upload-request", "/upload/abc", "/v2/pushes"])
            let key = receipt.deliveries[0].idempotencyKey
            #expect(requests.map(\.idempotencyKey) == ["\(key):upload-request", "\(key):upload", key])
            #expect(try JSONReader().read(requests[0].body) == ["file_name": "cam.png", "file_type": "image/png"])
            let upload = try #require(try ReadForm.read([requests[1]]).first)
            #expect(upload.fields == (legacy ? [["acl", "public-read"], ["key", "abc/cam.png"], ["policy", "eyJ"]] : []))
            #expect(upload.files == [ReadForm.File(field: "file", filename: "cam.png", contentType: "image/png", data: png)])
            guard case .object(var expected) = try PushbulletRenderer().render(try message.withEvent("PrintDone")).payload.json else { return }
            expected["file_url"] = "https://dl.pushbulletusercontent.com/abc/cam.png"
            expected["channel_tag"] = "printfarm"
            #expect(try JSONReader().read(requests[2].body) == .object(expected))
            #expect(!requests[1].text.contains(Self.token))
        }
    }

    @Test("a 429 is retried; a wrong token is Pushbullet's 401, failed at once with its message")
    func failures() async throws {
        let ledger = KeyLedger()
        let reply: @Sendable (Int) -> TestReply = { seen in
            seen == 1
                ? .json(429, #"{"error": {"code": "too_many_requests", "type": "invalid_request", "message": "Too many requests"}}"#, headers: [("X-Ratelimit-Reset", "1700000000")])
                : .json(200, #"{"iden": "p2"}"#)
        }
        try await TestHTTPServer.with(Self.api(ledger, pushReply: reply)) { base in
            let notifier = try await Self.notifier(base: base, scope: "{}")
            try await notifier.notify(.printDone, "Benchy done")
            let summary = try await notifier.deliverPending()
            #expect(summary.delivered == 1 && summary.retried == 1)
            let wrong = try await Self.notifier(base: base, token: "o.wrong")
            try await wrong.notify(.printDone, "Benchy done")
            #expect(try await wrong.deliverPending().failed == 1)
            #expect(try await wrong.outbox.deliveries().first?.lastError == "HTTP 401: Access token is missing or invalid.")
        }
    }

    @Test("configuration: the token from the environment, at most one target, https for the API")
    func configurationErrors() throws {
        func error(_ yaml: String) -> ConfigurationError? {
            do { _ = try DeliveryConfiguration(yaml: yaml) } catch { return error }
            return nil
        }
        #expect(error("services: {pushbullet: {token: o.abc, token_env: T, scopes: {a: {}}}}")?.path == "services.pushbullet.token")
        #expect(error("services: {pushbullet: {token_env: T, scopes: {a: {email: 'a@b.org', channel_tag: x}}}}")
            == ConfigurationError(path: "services.pushbullet.scopes.a", reason: "give at most one of device_iden, email and channel_tag (none: every device of the account)"))
        #expect(error("services: {pushbullet: {token_env: T, scopes: {a: {email: 'not an address'}}}}")?.path == "services.pushbullet.scopes.a.email")
        #expect(error("services: {pushbullet: {url: 'http://pb.example', token_env: T, scopes: {a: {}}}}")?.path == "services.pushbullet.url")
        let config = try DeliveryConfiguration(yaml: "services: {pushbullet: {token_env: T, scopes: {a: {}, b: {email: ops@example.org}}}}")
        #expect(config.services[.pushbullet]?.scopes == ["a", "b"])
        let status = try #require(config.services[.pushbullet]?.environmentStatus(in: DeliveryEnvironment(["T": Self.token])).first)
        #expect(status.isSet && status.isSecret && status.value == nil)
    }
}
