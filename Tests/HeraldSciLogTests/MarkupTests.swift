import Foundation
import HeraldCore
import HeraldSciLog
import HeraldTestSupport
import HeraldValidation
import Testing

@Suite("SciLog markup decisions")
struct MarkupTests {
    private func render(_ build: (inout NotificationMessage) throws -> Void) throws -> (Rendering, SciLogPayload) {
        var message = try NotificationMessage()
        try build(&message)
        let rendering = try SciLogRenderer().render(message)
        return (rendering, try SciLogPayload(rendering.payload))
    }

    /// A link in a colored run sits outside the `mark`, so the pen color (on the `mark`) colors the link text;
    /// the neighbouring runs of the same color share one `mark`.
    @Test func linkInsideAColoredRunKeepsItsColor() throws {
        let (rendering, payload) = try render { message in
            try message.addText("see ", color: .red)
            try message.addText("docs", color: .red, link: "https://example.org/?a=1&b=2")
            try message.addText(" now", color: .red)
        }
        #expect(HTMLValidator().validate(payload.textcontent) == [])
        #expect(SciLogHTMLReader.read(payload.textcontent) == SciLogHTMLReader.expectedBlocks(for: rendering.fittedDocument, fileHashes: []))
        guard case .element(let paragraph)? = HTMLFragment(parsing: payload.textcontent).nodes.first,
            case .element(let link)? = paragraph.children.first(where: { if case .element(let e) = $0 { e.name == "a" } else { false } })
        else {
            Issue.record("no link in \(payload.textcontent)")
            return
        }
        #expect(link.children == [.element(HTMLElement(name: "mark", attributes: ["class": "pen-red"], children: [.text("docs")]))])
    }

    @Test(arguments: TextColor.allCases)
    func everyColorIsShown(_ color: TextColor) throws {
        let (rendering, payload) = try render { try $0.addText("x", color: color) }
        #expect(rendering.degradations == [])
        let expectedColor: TextColor? = color == .black ? nil : color
        #expect(SciLogHTMLReader.read(payload.textcontent) == [.paragraph([ReadSpan(text: "x", color: expectedColor)])])
    }

    /// Lowering already replaces control characters and noncharacters; a document built by hand can still hold
    /// them, and the renderer must never write what XML cannot carry.
    @Test func charactersXMLCannotCarryAreReplacedAndReported() throws {
        let document = Document(blocks: [
            .paragraph([TextRun("a\u{FFFE}b\u{1}c", origin: .part(0))]),
            .table(try Table(columns: ["k\u{FFFF}"], rows: [["v"]]), origin: .part(1)),
            .codeBlock(try CodeSnippet(language: "python", source: "x\u{FFFE}"), origin: .part(2)),
            .paragraph([TextRun("fine", origin: .part(3))]),
        ])
        let rendered = try SciLogRenderer().renderFitted(document)
        let payload = try SciLogPayload(rendered)
        #expect(HTMLValidator().validate(payload.textcontent) == [])
        #expect(SciLogHTMLReader.read(payload.textcontent) == [
            .paragraph([ReadSpan(text: "a\u{FFFD}b\u{FFFD}c")]), .table(header: ["k\u{FFFD}"], rows: [["v"]]),
            .codeBlock(languageClass: "language-python", "x\u{FFFD}"), .paragraph([ReadSpan(text: "fine")]),
        ])
        #expect(rendered.degradations.map(\.kind) == [.characterReplaced, .characterReplaced, .characterReplaced])
        #expect(rendered.degradations.map(\.path) == ["parts[0]", "parts[1]", "parts[2]"])
        #expect(rendered.degradations.first?.message.contains("U+FFFE, U+0001 replaced by U+FFFD") == true)
    }

    @Test func aDotInACodeLanguageBecomesAHyphenAndIsReported() throws {
        let (rendering, payload) = try render { message in
            try message.addCode("Dim x", language: "vb.net")
            try message.addCode("int x;", language: "c++")
            try message.addCode("var x;", language: "c#")
        }
        #expect(HTMLValidator().validate(payload.textcontent) == [])
        let classes = SciLogHTMLReader.read(payload.textcontent).map { block -> String? in
            if case .codeBlock(let languageClass, _) = block { languageClass } else { "not a code block" }
        }
        #expect(classes == ["language-vb-net", "language-c++", "language-c#"])
        #expect(rendering.degradations.map(\.kind) == [.codeLanguageNotShown])
        #expect(rendering.degradations.first?.message.contains("vb-net") == true)
    }

    @Test func stickersAreReportedAndTagsAreMetadata() throws {
        let (rendering, payload) = try render { message in
            try message.addText("Print done")
            try message.addSticker("4b2f:3")
            try message.addTags(["printer", "farm", "printer"])
        }
        #expect(payload.tags == ["printer", "farm"])
        #expect(SciLogHTMLReader.read(payload.textcontent) == [.paragraph([ReadSpan(text: "Print done")])])
        #expect(rendering.degradations.map(\.kind) == [.stickerNotShown])
    }

    @Test func rendererIsDeterministic() throws {
        let message = try #require(GoldenCase.all.first { $0.name.hasPrefix("26") }).message()
        let first = try SciLogRenderer().render(message).payload.body
        #expect((0..<5).allSatisfy { _ in (try? SciLogRenderer().render(message).payload.body) == first })
    }
}
