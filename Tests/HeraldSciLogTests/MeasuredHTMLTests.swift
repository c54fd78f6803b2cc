import Herald
@testable import HeraldSciLog
import HeraldTestSupport
import Testing

/// What an over-long entry measures without writing it is the size of what it would write.
@Suite("SciLog HTML measured without writing")
struct MeasuredHTMLTests {
    @Test("inline content and escaped text measure as written, for golden cases and random messages", arguments: [UInt64(1), 2, 3, 4])
    func measuresAsWritten(seed: UInt64) throws {
        var random = RandomMessages(seed: seed)
        var messages = (0..<150).map { _ in random.message() }
        if seed == 1 { messages += try GoldenCase.all.map { try $0.message() } }
        for (index, message) in messages.enumerated() {
            let document = SciLogRenderer().prepared(Document.lowering(message)).document
            for block in document.blocks {
                switch block {
                case .heading(_, let content), .paragraph(let content):
                    #expect(SciLogHTML.inlineByteCount(content) == SciLogHTML.inline(content).utf8.count, "seed \(seed) message \(index)")
                case .codeBlock(let code, _):
                    #expect(SciLogHTML.escapedByteCount(of: code.source) == SciLogHTML.escaped(code.source).utf8.count, "seed \(seed) message \(index)")
                case .table, .attachment, .sticker:
                    continue
                }
            }
        }
    }

    @Test("an entry measured after its limit renders exactly as one written whole")
    func measuredEntryRendersTheSame() throws {
        var message = try NotificationMessage()
        for line in 0..<400 { try message.addText("line \(line) <&> \"quoted\" 'single' \u{1}\n\n") }
        try message.addCode("let x = \"<tag>\" & y", language: "swift")
        for limit in [200, 1_000, 5_000, 20_000, 100_000] {
            let document = SciLogRenderer(maximumTextBytes: limit).prepared(Document.lowering(message)).document
            let measured = try SciLogEntry(document, limit: limit).textContent(limitedTo: limit)
            let written = try SciLogEntry(document, limit: .max).textContent(limitedTo: limit)
            #expect(measured.html == written.html, "limit \(limit)")
            #expect(measured.degradations == written.degradations, "limit \(limit)")
        }
    }
}
