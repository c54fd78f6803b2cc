import Foundation
import HeraldCore
import Testing

/// How fitting treats attachments under each ``Capabilities/AttachmentRendering``.
@Suite("Fitting attachments")
struct AttachmentFittingTests {
    static func capabilities(_ attachments: Capabilities.AttachmentRendering) -> Capabilities {
        Capabilities(
            serviceName: "Chat", styles: Set(StyleFeature.allCases), colors: [:], links: .native, headings: .native,
            tables: .native, codeLanguages: true, attachments: attachments, maximumStickers: 0, tags: .metadata)
    }

    static let png = try! Attachment(filename: "plot.png", mimeType: "image/png", data: Data([0x89, 0x50, 0x4E, 0x47]))
    static let webp = try! Attachment(filename: "photo.webp", mimeType: "image/webp", data: Data(repeating: 1, count: 2048))
    static let pdf = try! Attachment(filename: "scan.pdf", mimeType: "application/pdf", data: Data("%PDF".utf8))

    static let document = Document(blocks: [
        .attachment(png, origin: .part(0)), .attachment(webp, origin: .part(1)), .attachment(pdf, origin: .part(2)),
    ])

    @Test("inline images only: PNG, JPEG and GIF travel, any other file is named in an italic line and reported")
    func inlineImagesOnly() {
        let result = Self.document.fitted(to: Self.capabilities(.inlineImagesOnly))
        #expect(result.document.blocks == [
            .attachment(Self.png, origin: .part(0)),
            .paragraph([TextRun("📎 photo.webp (image/webp, 2.0 KiB)", style: TextStyle(italic: true), origin: .part(1))]),
            .paragraph([TextRun("📎 scan.pdf (application/pdf, 4 bytes)", style: TextStyle(italic: true), origin: .part(2))]),
        ])
        #expect(result.degradations.map(\.description) == [
            #"parts[1] "photo.webp": attachment not delivered with Chat; its name is shown instead"#,
            #"parts[2] "scan.pdf": attachment not delivered with Chat; its name is shown instead"#,
        ])
        #expect(result.degradations.allSatisfy { $0.kind == .attachmentNotDelivered })
    }

    @Test("name only: every file, images included, is replaced by the same line")
    func nameOnly() {
        let result = Self.document.fitted(to: Self.capabilities(.nameOnly))
        #expect(result.document.blocks == [
            .attachmentNotice(for: Self.png, origin: .part(0)), .attachmentNotice(for: Self.webp, origin: .part(1)),
            .attachmentNotice(for: Self.pdf, origin: .part(2)),
        ])
        #expect(result.degradations.map(\.origin) == [.part(0), .part(1), .part(2)])
    }

    @Test("native: every file travels and nothing is reported")
    func native() {
        let result = Self.document.fitted(to: Self.capabilities(.native))
        #expect(result.document.blocks == Self.document.blocks)
        #expect(result.degradations.isEmpty)
    }
}
