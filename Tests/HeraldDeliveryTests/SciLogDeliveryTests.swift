import Foundation
import Herald
import HeraldDelivery
import Testing

@Suite("SciLog: two-step delivery")
struct SciLogDeliveryTests {
    static let token = "scilog-token-\(UUID().uuidString)"

    static func message() throws -> NotificationMessage {
        var message = try NotificationMessage(title: "Sample mounted")
        try message.addText("Robot arm stopped", bold: true, color: .red)
        try message.addAttachment(data: Data([0x89, 0x50, 0x4E, 0x47, 1, 2, 3]), filename: "plot.png", mimeType: "image/png", width: 800)
        try message.addAttachment(data: Data("%PDF-1.4 scan".utf8), filename: "scan \"1\".pdf", mimeType: "application/pdf")
        return message
    }

    @Test("each attachment is uploaded (multipart), then the Paragraph goes to /basesnippets with parentId and file ids")
    func twoSteps() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Receivers.scilog(ledger, token: Self.token)) { base in
            let config = try configuration("""
                services:
                  scilog: {url: "\(base)/api/v1", token_env: SCILOG_TOKEN, scopes: {x12sa: {logbook_id: "6523a1f0c8e4b2a9d0f1e2d3"}}}
                """)
            let capture = LogCapture()
            let notifier = try makeNotifier(config, in: try temporaryDirectory(), environment: ["SCILOG_TOKEN": Self.token], logger: capture.logger)
            try await notifier.setAutoNotifications(event: .newScan, service: .scilog, enabled: true, scopes: ["x12sa"])
            let receipt = try await notifier.notify(.newScan, try Self.message())
            #expect(try await notifier.deliverPending().delivered == 1)
            let requests = await ledger.accepted
            try #require(requests.count == 3)
            let key = receipt.deliveries[0].idempotencyKey
            #expect(requests.map(\.path) == ["/api/v1/filesnippet/files", "/api/v1/filesnippet/files", "/api/v1/basesnippets"])
            #expect(requests.map(\.idempotencyKey) == ["\(key):file-1", "\(key):file-2", key])
            #expect(requests[0].text.contains(#"name="file"; filename="plot.png""#))
            #expect(requests[1].text.contains(#"filename="scan %221%22.pdf""#) && requests[1].text.contains("%PDF-1.4 scan"))

            let expected = try SciLogRenderer().render(try Self.message().withEvent("new_scan")).payload.json
            guard case .object(var snippet) = try JSONReader().read(requests[2].body), case .object(var plain) = expected,
                case .array(let files)? = snippet.removeValue(forKey: "files"), case .array(let plainFiles)? = plain.removeValue(forKey: "files")
            else {
                Issue.record("unexpected snippet")
                return
            }
            #expect(snippet.removeValue(forKey: "parentId") == "6523a1f0c8e4b2a9d0f1e2d3")
            #expect(JSONValue.object(snippet) == .object(plain))
            #expect(files.count == 2)
            for (index, (file, plainFile)) in zip(files, plainFiles).enumerated() {
                guard case .object(var entry) = file else { continue }
                #expect(entry.removeValue(forKey: "fileId") == .string("file-\(index + 1)"))
                #expect(entry.removeValue(forKey: "accessHash") == .string("hash-\(index + 1)"))
                #expect(.object(entry) == plainFile)
            }
            #expect(try await notifier.outbox.deliveries().first?.reference == "snippet-1")
            #expect(!capture.captured.joined().contains(Self.token))
        }
    }

    @Test("a wrong token is a 4xx: failed with SciLog's message, not retried, token never shown")
    func wrongToken() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Receivers.scilog(ledger, token: "the-right-one")) { base in
            let config = try configuration("""
                services:
                  scilog: {url: "\(base)/api/v1", token_env: SCILOG_TOKEN, scopes: {x12sa: {logbook_id: "abc123"}}}
                """)
            let notifier = try makeNotifier(config, in: try temporaryDirectory(), environment: ["SCILOG_TOKEN": Self.token])
            try await notifier.setAutoNotifications(event: .newScan, service: .scilog, enabled: true, scopes: ["x12sa"])
            try await notifier.notify(.newScan, try Self.message())
            #expect(try await notifier.deliverPending().failed == 1)
            let delivery = try #require(try await notifier.outbox.deliveries().first)
            #expect(delivery.lastError == "upload of plot.png: HTTP 401: Invalid token")
            #expect(await ledger.seen == 1)
        }
    }

    @Test("an inline token is refused; services check reports the token variable as a secret")
    func tokenConfiguration() throws {
        #expect(throws: ConfigurationError(path: "services.scilog.token", reason: "secrets are never written in the destinations file; put it in an environment variable and name that variable with token_env")) {
            try DeliveryConfiguration(yaml: "services: {scilog: {url: 'https://scilog.example', token: abc, scopes: {a: {logbook_id: b}}}}")
        }
        let config = try DeliveryConfiguration(yaml: "services: {scilog: {url: 'https://scilog.example/api/v1', token_env: SCILOG_TOKEN, scopes: {a: {logbook_id: b}}}}")
        let status = try #require(config.services[.scilog]?.environmentStatus(in: DeliveryEnvironment(["SCILOG_TOKEN": Self.token])).first)
        #expect(status.isSet && status.isSecret && status.value == nil)
    }
}
