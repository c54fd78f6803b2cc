import Foundation
import Herald
import HeraldCLI
import HeraldTestSupport
import HeraldValidation
import Testing

/// E-mails read back by parsers Herald did not write: Python's `email` package parses every message (no defects,
/// lines within 998 octets, CRLF only, every `cid:` resolved), libxml2 reads the HTML alternative back and checks it
/// against the allow-list, and both alternatives must show the fitted document.
@Suite("E-mail read back by Python's email package and libxml2", .requires(.aiosmtpd))
struct ReadBackTests {
    /// Checks one rendering against what Python read from its message; `what` names it in failures.
    static func verify(_ rendering: Rendering, _ received: EmailReader.Received, renderer: EmailRenderer = EmailRenderer(), _ what: String) {
        let document = rendering.fittedDocument
        #expect(received.problems == [], "\(what)")
        #expect(received.subject == renderer.subject(for: document), "\(what)")
        #expect(received.from == renderer.headers.from.description, "\(what)")
        #expect(received.to == renderer.headers.to.map(\.address), "\(what)")
        #expect(received.messageID == "<\(renderer.headers.messageID)>", "\(what)")
        #expect(received.text == EmailReader.expectedText(for: document), "\(what)")
        let html = received.html ?? ""
        #expect(EmailReader.blocks(fromHTML: html, parts: received.parts) == EmailReader.expectedBlocks(for: document), "\(what)")
        #expect(HTMLValidator(allowList: .email).validate(html) == [], "\(what)")
        let attachments = document.blocks.filter { if case .attachment = $0 { true } else { false } }.count
        #expect(received.parts.count == attachments, "\(what)")
    }

    /// Renders each message and checks them all with one run of the script.
    static func verifyAll(_ messages: [(String, NotificationMessage)], renderer: EmailRenderer = EmailRenderer()) throws {
        let renderings = try messages.map { try renderer.render($0.1) }
        let received = try EmailReader.read(renderings.map(\.payload.body))
        try #require(received.count == renderings.count)
        for (index, rendering) in renderings.enumerated() {
            verify(rendering, received[index], renderer: renderer, messages[index].0)
        }
    }

    @Test("every golden e-mail parses without defects and both alternatives show the fitted document")
    func goldenCorpus() throws {
        let cases = GoldenCase.all
        #expect(cases.count >= 25)
        try Self.verifyAll(try cases.map { ($0.name, try $0.message()) })
        // The golden files are what the renderer writes: the same check on the files themselves.
        let files = try EmailReader.read(files: cases.map { $0.file(Service.email.goldenFileName).path })
        #expect(files.map(\.problems) == Array(repeating: [], count: cases.count))
    }

    @Test("every hostile string, in every place a sender can put text, stays literal in both alternatives and the subject")
    func hostileCorpus() throws {
        #expect(HostileCorpus.entries.count > 50)
        try Self.verifyAll(HostileCorpus.entries.map { ($0.description, HostileCorpus.message(carrying: $0.text).message) })
    }

    @Test("random messages read back as their fitted documents", arguments: [UInt64(1), 2, 3, 4])
    func randomMessages(seed: UInt64) throws {
        var random = RandomMessages(seed: seed)
        try Self.verifyAll((0..<120).map { ("seed \(seed) message \($0)", random.message()) })
    }

    @Test("long random messages over a small limit: one e-mail within it, cut with the marker, read back as the fitted document", arguments: [UInt64(1), 2, 3, 4])
    func longMessages(seed: UInt64) throws {
        var random = RandomMessages(seed: seed)
        let renderer = EmailRenderer(maximumMessageBytes: 12_000)
        let messages = (0..<10).map { ("seed \(seed) long message \($0)", random.longMessage()) }
        var cut = 0
        for (name, message) in messages {
            let rendering = try renderer.render(message)
            #expect(rendering.messages.count == 1, "\(name)")
            #expect(rendering.payload.body.count <= renderer.maximumMessageBytes, "\(name)")
            if rendering.degradations.contains(where: { $0.kind == .truncated }) { cut += 1 }
        }
        #expect(cut >= 5, "too few long messages reach the limit")
        try Self.verifyAll(messages, renderer: renderer)
    }

    @Test("herald render --validate checks the HTML alternative against the e-mail allow-list, which refuses anything else")
    func validate() async throws {
        let example = RepositoryPaths.examples.appendingPathComponent("sample_mount_failed.json").path
        let result = await CapturedCommand.run(["render", "--validate", "--service", "email", "--payload", example])
        #expect(result.status == .success && result.error.isEmpty, "\(result.error)")
        #expect(result.outputText.hasPrefix("Date: Sat, 01 Jan 2000 00:00:00 +0000\r\n"))
        let findings = HTMLValidator(allowList: .email).validate(
            "<p style=\"color:red\">x</p><script>alert(1)</script><a href=\"javascript:alert(1)\">y</a><img src=\"https://example.org/t.png\"/>")
        #expect(findings.count == 4, "\(findings)")
    }

    @Test("cid: references: an unresolved one is found, so the check can fail")
    func checkerFindsProblems() throws {
        var message = try NotificationMessage(title: "Plot")
        try message.addAttachment(data: Data([1, 2, 3]), filename: "plot.png", mimeType: "image/png")
        let body = String(decoding: try EmailRenderer().render(message).payload.body, as: UTF8.self)
        let broken = body.replacingOccurrences(of: "Content-ID: <part1.", with: "Content-ID: <other.")
            .replacingOccurrences(of: "Subject: Plot\r\n", with: "Subject: Plot\r\nX-Long: " + String(repeating: "x", count: 1_000) + "\r\n")
        let received = try EmailReader.read([Array(broken.utf8)])
        #expect(received[0].problems.contains { $0.hasPrefix("cid:part1.herald-preview@example.org names no part") })
        #expect(received[0].problems.contains { $0.contains("RFC 5322 allows 998") })
    }
}
