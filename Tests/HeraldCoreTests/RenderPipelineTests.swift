import HeraldCore
import Testing

/// ``ServiceRenderer/render(_:)-(NotificationMessage)``: lowering, fitting, limiting and rendering put together.
@Suite("Render pipeline")
struct RenderPipelineTests {
    /// A pager that shows 20 characters of plain text per message, at most three messages.
    struct Pager: ServiceRenderer {
        var capabilities: Capabilities {
            Capabilities(
                serviceName: "Pager", styles: Set(StyleFeature.allCases), colors: [:], links: .urlAfterText, headings: .boldParagraph,
                tables: .alignedText, codeLanguages: false, attachments: .nameOnly, maximumStickers: 0, tags: .metadata)
        }

        var limits: ServiceLimits {
            ServiceLimits(
                perMessage: [MessageLimit(subject: "text", maximum: 20, unit: .characters) { document, _ in Self.text(document).count }],
                maximumMessages: 3)
        }

        static func text(_ document: Document) -> String { document.blocks.map(\.runs.plainText).joined(separator: "\n\n") }

        func renderFitted(_ document: Document) -> RenderedPayload { RenderedPayload(text: Self.text(document)) }
    }

    @Test("each message is rendered on its own; the rendering shows them joined and reports every step in order")
    func messages() throws {
        var message = try NotificationMessage(title: "Beam lost")
        try message.addText("Ring current 0 mA.\n\nInjector off.", color: .red)
        let rendering = try Pager().render(message)
        #expect(rendering.messages.map { String(decoding: $0.payload.body, as: UTF8.self) } == ["Beam lost", "Ring current 0 mA.", "Injector off."])
        #expect(rendering.degradations.map(\.kind) == [.headingShownAsText, .colorNotShown, .colorNotShown, .split])
        #expect(rendering.payload.json == ["Beam lost", "Ring current 0 mA.", "Injector off."])
        #expect(rendering.payload.body == Array(#"["Beam lost","Ring current 0 mA.","Injector off."]"#.utf8))
        let limited = try Pager().prepared(Document.lowering(message)).document.limited(to: Pager().limits, serviceName: "Pager")
        #expect(rendering.fittedDocument == limited.document)
        #expect(rendering.messages.map(\.document) == limited.messages)
    }

    @Test("one message: the payload is that message's, the shown document the fitted one")
    func oneMessage() throws {
        let message = try NotificationMessage(title: "Beam lost")
        let rendering = try Pager().render(message)
        #expect(rendering.messages.count == 1)
        #expect(rendering.payload == rendering.messages[0].payload)
        #expect(rendering.payload.json == "Beam lost")
        #expect(rendering.fittedDocument == Pager().prepared(Document.lowering(message)).document)
    }
}
