import Foundation
import Herald
import HeraldSMS
import HeraldTestSupport
import Testing

/// The SMS body is the fitted document as plain text, within Twilio's 1600 characters, and its cost is reported.
@Suite("SMS bodies")
struct SMSRendererTests {
    /// The body a phone shows for `document` (fitted to SMS), as docs/services.md describes it: the text blocks in
    /// order, a blank line between two, line breaks kept, a code block as its text.
    static func expectedBody(_ document: Document) -> String {
        document.blocks.compactMap { block -> String? in
            switch block {
            case .heading(_, let runs), .paragraph(let runs): runs.map(\.text).joined()
            case .codeBlock(let code, _): code.source
            case .table, .attachment, .sticker: nil
            }
        }.joined(separator: "\n\n")
    }

    /// Every problem with `rendering`.
    static func problems(in rendering: Rendering) throws -> [String] {
        guard rendering.messages.count == 1 else { return ["\(rendering.messages.count) bodies"] }
        guard case .object(let object) = try JSONReader().read(rendering.messages[0].payload.body), object.count == 1,
            case .string(let body)? = object["Body"]
        else { return ["not {\"Body\": …}"] }
        var problems: [String] = []
        if body.utf16.count > 1600 { problems.append("\(body.utf16.count) UTF-16 code units") }
        let document = rendering.messages[0].document
        if document.blocks.contains(where: { if case .table = $0 { true } else if case .heading = $0 { true } else { false } }) {
            problems.append("a table or heading reached the renderer")
        }
        if body != Self.expectedBody(document) { problems.append("body \(body.debugDescription)\nexpected \(Self.expectedBody(document).debugDescription)") }
        let encoding = SMSEncoding(body)
        let reported = rendering.degradations.contains { $0.kind == .split && $0.message.hasPrefix("sent as \(encoding.segments) SMS segments of \(encoding.alphabet.rawValue)") }
        if reported != (encoding.segments > 1) { problems.append("\(encoding.segments) segments, reported: \(reported)") }
        return problems
    }

    @Test("every golden case: the body is the fitted document's text, within 1600, its segments reported", arguments: GoldenCase.all)
    func golden(_ golden: GoldenCase) throws {
        let problems = try Self.problems(in: SMSRenderer().render(golden.message()))
        #expect(problems.isEmpty, "\(golden.name): \(problems.joined(separator: "\n"))")
    }

    @Test("every hostile string, in every place a sender can put text, arrives literally", arguments: HostileCorpus.entries)
    func hostile(_ entry: HostileCorpus.Entry) throws {
        let message = HostileCorpus.message(carrying: entry.text).message
        let rendering = try SMSRenderer().render(message)
        let problems = try Self.problems(in: rendering)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        // The text run (part 1) arrives as written, control characters replaced by lowering.
        let lowered = Document.lowering(message).document
        guard case .paragraph(let runs)? = lowered.blocks.first(where: { if case .paragraph = $0 { true } else { false } }) else { return }
        let body = Self.expectedBody(rendering.fittedDocument)
        #expect(body.contains(runs[0].text.split(separator: "\n").first.map(String.init) ?? ""))
    }

    @Test("random and long random messages: one body within the limit, the cut reported", arguments: [UInt64(1), 2, 3, 4])
    func random(seed: UInt64) throws {
        var random = RandomMessages(seed: seed)
        var cut = 0
        for index in 0..<60 {
            let rendering = try SMSRenderer().render(index % 3 == 2 ? random.longMessage() : random.message())
            if rendering.degradations.contains(where: { $0.kind == .truncated }) { cut += 1 }
            let problems = try Self.problems(in: rendering)
            #expect(problems.isEmpty, "seed \(seed) message \(index): \(problems.joined(separator: "\n"))")
        }
        #expect(cut >= 10, "too few random messages reach the limit")
    }

    @Test("a body of 1600 units goes whole; one more is cut with the marker, reported")
    func bodyLimit() throws {
        var exact = try NotificationMessage()
        exact.addText(String(repeating: "a", count: 1600), style: .plain)
        #expect(try SMSRenderer().render(exact).payload.json == ["Body": .string(String(repeating: "a", count: 1600))])
        var over = try NotificationMessage()
        over.addText(String(repeating: "a", count: 1601), style: .plain)
        let rendering = try SMSRenderer().render(over)
        guard case .object(let object) = rendering.payload.json, case .string(let body)? = object["Body"] else { Issue.record("no body"); return }
        #expect(body.utf16.count <= 1600 && body.hasSuffix(" characters not shown)"))
        #expect(rendering.degradations.map(\.kind) == [.truncated, .split])
    }

    @Test("the title is the first line, links as text (URL), files named; losses reported")
    func layout() throws {
        var message = try NotificationMessage(title: "Print failed", event: "FailureAlert")
        try message.addText("Spaghetti detected", bold: true, color: .red)
        try message.addText(" on printer ")
        try message.addText("Prusa #2", link: "https://farm.example/p/2")
        try message.addAttachment(data: Data([1, 2]), filename: "snapshot.jpg", mimeType: "image/jpeg")
        let rendering = try SMSRenderer().render(message)
        #expect(rendering.payload.json == [
            "Body": "Print failed\n\nSpaghetti detected on printer Prusa #2 (https://farm.example/p/2)\n\nFile not sent: snapshot.jpg (image/jpeg, 2 bytes)",
        ])
        #expect(rendering.degradations.map(\.kind) == [.headingShownAsText, .styleNotShown, .styleNotShown, .colorNotShown, .linkShownAsText, .attachmentNotDelivered])
        // 130 GSM-7 characters: the file's line keeps the body GSM-7 and in one segment, so no cost is reported.
    }

    @Test("one emoji in 159 GSM-7 characters makes the body UCS-2 and three segments, and the report says so")
    func emojiTriples() throws {
        var message = try NotificationMessage()
        message.addText(String(repeating: "a", count: 159) + "👋", style: .plain)
        let report = try SMSRenderer().render(message).degradations.map(\.description)
        #expect(report == [#"document: sent as 3 SMS segments of UCS-2, at most 67 UTF-16 code units each (161 in all): "👋" is not in GSM-7; a GSM-7 body of this length would take 1"#])
        var plain = try NotificationMessage()
        plain.addText(String(repeating: "a", count: 160), style: .plain)
        #expect(try SMSRenderer().render(plain).degradations.isEmpty)
    }
}
