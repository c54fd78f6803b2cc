import Foundation
import Herald
import HeraldTeams
import HeraldTestSupport
import Testing

/// Teams' 28,000-byte limit: images go first, then text is cut with a marker, and what cannot shrink fails.
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

    @Test("a message that fits exactly is sent whole; one byte less of room and it is cut")
    func boundary() throws {
        var message = try NotificationMessage(title: "Scan done")
        try message.addText("Frame 1 acquired.\nFrame 2 acquired.")
        let whole = try TeamsRenderer().render(message)
        let size = whole.payload.body.count
        let exact = try TeamsRenderer(byteLimit: size).render(message)
        #expect(exact.payload.body == whole.payload.body)
        #expect(exact.degradations.isEmpty && exact.payload.shownDocument == nil)
        let tight = try TeamsRenderer(byteLimit: size - 1).render(message)
        #expect(tight.degradations.map(\.kind) == [.truncated])
        #expect(tight.payload.body.count <= size - 1)
    }

    @Test("over the limit, inline images are dropped first, largest first, until the card fits")
    func imagesFirst() throws {
        var message = try NotificationMessage(title: "Detector frames")
        try message.addText("Three frames of scan 56.")
        try message.addAttachment(data: Self.imageData(9_000, seed: 1), filename: "medium.png", mimeType: "image/png")
        try message.addAttachment(data: Self.imageData(14_000, seed: 2), filename: "large.png", mimeType: "image/png")
        try message.addAttachment(data: Self.imageData(1_000, seed: 3), filename: "small.png", mimeType: "image/png")
        let rendering = try TeamsRenderer().render(message)

        #expect(rendering.payload.body.count <= Self.limit)
        #expect(rendering.degradations.map(\.description) == [
            #"parts[2] "large.png": image not sent: with it the card exceeds Microsoft Teams' limit of 28000 bytes; its name is shown instead"#,
        ])
        #expect(rendering.degradations.map(\.kind) == [.inlineDataDropped])
        let shown = try TeamsPayloadReader.document(fromPayload: rendering.payload.body)
        let images = shown.blocks.compactMap { block -> String? in
            if case .attachment(let attachment, _) = block { return attachment.filename }
            return nil
        }
        #expect(images == ["medium.png", "small.png"])
        #expect(try Self.shownParagraphs(rendering.payload).contains("📎 large.png (image/png, 13.7 KiB)"))
        #expect(shown == TeamsPayloadReader.expectedDocument(for: rendering.fittedDocument))
    }

    @Test("then the text is cut, as late as fits, and a visible marker counts what is not shown")
    func thenText() throws {
        let text = Self.longText(40_000)
        var message = try NotificationMessage(title: "Acquisition log")
        try message.addAttachment(data: Self.imageData(3_000, seed: 4), filename: "frame.png", mimeType: "image/png")
        try message.addText(text)
        try message.addTags(["log", "x12sa"])
        let rendering = try TeamsRenderer().render(message)

        #expect(rendering.payload.body.count <= Self.limit)
        // One more kept character would take at least one more byte; the marker's count can shrink by a digit.
        #expect(rendering.payload.body.count > Self.limit - 64)
        #expect(rendering.degradations.map(\.kind) == [.inlineDataDropped, .truncated])

        let paragraphs = try Self.shownParagraphs(rendering.payload)
        let marker = try #require(paragraphs.last)
        let shownText = paragraphs.dropFirst().dropLast().joined(separator: "\n")  // after the image's line
        #expect(text.hasPrefix(shownText))
        let notShown = text.count - shownText.count
        #expect(marker == "… (truncated: \(notShown) characters not shown)")
        #expect(rendering.degradations.last?.message == "text cut to fit Microsoft Teams' limit of 28000 bytes: \(notShown) characters not shown")
        #expect(try TeamsPayloadReader.document(fromPayload: rendering.payload.body).tags == ["log", "x12sa"])
        #expect(try TeamsPayloadReader.document(fromPayload: rendering.payload.body) == TeamsPayloadReader.expectedDocument(for: rendering.fittedDocument))
    }

    @Test("a long table keeps its header and whole rows")
    func tableRows() throws {
        let rows = (0..<2_000).map { ["motor\($0)", "\(Double($0) / 8)"] }
        var message = try NotificationMessage()
        try message.addTable(title: "Positions", columns: ["device", "readback"], rows: rows)
        let rendering = try TeamsRenderer().render(message)
        #expect(rendering.payload.body.count <= Self.limit)
        let shown = try TeamsPayloadReader.document(fromPayload: rendering.payload.body)
        guard case .table(let table, _)? = shown.blocks.first, case .paragraph(let marker)? = shown.blocks.last else {
            Issue.record("expected a table and the marker, got \(shown.blocks)")
            return
        }
        #expect(table.title == "Positions" && table.columns == ["device", "readback"])
        #expect(!table.rows.isEmpty && Array(rows.prefix(table.rows.count)) == table.rows)
        let notShown = rows.dropFirst(table.rows.count).joined().joined().count
        #expect(marker.plainText == "… (truncated: \(notShown) characters not shown)")
    }

    @Test("the title and the tags are never cut: if they alone do not fit, rendering fails with the size")
    func cannotShrink() throws {
        var titled = try NotificationMessage(title: String(repeating: "Beam lost ", count: 3_000))
        try titled.addText("Ring current 0 mA.")
        #expect {
            try TeamsRenderer().render(titled)
        } throws: { error in
            let reason = (error as? RenderError)?.reason ?? ""
            return reason.hasPrefix("the card needs 30") && reason.hasSuffix("Microsoft Teams accepts at most 28000")
        }

        var tagged = try NotificationMessage()
        try tagged.addText("Tagged.")
        try tagged.addTags((0..<3_000).map { "tag-\($0)" })
        #expect(throws: RenderError.self) { try TeamsRenderer().render(tagged) }
    }

    @Test("every shrunk card is still a valid Teams payload", .requires(.pythonJSONSchema, .specs))
    func shrunkPayloadsValidate() throws {
        var withImage = try NotificationMessage(title: "Frame")
        try withImage.addAttachment(data: Self.imageData(30_000, seed: 5), filename: "frame.png", mimeType: "image/png")
        var withText = try NotificationMessage(title: "Log")
        try withText.addText(Self.longText(50_000), monospace: true)
        try withText.addCode(Self.longText(5_000))
        let payloads = try [withImage, withText].map { try TeamsRenderer().render($0).payload.body }
        let result = try ValidatorScript.run(payloads: payloads)
        #expect(result.status == 0, "\(result.output)")
    }
}
