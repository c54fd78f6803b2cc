import Foundation
import HeraldCore
import Testing

@Suite("Lowering, normalization and the tree dump")
struct DocumentTests {
    @Test("text runs flow into paragraphs; one line feed breaks a line, two or more end the paragraph")
    func paragraphs() throws {
        var message = try NotificationMessage()
        try message.addText("Robot arm stopped", bold: true, color: .red)
        try message.addText(" Please check.\r\nNext line\n\n\nSecond paragraph\n")
        try message.addText("", italic: true)
        try message.addText("bold", bold: true)
        let document = Document.lowering(message).document
        let red = TextStyle(bold: true, color: .red)
        #expect(document.blocks == [
            .paragraph([
                TextRun("Robot arm stopped", style: red, origin: .part(0)),
                TextRun(" Please check.\nNext line", origin: .part(1)),
            ]),
            // The line break between two runs ends the run before it.
            .paragraph([TextRun("Second paragraph\n", origin: .part(1)), TextRun("bold", style: TextStyle(bold: true), origin: .part(3))]),
        ])
    }

    @Test("lines of one style are one run; a line break between parts joins the run before it")
    func linesOfOneStyle() throws {
        var message = try NotificationMessage()
        try message.addText("first\nsecond")
        try message.addText("\nthird\n")
        try message.addText("fourth", bold: true)
        try message.addText("\n")
        try message.addText("\n")  // two line feeds in two parts are still one line break
        try message.addText("fifth")
        let content = Document.lowering(message).document.blocks[0].runs
        #expect(content == [
            TextRun("first\nsecond\nthird\n", origin: .parts(0...1)),
            TextRun("fourth\n", style: TextStyle(bold: true), origin: .part(2)),
            TextRun("fifth", origin: .part(5)),
        ])
        #expect(content.lines == [
            [TextRun("first", origin: .parts(0...1))], [TextRun("second", origin: .parts(0...1))],
            [TextRun("third", origin: .parts(0...1))], [TextRun("fourth", style: TextStyle(bold: true), origin: .part(2))],
            [TextRun("fifth", origin: .part(5))],
        ])
        #expect([TextRun](lines: content.lines) == content)
    }

    @Test("a carriage return, alone or before a line feed, counts as one line feed")
    func carriageReturns() throws {
        var message = try NotificationMessage()
        try message.addText("a\rb\r\rc\r\n\r\nd\r\ne\n\rf")
        #expect(Document.lowering(message).document.blocks.map(\.runs) == [
            [TextRun("a\nb", origin: .part(0))], [TextRun("c", origin: .part(0))], [TextRun("d\ne", origin: .part(0))],
            [TextRun("f", origin: .part(0))],
        ])
    }

    @Test("normalizing moves a leading line feed to the run before, drops it at the ends, and merges equal styles")
    func normalizingLineFeeds() {
        let bold = TextStyle(bold: true)
        let runs = [
            TextRun("\nlead"), TextRun("a", style: bold), TextRun("\n"), TextRun("\nb"), TextRun("", style: bold),
            TextRun("c\n"),
        ]
        #expect(runs.normalized() == [TextRun("lead"), TextRun("a\n", style: bold), TextRun("bc")])
    }

    @Test("neighbouring runs of equal style merge, keeping the span of parts they came from")
    func merging() throws {
        var message = try NotificationMessage()
        try message.addText("a", italic: true)
        try message.addText("b", italic: true)
        try message.addText("c")
        let document = Document.lowering(message).document
        #expect(document.blocks == [.paragraph([
            TextRun("ab", style: TextStyle(italic: true), origin: .parts(0...1)), TextRun("c", origin: .part(2)),
        ])])
        #expect(Origin.parts(0...1).description == "parts[0...1]")
    }

    @Test("other parts end the paragraph; tags are collected in order without duplicates; the title leads")
    func blocksAndTags() throws {
        var message = try NotificationMessage(title: "Scan done", event: "scan_completed")
        try message.addText("before")
        try message.addTags(["b", "a"])
        try message.addText(" still the same paragraph")
        try message.addCode("x = 1\r\n\n", language: "python")
        try message.addTags(["a", "c"])
        let document = Document.lowering(message).document
        #expect(document.tags == ["b", "a", "c"])
        #expect(document.event == "scan_completed")
        #expect(document.blocks.count == 3)
        #expect(document.blocks.first == .heading(level: 1, content: [TextRun("Scan done", origin: .title)]))
        #expect(document.blocks[1].runs.plainText == "before still the same paragraph")
        #expect(document.blocks[2] == .codeBlock(try CodeSnippet(language: "python", source: "x = 1"), origin: .part(3)))
    }

    @Test("control characters and noncharacters are replaced by U+FFFD and reported where they were")
    func controlCharacters() throws {
        var message = try NotificationMessage(title: "bell\u{7}")
        try message.addText("nul\u{0} esc\u{1B} tab\tok")
        let lowered = Document.lowering(message)
        #expect(lowered.document.blocks[1].runs.plainText == "nul\u{FFFD} esc\u{FFFD} tab\tok")
        #expect(lowered.degradations.map(\.description) == [
            #"title "bell\uFFFD": control character U+0007 replaced by U+FFFD"#.replacingOccurrences(of: "\\uFFFD", with: "\u{FFFD}"),
            "parts[0] \"nul\u{FFFD} esc\u{FFFD} tab\\tok\": control characters U+0000, U+001B replaced by U+FFFD",
        ])
        #expect(lowered.degradations.allSatisfy { $0.kind == .characterReplaced })
        var nonCharacters = try NotificationMessage()
        let noncharacters = [0xFFFE, 0xFDD0].map { String(Unicode.Scalar(UInt32($0))!) }  // not writable as literals
        try nonCharacters.addText("a" + noncharacters[0] + "b" + noncharacters[1])
        let replaced = Document.lowering(nonCharacters)
        #expect(replaced.document.blocks.first?.runs.plainText == "a\u{FFFD}b\u{FFFD}")
        #expect(replaced.degradations.map(\.message) == ["noncharacters U+FFFE, U+FDD0 replaced by U+FFFD"])
    }

    @Test("the tree dump shows every node with its style and origin")
    func treeDump() throws {
        var message = try NotificationMessage(title: "T", event: "e")
        try message.addText("x", bold: true, color: .red, link: "https://example.org")
        try message.addText("\ny")
        try message.addTags(["t"])
        try message.addTable(columns: ["k"], rows: [["v"]])
        #expect(Document.lowering(message).document.treeDump == """
            Document event: "e" tags: ["t"]
            ├─ Heading level: 1
            │  └─ Text "T" (title)
            ├─ Paragraph
            │  ├─ Text "x\\n" bold color: red link: "https://example.org" (parts[0])
            │  └─ Text "y" (parts[1])
            └─ Table (parts[3])
               ├─ Columns ["k"]
               └─ Row ["v"]

            """)
    }
}

@Suite("Fitting to capabilities")
struct FittingTests {
    static let minimal = Capabilities(
        serviceName: "Pager", styles: [.bold], colors: [.black: .serviceDefault, .red: .exact, .pink: .approximated(by: .red)],
        links: .urlAfterText, headings: .boldParagraph, tables: .alignedText, codeLanguages: false, attachments: .nameOnly,
        maximumStickers: 1, tags: .hashtagParagraph)

    @Test("every loss is reported with its kind, place and a sentence")
    func reportsEveryLoss() throws {
        var message = try NotificationMessage(title: "Title")
        try message.addText("it", italic: true)
        try message.addText(" pink", color: .pink)
        try message.addText(" black", color: .black)
        try message.addText(" blue", color: .blue)
        try message.addText(" docs", link: "https://example.org/d")
        try message.addTable(title: "P", columns: ["device", "value"], rows: [["samx", "1.5"]])
        try message.addCode("x", language: "python")
        try message.addAttachment(data: Data([1, 2, 3]), filename: "a.bin", mimeType: "application/octet-stream")
        try message.addSticker("ab:1")
        try message.addSticker("ab:2")
        try message.addTags(["t1", "t2"])
        let fitting = Document.lowering(message).document.fitted(to: Self.minimal)
        #expect(fitting.degradations.map(\.kind) == [
            .headingShownAsText, .styleNotShown, .colorApproximated, .colorNotShown, .linkShownAsText, .tableShownAsText,
            .codeLanguageNotShown, .attachmentNotDelivered, .stickerNotShown,
        ])
        #expect(fitting.degradations.map(\.path) == ["title", "parts[0]", "parts[1]", "parts[3]", "parts[4]", "parts[5]", "parts[6]", "parts[7]", "parts[9]"])
        #expect(fitting.degradations[2].description == #"parts[1] " pink": color pink shown as red on Pager"#)
        let blocks = fitting.document.blocks
        #expect(blocks[0] == .paragraph([TextRun("Title", style: TextStyle(bold: true), origin: .title)]))
        #expect(blocks[1].runs.plainText == "it pink black blue docs (https://example.org/d)")
        #expect(blocks[3] == .codeBlock(try CodeSnippet(source: "device | value\n-------+------\nsamx   | 1.5"), origin: .part(5)))
        #expect(blocks.last?.runs.plainText == "#t1 #t2")
        #expect(fitting.document.tags.isEmpty)
        #expect(blocks.contains { $0.runs.plainText.hasPrefix("📎 a.bin (application/octet-stream, 3 bytes)") })
        #expect(blocks.filter { if case .sticker = $0 { return true } else { return false } }.count == 1)
    }

    @Test("a document the service can show fully is unchanged and reports nothing")
    func nothingLost() throws {
        var message = try NotificationMessage()
        try message.addText("plain ")
        try message.addText("bold", bold: true, color: .black)
        let lowered = Document.lowering(message).document
        let fitting = lowered.fitted(to: Self.minimal)
        #expect(fitting.degradations.isEmpty)
        #expect(fitting.document.blocks.map(\.runs.plainText) == lowered.blocks.map(\.runs.plainText))
    }
}
