import Foundation
import HeraldCore

/// Renders Signal messages: plain text with style ranges, attachments as `data:` URIs, an optional sticker.
///
/// ``renderFitted(_:)`` produces the parameters of signal-cli's JSON-RPC `send` (`message`, `textStyle` ranges
/// counted in UTF-16 code units, `attachments`, `sticker`); ``restPayload(for:)`` the body of
/// signal-cli-rest-api's `POST /v2/send` in `styled` text mode. Recipients are added at delivery.
///
/// Signal has no colors, headings, tables or clickable link text: fitting turns the title into a bold line, a
/// table into aligned monospace text and a link into `text (URL)`, and reports each.
public struct SignalRenderer: ServiceRenderer {
    /// Creates the renderer.
    public init() {}

    /// Emphasis and one sticker; no colors, headings, tables or link text; attachments travel with the message.
    public var capabilities: Capabilities {
        Capabilities(
            serviceName: "Signal", styles: Set(StyleFeature.allCases), colors: [.black: .serviceDefault],
            links: .urlAfterText, headings: .boldParagraph, tables: .alignedText, codeLanguages: false,
            attachments: .native, maximumStickers: 1, tags: .hashtagParagraph)
    }

    /// signal-cli JSON-RPC `send` parameters: `{"message", "textStyle"?, "attachments"?, "sticker"?}`.
    public func renderFitted(_ document: Document) -> RenderedPayload {
        let text = SignalText(document)
        var params: [String: JSONValue] = ["message": .string(text.message)]
        let ranges = text.styleRanges
        if !ranges.isEmpty { params["textStyle"] = .array(ranges.map { .string($0.description) }) }
        addAttachmentsAndSticker(of: document, to: &params, attachmentsKey: "attachments")
        return RenderedPayload(json: .object(params))
    }

    /// The signal-cli-rest-api `POST /v2/send` body (`message`, `text_mode`, `base64_attachments`, `sticker`)
    /// for a fitted document.
    ///
    /// Styled text is used when the message has styles and the markup can express them exactly; otherwise the
    /// message goes out in `normal` mode, unstyled, and a styled message reports ``Degradation/Kind/stylesNotExpressible``.
    public func restPayload(for document: Document) -> RenderedPayload {
        let text = SignalText(document)
        var body: [String: JSONValue] = ["message": .string(text.message), "text_mode": "normal"]
        var degradations: [Degradation] = []
        if text.segments.contains(where: { !$0.styles.isEmpty }) {
            do throws(SignalStyledTextWriter.Inexpressible) {
                body["message"] = .string(try SignalStyledTextWriter.write(text.segments))
                body["text_mode"] = "styled"
            } catch {
                degradations.append(Degradation(
                    kind: .stylesNotExpressible, origin: .generated,
                    message: "styles not shown through signal-cli-rest-api: \(error.reason); sent as plain text"))
            }
        }
        addAttachmentsAndSticker(of: document, to: &body, attachmentsKey: "base64_attachments")
        return RenderedPayload(json: .object(body), degradations: degradations)
    }

    /// Fits `message` and renders the signal-cli-rest-api body, with every degradation.
    public func restRendering(of message: NotificationMessage) -> Rendering {
        let lowered = Document.lowering(message)
        let fitting = prepared(lowered)
        let payload = restPayload(for: fitting.document)
        return Rendering(
            fittedDocument: fitting.document, payload: payload,
            degradations: lowered.degradations + fitting.degradations + payload.degradations)
    }

    private func addAttachmentsAndSticker(of document: Document, to object: inout [String: JSONValue], attachmentsKey: String) {
        var attachments: [JSONValue] = []
        for block in document.blocks {
            switch block {
            case .attachment(let attachment, _): attachments.append(.string(Self.dataURI(attachment)))
            case .sticker(let sticker, _): object["sticker"] = .string(sticker.id)
            case .heading, .paragraph, .table, .codeBlock: continue
            }
        }
        if !attachments.isEmpty { object[attachmentsKey] = .array(attachments) }
    }

    /// `data:<mime>;filename=<name>;base64,<data>`, the form signal-cli and signal-cli-rest-api accept. The
    /// separators `;` and `,` cannot stand in the name, so they are percent-encoded, as is `%`.
    static func dataURI(_ attachment: Attachment) -> String {
        var name = ""
        for scalar in attachment.filename.unicodeScalars {
            switch scalar {
            case "%": name += "%25"
            case ";": name += "%3B"
            case ",": name += "%2C"
            default: name.unicodeScalars.append(scalar)
            }
        }
        return "data:\(attachment.mimeType);filename=\(name);base64,\(attachment.data.base64EncodedString())"
    }
}
