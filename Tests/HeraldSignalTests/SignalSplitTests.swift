import Foundation
import Herald
import HeraldTestSupport
import Testing

@Suite("Splitting long Signal messages")
struct SignalSplitTests {
    func split(_ message: NotificationMessage, limit: Int = SignalLimits.messageUTF8Bytes) throws -> (pieces: [SignalPayloadReader], payload: RenderedPayload, fitted: Document) {
        let renderer = SignalRenderer()
        let fitted = renderer.prepared(Document.lowering(message)).document
        let payload = renderer.renderFittedSplit(fitted, maximumUTF8Bytes: limit)
        guard case .array(let objects) = payload.json else { throw ReaderError("not an array: \(payload.json)") }
        return (try objects.map(SignalPayloadReader.init), payload, fitted)
    }

    @Test("a long message splits at paragraph breaks first, each piece within the limit, styles re-based")
    func paragraphs() throws {
        var message = try NotificationMessage()
        for index in 0..<12 {
            try message.addText("Paragraph \(index) ", bold: index % 2 == 0)
            try message.addText(String(repeating: "word ", count: 60) + "end.\n\n", italic: true)
        }
        let (pieces, payload, fitted) = try split(message)
        #expect(pieces.count > 1)
        #expect(payload.degradations.map(\.kind) == [.split])
        for piece in pieces {
            #expect(piece.message.utf8.count <= SignalLimits.messageUTF8Bytes)
            #expect(piece.message.hasPrefix("Paragraph "), "cut at a paragraph break: \(piece.message.prefix(30))")
            #expect(piece.message.hasSuffix("end."))
        }
        let whole = try SignalPayloadReader(SignalRenderer().renderFitted(fitted).json)
        #expect(pieces.map(\.message).joined(separator: "\n\n") == whole.message)
        #expect(Array(pieces.map(\.styleMap).joined(separator: [[], []])) == whole.styleMap)
    }

    @Test("without paragraph or line breaks it cuts at spaces, and never inside a character")
    func wordsAndClusters() throws {
        var words = try NotificationMessage()
        try words.addText(Array(repeating: "abcdefghij", count: 500).joined(separator: " "))
        let wordPieces = try split(words).pieces
        #expect(wordPieces.allSatisfy { $0.message.utf8.count <= 2000 && !$0.message.hasPrefix(" ") && !$0.message.hasSuffix(" ") })
        #expect(wordPieces.map(\.message).joined(separator: " ") == Array(repeating: "abcdefghij", count: 500).joined(separator: " "))

        var emoji = try NotificationMessage()
        try emoji.addText(String(repeating: "👨‍👩‍👧", count: 400), bold: true)  // 18 UTF-8 bytes, 8 UTF-16 units each
        let emojiPieces = try split(emoji).pieces
        #expect(emojiPieces.count > 1)
        for piece in emojiPieces {
            #expect(piece.message.utf8.count <= 2000)
            #expect(piece.message.allSatisfy { $0 == "👨‍👩‍👧" })
            #expect(piece.ranges == [SignalStyleRange(start: 0, length: piece.message.utf16.count, style: .bold)])
        }
        #expect(emojiPieces.map(\.message).joined() == String(repeating: "👨‍👩‍👧", count: 400))
    }

    @Test("attachments and the sticker travel with the first piece only; a short message is one piece")
    func attachmentsFirst() throws {
        var message = try NotificationMessage()
        try message.addText(String(repeating: "line\n", count: 600))
        try message.addAttachment(data: Data([1, 2]), filename: "a.bin", mimeType: "application/octet-stream")
        try message.addSticker("ab:1")
        guard case .array(let objects) = SignalRenderer().renderFittedSplit(SignalRenderer().prepared(Document.lowering(message)).document).json else {
            Issue.record("not an array")
            return
        }
        #expect(objects.count > 1)
        for (index, object) in objects.enumerated() {
            guard case .object(let params) = object else { continue }
            #expect((params["attachments"] != nil) == (index == 0))
            #expect((params["sticker"] != nil) == (index == 0))
        }
        var short = try NotificationMessage()
        try short.addText("short")
        let (pieces, payload, _) = try split(short)
        #expect(pieces.map(\.message) == ["short"])
        #expect(payload.degradations.isEmpty)
    }

    @Test("an unsplit long message is reported as sent with a long-text attachment")
    func longTextReported() throws {
        var message = try NotificationMessage()
        try message.addText(String(repeating: "x", count: 2001))
        #expect(try SignalRenderer().render(message).degradations.map(\.kind) == [.longTextAttachment])
        var fits = try NotificationMessage()
        try fits.addText(String(repeating: "é", count: 1000))  // exactly 2000 bytes
        #expect(try SignalRenderer().render(fits).degradations.isEmpty)
    }
}
