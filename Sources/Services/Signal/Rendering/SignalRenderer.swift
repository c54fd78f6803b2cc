import Foundation
import HeraldCore

/// Signal's limits, in the units Signal counts.
public enum SignalLimits {
    /// The longest message body Signal shows inline, in UTF-8 bytes; signal-cli would send the rest as a long-text
    /// attachment, which clients show behind "Read more".
    public static let messageUTF8Bytes = 2000
    /// How many messages one notification may become by default: 20 of 2000 bytes is about eight pages of text; a
    /// longer notification is cut after the twentieth, and the cut reported.
    public static let maximumMessages = 20
}

/// Renders Signal messages: plain text with style ranges, attachments as `data:` URIs, an optional sticker.
///
/// ``renderFitted(_:)`` produces the parameters of signal-cli's JSON-RPC `send` (`message`, `textStyle` ranges
/// counted in UTF-16 code units, `attachments`, `sticker`); ``restPayload(for:)`` the body of
/// signal-cli-rest-api's `POST /v2/send` in `styled` text mode. Recipients are added at delivery.
///
/// Signal has no colors, headings, tables or clickable link text: fitting turns the title into a bold line, a
/// table into aligned monospace text and a link into `text (URL)`, and reports each.
///
/// A message body over ``maximumMessageBytes`` goes out as several messages (see ``limits``).
public struct SignalRenderer: ServiceRenderer {
    /// The most UTF-8 bytes of text one message carries.
    public var maximumMessageBytes: Int
    /// How many messages one notification may become.
    public var maximumMessages: Int

    /// Creates the renderer.
    public init(maximumMessageBytes: Int = SignalLimits.messageUTF8Bytes, maximumMessages: Int = SignalLimits.maximumMessages) {
        self.maximumMessageBytes = maximumMessageBytes
        self.maximumMessages = maximumMessages
    }

    /// Each message's text within ``maximumMessageBytes`` UTF-8 bytes, at most ``maximumMessages`` messages:
    /// attachments and the sticker travel with the first.
    public var limits: ServiceLimits {
        ServiceLimits(
            perMessage: [MessageLimit(subject: "message text", maximum: maximumMessageBytes, unit: .utf8Bytes) { document, _ in
                SignalText.byteCount(of: document)
            }],
            maximumMessages: maximumMessages)
    }

    /// Emphasis and one sticker; no colors, headings, tables or link text; attachments travel with the message.
    public var capabilities: Capabilities { Self.signalCapabilities }

    // Made once: a render reads the capabilities several times.
    private static let signalCapabilities = Capabilities(
        serviceName: "Signal", styles: Set(StyleFeature.allCases), colors: [.black: .serviceDefault],
        links: .urlAfterText, headings: .boldParagraph, tables: .alignedText, codeLanguages: false,
        attachments: .native, maximumStickers: 1, tags: .hashtagParagraph)

    /// signal-cli JSON-RPC `send` parameters: `{"message", "textStyle"?, "attachments"?, "sticker"?}`.
    ///
    /// A message over ``maximumMessageBytes`` (which the limits stage never hands over) is reported: signal-cli sends
    /// the rest as a long-text attachment, which clients show behind "Read more".
    ///
    /// The parameters are written straight into bytes, the message piece by piece from the document: no message
    /// string and no JSON value are built (the payload's `json` is read back from the bytes when asked).
    public func renderFitted(_ document: Document) -> RenderedPayload {
        let messageBytes = SignalText.byteCount(of: document)
        var stream = JSONStream()
        stream.reserveCapacity(messageBytes + messageBytes / 16 + 1024)
        // Keys in code-point order: attachments, message, sticker, textStyle.
        stream.beginObject()
        let attachments = document.blocks.compactMap { block -> Attachment? in
            if case .attachment(let attachment, _) = block { attachment } else { nil }
        }
        if !attachments.isEmpty {
            stream.key("attachments")
            stream.beginArray()
            for attachment in attachments { stream.string(Self.dataURI(attachment)) }
            stream.endArray()
        }
        stream.key("message")
        stream.beginString()
        var ranges = SignalText.StyleRangeBuilder()
        SignalText.forEachPiece(of: document) { text, styles in
            guard !text.isEmpty else { return }
            stream.appendToString(text)
            ranges.add(styles: styles, utf16Length: text.withUTF8Bytes(SignalText.utf16Count))
        }
        stream.endString()
        if case .sticker(let sticker, _)? = document.blocks.last(where: { if case .sticker = $0 { true } else { false } }) {
            stream.member("sticker", sticker.id)
        }
        let styleRanges = ranges.ranges
        if !styleRanges.isEmpty {
            stream.key("textStyle")
            stream.beginArray()
            for range in styleRanges { stream.string(range.description) }
            stream.endArray()
        }
        stream.endObject()
        var degradations: [Degradation] = []
        if messageBytes > maximumMessageBytes {
            degradations.append(Degradation(
                kind: .longTextAttachment, origin: .generated,
                message: "the message has \(messageBytes) UTF-8 bytes; Signal shows \(maximumMessageBytes) and sends the rest as a long-text attachment"))
        }
        return RenderedPayload(jsonBody: stream.bytes, degradations: degradations)
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
                body["message"] = .string(try SignalStyledTextWriter.write(text))
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

    /// Lowers, fits and limits `message` as for signal-cli and renders each message as signal-cli-rest-api's
    /// body, with every degradation.
    public func restRendering(of message: NotificationMessage) throws(RenderError) -> Rendering {
        try render(Document.lowering(message), encodingEach: restPayload)
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
