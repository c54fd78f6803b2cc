import Foundation
import Herald
import HeraldTestSupport
import Testing

/// Parses Herald's Markdown with cmark-gfm and checks that a reader sees exactly the text and styles meant.
@Suite("Markdown read back by cmark-gfm", .requires(.cmarkGFM))
struct MarkdownReadBackTests {
    @Test("every golden case reads back as its fitted document", arguments: GoldenCase.all)
    func goldenCaseReadsBack(_ golden: GoldenCase) throws {
        let rendering = try MarkdownRenderer().render(golden.message())
        let markdown = String(decoding: rendering.payload.body, as: UTF8.self)
        let read = try CMarkReader.read(markdown)
        #expect(read == CMarkReader.expectedBlocks(for: rendering.fittedDocument), "\n\(markdown)")
    }

    /// Text that Markdown would otherwise turn into markup, whitespace it would strip, and styles next to
    /// punctuation and inside words, each as its own message.
    static let awkwardRuns: [[(String, TextStyle)]] = [
        [("*not italic* _nor this_ **x** __y__", .plain)],
        [("# heading?", .plain)], [("1. list?", .plain)], [("1) list?", .plain)], [("- list?", .plain)],
        [("+ list?", .plain)], [("> quote?", .plain)], [("    code?", .plain)], [("\tcode?", .plain)],
        [("===", .plain)], [("---", .plain)], [("***", .plain)], [("___", .plain)], [("~~~", .plain)],
        [("```", .plain)], [("<div>html?</div>", .plain)], [("<!-- comment -->", .plain)],
        [("[link](http://x) ![img](y) [ref]: /url", .plain)], [("&amp; &#42; &copy", .plain)],
        [("trailing spaces  ", .plain)], [("back\\slash \\* \\", .plain)], [("www.example.org", .plain)],
        [("https://example.org/a_b", .plain)], [("| a | b |", .plain)], [("a\u{00A0}b\u{2003}c", .plain)],
        [("x", .plain), ("(y)", TextStyle(bold: true)), ("z", .plain)],
        [("x", .plain), ("y", TextStyle(italic: true)), ("z", .plain)],
        [("«", .plain), ("»", TextStyle(italic: true)), ("«", .plain)],
        [("a ", TextStyle(bold: true)), (" b", TextStyle(italic: true))],
        [("💥", TextStyle(strikethrough: true)), ("💥", .plain)],
        [("*", TextStyle(bold: true)), ("*", TextStyle(italic: true)), ("_", .plain)],
        [("`", TextStyle(monospace: true)), ("``", .plain), (" `` ", TextStyle(monospace: true))],
        [("a", TextStyle(bold: true, italic: true)), ("b", TextStyle(bold: true)), ("c", TextStyle(italic: true, strikethrough: true))],
        [("[x]", TextStyle(link: try! Link(validating: "https://example.org/?q=a&b=(c)"))), ("y", TextStyle(bold: true))],
        [("  lead\n  both  \ntrail  ", .plain)],
        [("bold \n across  \nlines", TextStyle(bold: true)), ("\n_after_", TextStyle(italic: true))],
        [("x.", TextStyle(italic: true)), ("struck\n~~still~~", TextStyle(strikethrough: true))],
    ]

    @Test("awkward text and style boundaries read back exactly", arguments: awkwardRuns.indices)
    func awkwardRunReadsBack(_ index: Int) throws {
        var message = try NotificationMessage()
        for (text, style) in Self.awkwardRuns[index] { message.addText(text, style: style) }
        let rendering = try MarkdownRenderer().render(message)
        let markdown = String(decoding: rendering.payload.body, as: UTF8.self)
        #expect(try CMarkReader.read(markdown) == CMarkReader.expectedBlocks(for: rendering.fittedDocument), "\n\(markdown)")
    }

    @Test("a strikethrough Markdown cannot spell is dropped on its line only")
    func strikethroughConflictOnOneLine() throws {
        var message = try NotificationMessage()
        message.addText("x.", style: TextStyle(italic: true))
        message.addText("struck\nstill struck", style: TextStyle(strikethrough: true))
        let rendering = try MarkdownRenderer().render(message)
        #expect(rendering.fittedDocument.blocks == [.paragraph([
            TextRun("x.", style: TextStyle(italic: true), origin: .part(0)),
            TextRun("struck\n", origin: .part(1)),
            TextRun("still struck", style: TextStyle(strikethrough: true), origin: .part(1)),
        ])])
        #expect(rendering.degradations.map(\.description) == [
            "parts[1] \"struck\": strikethrough not shown on Markdown: GFM cannot put it directly beside bold or italic that ends or starts with punctuation or a space",
        ])
        let markdown = String(decoding: rendering.payload.body, as: UTF8.self)
        #expect(try CMarkReader.read(markdown) == CMarkReader.expectedBlocks(for: rendering.fittedDocument), "\n\(markdown)")
    }

    @Test("every literal of the CommonMark escaping oracle reads back as itself", .requires(.specs))
    func escapingOracle() throws {
        let url = try RepositoryPaths.spec("commonmark-escape-oracle.json")
        guard case .object(let root) = try JSONReader().read(Array(Data(contentsOf: url))), case .array(let cases)? = root["cases"] else {
            Issue.record("cannot read the oracle")
            return
        }
        #expect(cases.count >= 20)
        for entry in cases {
            guard case .object(let fields) = entry, case .string(let literal)? = fields["literal"] else { continue }
            var message = try NotificationMessage()
            try message.addText(literal)
            let rendering = try MarkdownRenderer().render(message)
            let markdown = String(decoding: rendering.payload.body, as: UTF8.self)
            #expect(try CMarkReader.read(markdown) == CMarkReader.expectedBlocks(for: rendering.fittedDocument), "\(literal.debugDescription) → \(markdown.debugDescription)")
        }
    }
}
