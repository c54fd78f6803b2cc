import HeraldCore
import Testing

/// ``ServiceRenderer/render(_:)-(NotificationMessage)``: lowering, fitting and rendering put together.
@Suite("Render pipeline")
struct RenderPipelineTests {
    /// Shows only the first block and reports the rest as cut, the way a size limit would.
    struct FirstBlockOnly: ServiceRenderer {
        var capabilities: Capabilities {
            Capabilities(
                serviceName: "Pager", styles: Set(StyleFeature.allCases), colors: [:], links: .urlAfterText, headings: .boldParagraph,
                tables: .alignedText, codeLanguages: false, attachments: .nameOnly, maximumStickers: 0, tags: .metadata)
        }

        func renderFitted(_ document: Document) -> RenderedPayload {
            guard document.blocks.count > 1 else { return RenderedPayload(text: document.blocks.first?.runs.plainText ?? "") }
            let shown = Document(event: document.event, tags: document.tags, blocks: [document.blocks[0]])
            let cut = Degradation(kind: .truncated, origin: .generated, message: "cut after the first block")
            var payload = RenderedPayload(text: shown.blocks[0].runs.plainText, degradations: [cut])
            payload.shownDocument = shown
            return payload
        }
    }

    @Test("the rendering shows the renderer's changed document when it has one, the fitted one otherwise")
    func shownDocument() throws {
        var message = try NotificationMessage(title: "Beam lost")
        try message.addText("Ring current 0 mA.")
        let cut = try FirstBlockOnly().render(message)
        #expect(cut.fittedDocument.blocks == [.paragraph([TextRun("Beam lost", style: TextStyle(bold: true), origin: .title)])])
        #expect(cut.degradations.map(\.kind) == [.headingShownAsText, .truncated])

        let short = try FirstBlockOnly().render(try NotificationMessage(title: "Beam lost"))
        #expect(short.payload.shownDocument == nil)
        #expect(short.fittedDocument == cut.fittedDocument)
        #expect(short.degradations.map(\.kind) == [.headingShownAsText])
    }
}
