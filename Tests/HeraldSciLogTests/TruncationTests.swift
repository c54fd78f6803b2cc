import Foundation
import HeraldCore
import HeraldSciLog
import HeraldTestSupport
import HeraldValidation
import Testing

/// Entries over ``SciLogRenderer/maximumTextBytes`` are cut by the limits stage (a logbook entry is one message):
/// at a line break, space or character, or between table rows, ending with a visible marker; they stay valid, keep
/// every attachment, and report the cut.
@Suite("SciLog text limit")
struct TruncationTests {
    /// A title, twelve paragraphs of family emoji (one character of 18 UTF-8 bytes each, among ASCII text), an
    /// image in the middle and a table and an image at the end.
    private func longMessage() throws -> NotificationMessage {
        var message = try NotificationMessage(title: "Night shift log")
        let image = try Attachment(filename: "plot.png", mimeType: "image/png", data: Data([1, 2, 3]), width: 640)
        for index in 0..<12 {
            try message.addText("Entry \(index): 👨‍👩‍👧 <ok> & 👨‍👩‍👧 done.\n\n", bold: index % 3 == 0, color: index % 2 == 0 ? .red : nil)
            if index == 1 { message.addAttachment(image) }
        }
        try message.addTable(title: "Positions", columns: ["device", "readback"], rows: (0..<30).map { ["mot\($0)", "\($0).5"] })
        message.addAttachment(try Attachment(filename: "late.png", mimeType: "image/png", data: Data([9])))
        return message
    }

    private func fullSize(of message: NotificationMessage) throws -> Int {
        try SciLogPayload(SciLogRenderer().render(message).payload).textcontent.utf8.count
    }

    @Test(arguments: [450, 700, 1000, 1500, 2000, 2500])
    func cutEntryStaysWithinTheLimitAndValid(limit: Int) throws {
        let message = try longMessage()
        let rendering = try SciLogRenderer(maximumTextBytes: limit).render(message)
        let payload = try SciLogPayload(rendering.payload)
        #expect(payload.textcontent.utf8.count <= limit)
        #expect(HTMLValidator().validate(payload.textcontent) == [])

        let truncations = rendering.degradations.filter { $0.kind == .truncated }
        try #require(truncations.count == 1)
        #expect(truncations[0].message.hasPrefix("text cut after one SciLog message of at most \(limit) UTF-8 bytes of entry HTML: "))

        // The entry shows exactly the rendering's document: what is kept, every attachment, then the marker.
        let read = SciLogHTMLReader.read(payload.textcontent)
        #expect(read == SciLogHTMLReader.expectedBlocks(for: rendering.fittedDocument, fileHashes: payload.fileHashes))
        let marker = try #require(read.last)
        guard case .paragraph(let spans) = marker, spans.count == 1, spans[0].italic, spans[0].text.hasPrefix("… (truncated: ") else {
            Issue.record("the entry does not end with the marker: \(marker)")
            return
        }
        // What is kept of the text is the start of the full entry: whole blocks, then at most one block cut short.
        let whole = try SciLogRenderer(maximumTextBytes: .max).render(message)
        let wholePayload = try SciLogPayload(whole.payload)
        let expected = SciLogHTMLReader.expectedBlocks(for: whole.fittedDocument, fileHashes: wholePayload.fileHashes).filter(\.isText)
        let kept = read.dropLast().filter(\.isText)
        for (index, block) in kept.enumerated() {
            if index < kept.count - 1 {
                #expect(block == expected[index])
            } else {
                #expect(isBeginning(block, of: expected[index]), "\(block) is not the beginning of \(expected[index])")
            }
        }
        // Every attachment is still delivered.
        #expect(Set(payload.fileHashes) == Set(wholePayload.fileHashes))
    }

    /// Whether `part` is `whole`, or `whole` cut between characters or table rows.
    private func isBeginning(_ part: EntryBlock, of whole: EntryBlock) -> Bool {
        switch (part, whole) {
        case (.paragraph(let partSpans), .paragraph(let wholeSpans)), (.heading(_, let partSpans), .heading(_, let wholeSpans)):
            guard let last = partSpans.last, partSpans.count <= wholeSpans.count else { return false }
            let candidate = wholeSpans[partSpans.count - 1]
            var lastWithWholeText = last
            lastWithWholeText.text = candidate.text
            // `hasPrefix` compares characters, so a character split in two would not match.
            return Array(partSpans.dropLast()) == Array(wholeSpans.prefix(partSpans.count - 1))
                && lastWithWholeText == candidate && candidate.text.hasPrefix(last.text)
        case (.table(let partHeader, let partRows), .table(let wholeHeader, let wholeRows)):
            return partHeader == wholeHeader && Array(wholeRows.prefix(partRows.count)) == partRows
        default:
            return part == whole
        }
    }

    @Test func anEntryExactlyAtTheLimitIsNotCut() throws {
        let message = try longMessage()
        let size = try fullSize(of: message)
        let atLimit = try SciLogRenderer(maximumTextBytes: size).render(message)
        #expect(!atLimit.degradations.contains { $0.kind == .truncated })
        #expect(try SciLogPayload(atLimit.payload).files.count == 2)
        let overLimit = try SciLogRenderer(maximumTextBytes: size - 1).render(message)
        #expect(overLimit.degradations.contains { $0.kind == .truncated })
    }

    @Test func aTableIsCutBetweenRows() throws {
        var message = try NotificationMessage()
        try message.addTable(columns: ["device", "readback"], rows: (0..<40).map { ["motor\($0)", "\($0)"] })
        let limit = try fullSize(of: message) / 2
        let payload = try SciLogPayload(SciLogRenderer(maximumTextBytes: limit).render(message).payload)
        let read = SciLogHTMLReader.read(payload.textcontent)
        guard case .table(let header, let rows)? = read.first else {
            Issue.record("no table: \(read)")
            return
        }
        #expect(header == ["device", "readback"])
        #expect((1..<40).contains(rows.count))
        #expect(rows == (0..<rows.count).map { ["motor\($0)", "\($0)"] })
    }

    @Test func attachmentsAfterTheCutAreKept() throws {
        let message = try longMessage()
        let rendering = try SciLogRenderer(maximumTextBytes: 700).render(message)
        let truncation = try #require(rendering.degradations.first { $0.kind == .truncated })
        #expect(!truncation.message.contains("attachment"))
        #expect(try SciLogPayload(rendering.payload).files.count == 2)
    }

    @Test func aLimitTooSmallForTheMarkerIsAnError() throws {
        let message = try longMessage()
        #expect(throws: RenderError.self) { try SciLogRenderer(maximumTextBytes: 40).render(message) }
        // A short entry needs no marker, so the same limit is fine.
        var short = try NotificationMessage()
        try short.addText("ok")
        #expect(try SciLogPayload(SciLogRenderer(maximumTextBytes: 40).render(short).payload).textcontent == "<p>ok</p>")
    }
}

extension EntryBlock {
    /// Whether the block is text (not an image or a file link).
    fileprivate var isText: Bool {
        switch self {
        case .image, .fileLink: false
        default: true
        }
    }
}
