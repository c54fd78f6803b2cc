import Foundation
import Herald
import HeraldTeams
import HeraldTestSupport
import Testing

/// Teams' 28,000-byte limit: a longer notification goes out as several cards; images that fit no card are named
/// instead; after the last card the text is cut with a marker; what cannot be split fails.
@Suite("Teams size limit")
struct SizeLimitTests {
    static let limit = TeamsRenderer.payloadByteLimit

    /// `count` bytes that do not compress, as image data.
    static func imageData(_ count: Int, seed: UInt8) -> Data {
        var state = UInt32(seed) &+ 1
        return Data((0..<count).map { _ in
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt8(truncatingIfNeeded: state >> 24)
        })
    }

    /// A long text: `count` characters, some of them multi-byte, with line breaks.
    static func longText(_ count: Int) -> String {
        let line = "Frame acquired: 0.1 s, Δ=3 µm, ok ✓\n"
        return String(String(repeating: line, count: count / line.count + 1).prefix(count))
    }

    /// The paragraphs the card shows, as text (line breaks as "\n").
    static func shownParagraphs(_ payload: RenderedPayload) throws -> [String] {
        try TeamsPayloadReader.document(fromPayload: payload.body).blocks.compactMap { block in
            guard case .paragraph(let content) = block else { return nil }
            return content.plainText
        }
    }

    /// The cards of a rendering read back, and the document they show together, read as one with the joins the
    /// limits stage chose.
    static func readBack(_ rendering: Rendering, of message: NotificationMessage, renderer: TeamsRenderer = TeamsRenderer()) throws
        -> (cards: [Document], joined: Document)
    {
        let cards = try rendering.messages.map { try TeamsPayloadReader.document(fromPayload: $0.payload.body) }
        let fitted = renderer.prepared(Document.lowering(message)).document
        // A card carries no origins: nor does the separator read back with it.
        let joins = try fitted.limited(to: renderer.limits, serviceName: "Microsoft Teams").joins.map { join in
            guard case .withinBlock(let separator?) = join else { return join }
            return LimitedDocument.Join.withinBlock(separator: TextRun(separator.text, style: separator.style))
        }
        return (cards, LimitedDocument.joined(cards, by: joins))
    }

    @Test("a message that fits exactly is one card; one byte less of room and it is two")
    func boundary() throws {
        var message = try NotificationMessage(title: "Scan done")
        try message.addText("Frame 1 acquired.\nFrame 2 acquired.")
        let whole = try TeamsRenderer().render(message)
        let size = whole.payload.body.count
        let exact = try TeamsRenderer(byteLimit: size).render(message)
        #expect(exact.payload.body == whole.payload.body)
        #expect(exact.degradations.isEmpty && exact.messages.count == 1)
        let tight = try TeamsRenderer(byteLimit: size - 1).render(message)
        #expect(tight.degradations.map(\.kind) == [.split])
        #expect(tight.messages.count == 2)
        #expect(tight.messages.allSatisfy { $0.payload.body.count <= size - 1 })
        #expect(try Self.readBack(tight, of: message, renderer: TeamsRenderer(byteLimit: size - 1)).joined == TeamsPayloadReader.expectedDocument(for: whole.fittedDocument))
    }

    @Test("images ride in the first card; only an image that fits no card is replaced by its name, largest first")
    func images() throws {
        var message = try NotificationMessage(title: "Detector frames")
        try message.addText("Three frames of scan 56.")
        try message.addAttachment(data: Self.imageData(9_000, seed: 1), filename: "medium.png", mimeType: "image/png")
        try message.addAttachment(data: Self.imageData(14_000, seed: 2), filename: "large.png", mimeType: "image/png")
        try message.addAttachment(data: Self.imageData(1_000, seed: 3), filename: "small.png", mimeType: "image/png")
        let rendering = try TeamsRenderer().render(message)

        #expect(rendering.messages.count == 1)
        #expect(rendering.payload.body.count <= Self.limit)
        #expect(rendering.degradations.map(\.description) == [
            #"parts[2] "large.png": image not sent: with it a message exceeds the limit of 28000 UTF-8 bytes of webhook message on Microsoft Teams; its name is shown instead"#,
        ])
        let shown = try TeamsPayloadReader.document(fromPayload: rendering.payload.body)
        let images = shown.blocks.compactMap { block -> String? in
            if case .attachment(let attachment, _) = block { return attachment.filename }
            return nil
        }
        #expect(images == ["medium.png", "small.png"])
        #expect(try Self.shownParagraphs(rendering.payload).contains("📎 large.png (image/png, 13.7 KiB)"))
        #expect(shown == TeamsPayloadReader.expectedDocument(for: rendering.fittedDocument))
    }

    @Test("a long text goes out as several cards in order, each within the limit, the title first, the tags last")
    func severalCards() throws {
        let text = Self.longText(20_000)
        var message = try NotificationMessage(title: "Acquisition log")
        try message.addAttachment(data: Self.imageData(3_000, seed: 4), filename: "frame.png", mimeType: "image/png")
        try message.addText(text)
        try message.addTags(["log", "x12sa"])
        let rendering = try TeamsRenderer().render(message)

        #expect(rendering.messages.count == 3, "\(rendering.messages.map(\.payload.body.count))")
        #expect(rendering.messages.allSatisfy { $0.payload.body.count <= Self.limit })
        #expect(rendering.degradations.map(\.kind) == [.split])
        let (cards, joined) = try Self.readBack(rendering, of: message)
        #expect(cards[0].blocks.first == .heading(level: 1, content: [TextRun("Acquisition log")]))
        #expect(cards.map { $0.blocks.contains { if case .attachment = $0 { true } else { false } } } == [true, false, false])
        #expect(cards.map(\.tags) == [[], [], ["log", "x12sa"]])
        #expect(joined == TeamsPayloadReader.expectedDocument(for: rendering.fittedDocument))
        #expect(rendering.fittedDocument == TeamsRenderer().prepared(Document.lowering(message)).document)
    }

    @Test("after the tenth card the text is cut, as late as fits, and a visible marker counts what is not shown")
    func cutAfterTheLastCard() throws {
        let text = Self.longText(40_000)
        var message = try NotificationMessage(title: "Acquisition log")
        try message.addText(text)
        try message.addTags(["log", "x12sa"])
        let renderer = TeamsRenderer(maximumMessages: 1)
        let rendering = try renderer.render(message)

        #expect(rendering.messages.count == 1)
        #expect(rendering.payload.body.count <= Self.limit)
        // One more kept line would take at least one more byte; the marker's count can shrink by a digit.
        #expect(rendering.payload.body.count > Self.limit - 128)
        #expect(rendering.degradations.map(\.kind) == [.truncated])

        let paragraphs = try Self.shownParagraphs(rendering.payload)
        let marker = try #require(paragraphs.last)
        let shownText = try #require(paragraphs.first)
        #expect(text.hasPrefix(shownText))
        let notShown = text.count - shownText.count
        #expect(marker == "… (truncated: \(notShown) characters not shown)")
        #expect(rendering.degradations.last?.message == "text cut after one Microsoft Teams message of at most 28000 UTF-8 bytes of webhook message: \(notShown) characters not shown")
        #expect(try TeamsPayloadReader.document(fromPayload: rendering.payload.body).tags == ["log", "x12sa"])
        #expect(try TeamsPayloadReader.document(fromPayload: rendering.payload.body) == TeamsPayloadReader.expectedDocument(for: rendering.fittedDocument))
    }

    @Test("a long table is split between rows, every card with the header")
    func tableRows() throws {
        let rows = (0..<600).map { ["motor\($0)", "\(Double($0) / 8)"] }
        var message = try NotificationMessage()
        try message.addTable(title: "Positions", columns: ["device", "readback"], rows: rows)
        let rendering = try TeamsRenderer().render(message)
        #expect(rendering.messages.count > 1)
        #expect(rendering.messages.allSatisfy { $0.payload.body.count <= Self.limit })
        let (cards, joined) = try Self.readBack(rendering, of: message)
        let tables = cards.compactMap { card -> Table? in
            guard card.blocks.count == 1, case .table(let table, _) = card.blocks[0] else { return nil }
            return table
        }
        #expect(tables.count == cards.count)
        #expect(tables.allSatisfy { $0.columns == ["device", "readback"] })
        #expect(tables.map(\.title) == ["Positions"] + Array(repeating: nil, count: tables.count - 1))
        #expect(tables.flatMap(\.rows) == rows)
        #expect(joined == TeamsPayloadReader.expectedDocument(for: rendering.fittedDocument))
    }

    @Test("the title and the tags are never split: if they alone do not fit, rendering fails and says so")
    func cannotShrink() throws {
        var titled = try NotificationMessage(title: String(repeating: "Beam lost ", count: 3_000))
        try titled.addText("Ring current 0 mA.")
        #expect {
            try TeamsRenderer().render(titled)
        } throws: { error in
            (error as? RenderError)?.reason == "the title, the attachments' names and the tags alone exceed the limit of 28000 UTF-8 bytes of webhook message on Microsoft Teams"
        }

        var tagged = try NotificationMessage()
        try tagged.addText("Tagged.")
        try tagged.addTags((0..<3_000).map { "tag-\($0)" })
        #expect(throws: RenderError.self) { try TeamsRenderer().render(tagged) }
    }

    @Test("every card of a split or shrunk notification is a valid Teams payload", .requires(.pythonJSONSchema, .specs))
    func splitPayloadsValidate() throws {
        var withImage = try NotificationMessage(title: "Frame")
        try withImage.addAttachment(data: Self.imageData(30_000, seed: 5), filename: "frame.png", mimeType: "image/png")
        var withText = try NotificationMessage(title: "Log")
        try withText.addText(Self.longText(50_000), monospace: true)
        try withText.addCode(Self.longText(5_000))
        let payloads = try [withImage, withText].flatMap { try TeamsRenderer().render($0).messages.map(\.payload.body) }
        #expect(payloads.count > 2)
        let result = try ValidatorScript.run(payloads: payloads)
        #expect(result.status == 0, "\(result.output)")
    }
}
