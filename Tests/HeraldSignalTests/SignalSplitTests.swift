import Foundation
import Herald
import HeraldTestSupport
import Testing

/// Long Signal notifications go out as several messages, each within Signal's 2000 UTF-8 bytes.
@Suite("Splitting long Signal messages")
struct SignalSplitTests {
    /// The messages of `message` read back, the same message rendered as one (over the limit), and how the messages join.
    func split(_ message: NotificationMessage, renderer: SignalRenderer = SignalRenderer()) throws
        -> (pieces: [SignalPayloadReader], rendering: Rendering, whole: SignalPayloadReader, joins: [LimitedDocument.Join])
    {
        let rendering = try renderer.render(message)
        let fitted = renderer.prepared(Document.lowering(message)).document
        let joins = try fitted.limited(to: renderer.limits, serviceName: "Signal").joins
        let pieces = try rendering.messages.map { try SignalPayloadReader($0.payload.json) }
        return (pieces, rendering, try SignalPayloadReader(renderer.renderFitted(fitted).json), joins)
    }

    /// Checks that the pieces, with what stood between them, are the whole message: the same text and, unit for
    /// unit, the same styles; that each is within `limit`; and that no cut between characters parts a cluster.
    func expectPiecesMakeTheWhole(_ pieces: [SignalPayloadReader], _ whole: SignalPayloadReader, joins: [LimitedDocument.Join], limit: Int, _ comment: Comment) {
        var text = ""
        var styleMap: [Set<SignalStyle>] = []
        for (index, piece) in pieces.enumerated() {
            #expect(piece.message.utf8.count <= limit, comment)
            if index > 0 {
                switch joins[index - 1] {
                case .betweenBlocks:
                    text += "\n\n"
                    styleMap += [[], []]
                case .withinBlock(let separator?):
                    // The separator is sent in neither piece; the whole message has it, with its styles.
                    text += separator.text
                    styleMap += whole.styleMap[styleMap.count..<min(whole.styleMap.count, styleMap.count + separator.text.utf16.count)]
                case .withinBlock(nil):
                    let boundary = String(pieces[index - 1].message.last.map { String($0) } ?? "") + String(piece.message.first.map { String($0) } ?? "")
                    #expect(boundary.count == 2, "a cut parts a grapheme cluster: \(boundary.debugDescription); \(comment)")
                }
            }
            text += piece.message
            styleMap += piece.styleMap
        }
        #expect(text == whole.message, comment)
        if styleMap != whole.styleMap {
            let index = zip(styleMap, whole.styleMap).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(styleMap.count, whole.styleMap.count)
            let units = Array(whole.message.utf16)
            let context = String(decoding: units[max(0, index - 20)..<min(units.count, index + 20)], as: UTF16.self)
            Issue.record("styles differ at UTF-16 unit \(index) of \(units.count), in \(context.debugDescription): \(index < styleMap.count ? styleMap[index] : []) instead of \(index < whole.styleMap.count ? whole.styleMap[index] : []); \(comment)")
        }
    }

    @Test("a long message splits at paragraph breaks first, each piece within the limit, styles re-based")
    func paragraphs() throws {
        var message = try NotificationMessage()
        for index in 0..<12 {
            try message.addText("Paragraph \(index) ", bold: index % 2 == 0)
            try message.addText(String(repeating: "word ", count: 60) + "end.\n\n", italic: true)
        }
        let (pieces, rendering, whole, joins) = try split(message)
        #expect(pieces.count > 1)
        #expect(rendering.degradations.map(\.kind) == [.split])
        for piece in pieces {
            #expect(piece.message.hasPrefix("Paragraph "), "cut at a paragraph break: \(piece.message.prefix(30))")
            #expect(piece.message.hasSuffix("end."))
        }
        #expect(joins.allSatisfy { $0 == .betweenBlocks })
        expectPiecesMakeTheWhole(pieces, whole, joins: joins, limit: SignalLimits.messageUTF8Bytes, "paragraphs")
    }

    @Test("without paragraph or line breaks it cuts at spaces, and never inside a character")
    func wordsAndClusters() throws {
        var words = try NotificationMessage()
        try words.addText(Array(repeating: "abcdefghij", count: 500).joined(separator: " "))
        let wordSplit = try split(words)
        #expect(wordSplit.pieces.allSatisfy { !$0.message.hasPrefix(" ") && !$0.message.hasSuffix(" ") })
        expectPiecesMakeTheWhole(wordSplit.pieces, wordSplit.whole, joins: wordSplit.joins, limit: 2000, "words")

        var emoji = try NotificationMessage()
        try emoji.addText(String(repeating: "👨‍👩‍👧", count: 400), bold: true)  // 18 UTF-8 bytes, 8 UTF-16 units each
        let emojiSplit = try split(emoji)
        #expect(emojiSplit.pieces.count > 1)
        for piece in emojiSplit.pieces {
            #expect(piece.message.allSatisfy { $0 == "👨‍👩‍👧" })
            #expect(piece.ranges == [SignalStyleRange(start: 0, length: piece.message.utf16.count, style: .bold)])
        }
        expectPiecesMakeTheWhole(emojiSplit.pieces, emojiSplit.whole, joins: emojiSplit.joins, limit: 2000, "emoji")
    }

    @Test("attachments and the sticker travel with the first piece only; a short message is one piece")
    func attachmentsFirst() throws {
        var message = try NotificationMessage()
        try message.addText(String(repeating: "line\n", count: 600))
        try message.addAttachment(data: Data([1, 2]), filename: "a.bin", mimeType: "application/octet-stream")
        try message.addSticker("ab:1")
        let rendering = try SignalRenderer().render(message)
        #expect(rendering.messages.count > 1)
        for (index, part) in rendering.messages.enumerated() {
            guard case .object(let params) = part.payload.json else { continue }
            #expect((params["attachments"] != nil) == (index == 0))
            #expect((params["sticker"] != nil) == (index == 0))
        }
        var short = try NotificationMessage()
        try short.addText("short")
        let (pieces, shortRendering, _, _) = try split(short)
        #expect(pieces.map(\.message) == ["short"])
        #expect(shortRendering.degradations.isEmpty)
        var fits = try NotificationMessage()
        try fits.addText(String(repeating: "é", count: 1000))  // exactly 2000 bytes
        #expect(try SignalRenderer().render(fits).messages.count == 1)
    }

    @Test("after the twentieth message the text is cut with a marker, and the cut reported")
    func cutAfterTheLastMessage() throws {
        var message = try NotificationMessage()
        try message.addText(String(repeating: "0123456789 ", count: 5_000))  // 55,000 bytes
        let rendering = try SignalRenderer().render(message)
        #expect(rendering.messages.count == SignalLimits.maximumMessages)
        #expect(rendering.degradations.map(\.kind) == [.split, .truncated])
        let last = try SignalPayloadReader(try #require(rendering.messages.last).payload.json)
        #expect(last.message.hasSuffix(" characters not shown)"))
        #expect(last.message.utf8.count <= SignalLimits.messageUTF8Bytes)
    }

    @Test("random long messages: the pieces make the whole, each within the limit", arguments: [UInt64(1), 2, 3, 4])
    func randomLongMessages(seed: UInt64) throws {
        var random = RandomMessages(seed: seed)
        var splitCount = 0
        for index in 0..<25 {
            let message = random.longMessage()
            for limit in [2000, 120] {
                let renderer = SignalRenderer(maximumMessageBytes: limit, maximumMessages: .max)
                let (pieces, rendering, whole, joins) = try split(message, renderer: renderer)
                if rendering.messages.count > 1 { splitCount += 1 }
                expectPiecesMakeTheWhole(pieces, whole, joins: joins, limit: limit, "seed \(seed) message \(index) limit \(limit)")
            }
        }
        #expect(splitCount >= 25, "too few random messages were split")
    }
}
