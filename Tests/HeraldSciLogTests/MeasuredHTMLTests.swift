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

    @Test("an entry measured after a limit has the size of the entry written whole")
    func measuredEntryHasTheWrittenSize() throws {
        var message = try NotificationMessage()
        for line in 0..<400 { try message.addText("line \(line) <&> \"quoted\" 'single' \u{1}\n\n") }
        try message.addCode("let x = \"<tag>\" & y", language: "swift")
        let document = SciLogRenderer().prepared(Document.lowering(message)).document
        let written = SciLogEntry(document, limit: .max).pieces.map { $0.html?.utf8.count }
        for limit in [200, 1_000, 5_000, 20_000, 100_000] {
            let measured = SciLogEntry(document, limit: limit).pieces
            #expect(measured.map(\.byteCount) == written, "limit \(limit)")
        }
        #expect(SciLogEntry(document, limit: 200).pieces.contains { $0.html == nil }, "measured without writing")
        let limits = SciLogRenderer().limits.perMessage[0]
        let payload = try SciLogPayload(SciLogRenderer().renderFitted(document))
        #expect(limits.measure(document, 1_000) == payload.textcontent.utf8.count)
    }
}
