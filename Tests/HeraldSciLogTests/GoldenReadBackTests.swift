import Foundation
import Herald
import HeraldTestSupport
import HeraldValidation
import Testing

/// Every golden case, rendered for SciLog, is clean HTML for SciLog's allow-list and reads back (through libxml2's
/// HTML parser) as exactly the fitted document: the same blocks, text and styles, with every attachment referring
/// to its `files` entry.
@Suite("SciLog entries of the golden corpus")
struct GoldenReadBackTests {
    @Test("textcontent passes the libxml2 checks", arguments: GoldenCase.all)
    func validates(_ golden: GoldenCase) throws {
        let payload = try SciLogPayload(try SciLogRenderer().render(golden.message()).payload)
        #expect(HTMLValidator().validate(payload.textcontent) == [])
    }

    @Test("textcontent reads back as the fitted document", arguments: GoldenCase.all)
    func readsBack(_ golden: GoldenCase) throws {
        let rendering = try SciLogRenderer().render(golden.message())
        let payload = try SciLogPayload(rendering.payload)
        let expected = SciLogHTMLReader.expectedBlocks(for: rendering.fittedDocument, fileHashes: payload.fileHashes)
        #expect(SciLogHTMLReader.read(payload.textcontent) == expected)
    }

    @Test("files and tags match the message's attachments and tags", arguments: GoldenCase.all)
    func filesAndTags(_ golden: GoldenCase) throws {
        let message = try golden.message()
        let rendering = try SciLogRenderer().render(message)
        let payload = try SciLogPayload(rendering.payload)
        let attachments = rendering.fittedDocument.blocks.compactMap { block -> Attachment? in
            if case .attachment(let attachment, _) = block { return attachment }
            return nil
        }
        #expect(payload.tags == Document.lowering(message).document.tags)
        try #require(payload.files.count == attachments.count)
        for (file, attachment) in zip(payload.files, attachments) {
            #expect(file["fileExtension"] == .string(attachment.mimeType))
            if attachment.isInlineImage {
                let width: JSONValue = attachment.width.map { .string("\($0)px") } ?? (attachment.height == nil ? "82.25%" : "")
                let height: JSONValue = attachment.height.map { .string("\($0)px") } ?? ""
                #expect(file["style"] == ["width": width, "height": height])
            } else {
                #expect(file["style"] == nil)
            }
        }
        #expect(Set(payload.fileHashes).count == payload.fileHashes.count, "file hashes are unique")
    }
}
