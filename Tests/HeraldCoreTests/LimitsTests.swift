import Foundation
import HeraldCore
import Testing

/// The limits stage on its own, with a service that counts the characters of its text the way a reader sees them:
/// blocks separated by a blank line, an attachment as its name, the tags as one line.
@Suite("Limits stage")
struct LimitsTests {
    /// Characters of the document laid out as plain text.
    static func characters(_ document: Document) -> Int {
        var texts: [String] = document.blocks.map { block in
            switch block {
            case .heading(_, let runs), .paragraph(let runs): runs.plainText
            case .codeBlock(let code, _): code.source
            case .table(let table, _): ([table.columns] + table.rows).map { $0.joined(separator: " | ") }.joined(separator: "\n")
            case .attachment(let attachment, _): attachment.filename
            case .sticker(let sticker, _): sticker.id
            }
        }
        if !document.tags.isEmpty { texts.append(document.tags.joined(separator: " ")) }
        return texts.joined(separator: "\n\n").count
    }

    static func limits(_ maximum: Int, messages: Int = 100) -> ServiceLimits {
        ServiceLimits(
            perMessage: [MessageLimit(subject: "text", maximum: maximum, unit: .characters) { document, _ in characters(document) }],
            maximumMessages: messages)
    }

    static func paragraph(_ text: String, _ style: TextStyle = .plain) -> Block { .paragraph([TextRun(text, style: style)]) }

    @Test("a document within the limits is one message, unchanged and unreported")
    func withinLimits() throws {
        let document = Document(tags: ["a"], blocks: [Self.paragraph("short")])
        let limited = try document.limited(to: Self.limits(100), serviceName: "Pager")
        #expect(limited.messages == [document])
        #expect(limited.joins.isEmpty && limited.degradations.isEmpty)
    }

    @Test("messages end at paragraph breaks when they can; the title opens the first, the tags close the last")
    func paragraphs() throws {
        let document = Document(
            tags: ["night"],
            blocks: [.heading(level: 1, content: [TextRun("Log")])] + (0..<6).map { Self.paragraph("Paragraph \($0) is here.") })
        let limited = try document.limited(to: Self.limits(60), serviceName: "Pager")
        #expect(limited.messages.count == 3)
        #expect(limited.joins == [.betweenBlocks, .betweenBlocks])
        #expect(limited.messages.allSatisfy { Self.characters($0) <= 60 })
        #expect(limited.messages[0].blocks.first == document.blocks[0])
        #expect(limited.messages.map(\.tags) == [[], [], ["night"]])
        #expect(limited.document == document)
        #expect(limited.degradations.map(\.kind) == [.split])
        #expect(limited.degradations[0].message == "sent as 3 Pager messages, each within 60 characters of text, cut at paragraph, line or word boundaries; attachments go with the first, tags with the last")
    }

    @Test("a paragraph too long for one message is cut at its last line break, else its last space, styles kept on both sides")
    func linesThenWords() throws {
        let bold = TextStyle(bold: true, color: .red)
        let lines = Document(blocks: [.paragraph([TextRun("first line\n", style: bold), TextRun("second line\nthird line")])])
        let byLines = try lines.limited(to: Self.limits(25), serviceName: "Pager")
        #expect(byLines.messages.map(\.blocks) == [
            [.paragraph([TextRun("first line\n", style: bold), TextRun("second line")])],
            [.paragraph([TextRun("third line")])],
        ])
        #expect(byLines.joins == [.withinBlock(separator: TextRun("\n"))])
        #expect(byLines.document == lines)

        let words = Document(blocks: [.paragraph([TextRun("alpha beta ", style: bold), TextRun("gamma delta")])])
        let byWords = try words.limited(to: Self.limits(12), serviceName: "Pager")
        #expect(byWords.messages.map(\.blocks) == [
            [.paragraph([TextRun("alpha beta", style: bold)])], [.paragraph([TextRun("gamma delta")])],
        ])
        #expect(byWords.joins == [.withinBlock(separator: TextRun(" ", style: bold))])
        #expect(byWords.document == words)
    }

    @Test("without spaces it cuts between characters, never inside a grapheme cluster")
    func clusters() throws {
        let family = "👨‍👩‍👧"  // one character of five scalars
        let document = Document(blocks: [Self.paragraph(String(repeating: family + "e\u{301}", count: 10))])
        let limited = try document.limited(to: Self.limits(3), serviceName: "Pager")
        #expect(limited.messages.count == 7)
        for message in limited.messages {
            #expect(Self.characters(message) <= 3)
            #expect(message.blocks[0].runs.plainText.allSatisfy { $0 == Character(family) || $0 == "e\u{301}" })
        }
        #expect(limited.joins.allSatisfy { $0 == .withinBlock(separator: nil) })
        #expect(limited.document == document)
    }

    @Test("a cut between two runs does not part a cluster their texts make together")
    func clusterAcrossRuns() throws {
        // "e" and a combining acute accent in a run of its own make one character on screen.
        let document = Document(blocks: [.paragraph([TextRun("abce"), TextRun("\u{301}xyz", style: TextStyle(bold: true))])])
        let limited = try document.limited(to: Self.limits(4), serviceName: "Pager")
        // "abce" and the accent count as four characters: the first message takes both runs' ends together.
        #expect(limited.messages.map { $0.blocks[0].runs.map(\.text) } == [["abce", "\u{301}"], ["xyz"]])
        #expect(limited.document == document)
        let tighter = try document.limited(to: Self.limits(3), serviceName: "Pager")
        #expect(tighter.messages.map { $0.blocks[0].runs.plainText } == ["abc", "e\u{301}xy", "z"])
        #expect(tighter.document == document)
    }

    @Test("a table is cut between rows, the header repeated; code at line breaks")
    func tablesAndCode() throws {
        let table = try Table(title: "Motors", columns: ["name", "pos"], rows: (0..<6).map { ["m\($0)", "\($0).0"] })
        let code = try CodeSnippet(language: "python", source: "print(1)\nprint(2)\nprint(3)")
        let document = Document(blocks: [.table(table, origin: .part(0)), .codeBlock(code, origin: .part(1))])
        let limited = try document.limited(to: Self.limits(30), serviceName: "Pager")
        let tables = limited.messages.compactMap { message -> Table? in
            if case .table(let table, _)? = message.blocks.first { table } else { nil }
        }
        #expect(tables.count >= 2)
        #expect(tables.allSatisfy { $0.columns == ["name", "pos"] })
        #expect(tables.map(\.title) == ["Motors"] + Array(repeating: nil, count: tables.count - 1))
        #expect(tables.flatMap(\.rows) == table.rows)
        #expect(limited.messages.allSatisfy { Self.characters($0) <= 30 })
        #expect(limited.document == document)
    }

    @Test("attachments and stickers go with the first message, where they stood or at its end")
    func attachmentsFirst() throws {
        let early = try Attachment(filename: "early.png", mimeType: "image/png", data: Data([1]))
        let late = try Attachment(filename: "late.pdf", mimeType: "application/pdf", data: Data([2]))
        let document = Document(blocks: [
            .attachment(early, origin: .part(0)), Self.paragraph(String(repeating: "word ", count: 20)),
            Self.paragraph("last words"), .attachment(late, origin: .part(3)),
        ])
        let limited = try document.limited(to: Self.limits(50), serviceName: "Pager")
        #expect(limited.messages.count > 2)
        let attachments = limited.messages.map { $0.blocks.filter { !$0.isText }.count }
        #expect(attachments == [2] + Array(repeating: 0, count: limited.messages.count - 1))
        #expect(limited.messages[0].blocks.first == document.blocks[0])
        #expect(limited.messages[0].blocks.last == document.blocks[3])
        #expect(limited.document.blocks.filter(\.isText) == document.blocks.filter(\.isText))
    }

    @Test("an image too large for any message is replaced by its name, largest first")
    func imagesDropped() throws {
        func image(_ name: String, _ size: Int) throws -> Block {
            .attachment(try Attachment(filename: name, mimeType: "image/png", data: Data(count: size)), origin: .part(0))
        }
        let byData = ServiceLimits(
            perMessage: [MessageLimit(subject: "bytes", maximum: 1_000, unit: .utf8Bytes) { document, _ in
                document.blocks.reduce(0) { total, block in
                    if case .attachment(let attachment, _) = block { return total + attachment.data.count }
                    return total + Self.characters(Document(blocks: [block]))
                }
            }],
            maximumMessages: 5)
        let document = Document(blocks: [try image("a.png", 600), try image("b.png", 700), Self.paragraph("done")])
        let limited = try document.limited(to: byData, serviceName: "Pager")
        #expect(limited.degradations.map(\.kind) == [.inlineDataDropped])
        #expect(limited.degradations[0].subject == "b.png")
        #expect(limited.messages.count == 1)
        guard case .paragraph(let notice) = limited.messages[0].blocks[1] else {
            Issue.record("no notice in place of b.png: \(limited.messages[0].blocks)")
            return
        }
        #expect(notice.plainText == "📎 b.png (image/png, 700 bytes)")
    }

    @Test("after the last message a service takes, the text is cut with a marker counting what is not shown")
    func truncation() throws {
        let words = (0..<40).map { "w\($0)" }.joined(separator: " ")
        let document = Document(tags: ["t"], blocks: [Self.paragraph(words)])
        let limited = try document.limited(to: Self.limits(60, messages: 2), serviceName: "Pager")
        #expect(limited.messages.count == 2)
        #expect(limited.messages.allSatisfy { Self.characters($0) <= 60 })
        #expect(limited.messages[1].tags == ["t"])
        let shown = limited.messages[0].blocks[0].runs.plainText + " " + limited.messages[1].blocks[0].runs.plainText
        #expect(words.hasPrefix(shown))
        let notShown = words.count - shown.count
        guard case .paragraph(let marker)? = limited.messages[1].blocks.last else {
            Issue.record("no marker: \(limited.messages[1].blocks)")
            return
        }
        #expect(marker == [TextRun("… (truncated: \(notShown) characters not shown)", style: TextStyle(italic: true))])
        #expect(limited.degradations.map(\.kind) == [.split, .truncated])
        #expect(limited.degradations[1].message == "text cut after 2 Pager messages of at most 60 characters of text: \(notShown) characters not shown")

        let oneMessage = try document.limited(to: Self.limits(60, messages: 1), serviceName: "Pager")
        #expect(oneMessage.messages.count == 1)
        #expect(oneMessage.degradations.map(\.kind) == [.truncated])
    }

    @Test("what cannot be split fails with a reason naming the limit")
    func failures() throws {
        let title = Document(blocks: [.heading(level: 1, content: [TextRun(String(repeating: "T", count: 80))]), Self.paragraph("x")])
        #expect {
            try title.limited(to: Self.limits(50), serviceName: "Pager")
        } throws: { error in
            (error as? RenderError)?.reason == "the title, the attachments' names and the tags alone exceed the limit of 50 characters of text on Pager"
        }
        let tags = Document(tags: (0..<30).map { "tag\($0)" }, blocks: [Self.paragraph("x")])
        #expect(throws: RenderError.self) { try tags.limited(to: Self.limits(50), serviceName: "Pager") }
    }

    @Test("random long documents: every message within the limit, and the messages joined are the document", arguments: [UInt64(1), 2, 3])
    func randomDocuments(seed: UInt64) throws {
        var state = seed
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let words = ["alpha", "β", "e\u{301}", "👨‍👩‍👧", "日本", "x", "line\nbreak", "a b", "🇨🇭"]
        let styles = [TextStyle.plain, TextStyle(bold: true), TextStyle(italic: true, color: .blue)]
        for index in 0..<40 {
            var blocks: [Block] = []
            for _ in 0..<(1 + next(12)) {
                var runs: [TextRun] = []
                for _ in 0..<(1 + next(8)) {
                    let text = (0..<(1 + next(20))).map { _ in words[next(words.count)] }.joined(separator: next(3) == 0 ? "" : " ")
                    runs.append(TextRun(text, style: styles[next(styles.count)]))
                }
                blocks.append(.paragraph(runs.normalized()))
            }
            let document = Document(blocks: blocks)
            let maximum = 8 + next(80)
            let limited = try document.limited(to: Self.limits(maximum, messages: 10_000), serviceName: "Pager")
            #expect(limited.messages.allSatisfy { Self.characters($0) <= maximum }, "seed \(seed) document \(index)")
            #expect(limited.document == document, "seed \(seed) document \(index)")
        }
    }
}

extension Block {
    /// Whether the block is text (not an attachment or a sticker).
    fileprivate var isText: Bool {
        switch self {
        case .heading, .paragraph, .codeBlock, .table: true
        case .attachment, .sticker: false
        }
    }
}
