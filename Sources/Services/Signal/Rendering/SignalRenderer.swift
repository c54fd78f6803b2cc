import Foundation
import HeraldCore

/// Signal's limits, in the units Signal counts.
public enum SignalLimits {
    /// The longest message body Signal shows inline, in UTF-8 bytes; signal-cli sends the rest as a long-text
    /// attachment.
    public static let messageUTF8Bytes = 2000
}

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
    public var capabilities: Capabilities { Self.signalCapabilities }

    // Made once: a render reads the capabilities several times.
    private static let signalCapabilities = Capabilities(
        serviceName: "Signal", styles: Set(StyleFeature.allCases), colors: [.black: .serviceDefault],
        links: .urlAfterText, headings: .boldParagraph, tables: .alignedText, codeLanguages: false,
        attachments: .native, maximumStickers: 1, tags: .hashtagParagraph)

    /// signal-cli JSON-RPC `send` parameters: `{"message", "textStyle"?, "attachments"?, "sticker"?}`.
    ///
    /// A message over ``SignalLimits/messageUTF8Bytes`` is reported: signal-cli sends the rest as a long-text
    /// attachment, which clients show behind "Read more". ``renderFittedSplit(_:maximumUTF8Bytes:)`` avoids it.
    ///
    /// The parameters are written straight into bytes, the message piece by piece from the document: no message
    /// string and no JSON value are built (the payload's `json` is read back from the bytes when asked).
    public func renderFitted(_ document: Document) -> RenderedPayload {
        let messageBytes = SignalText.byteCount(of: document)
        var stream = JSONStream()
        stream.reserveCapacity(messageBytes + messageBytes / 16 + 1024)
        Self.writeSendParameters(of: document, withAttachments: true, into: &stream) { stream in
            var ranges = SignalText.StyleRangeBuilder()
            SignalText.forEachPiece(of: document) { text, styles in
                guard !text.isEmpty else { return }
                stream.appendToString(text)
                ranges.add(styles: styles, utf16Length: text.withUTF8Bytes(SignalText.utf16Count))
            }
            return ranges.ranges
        }
        var degradations: [Degradation] = []
        if messageBytes > SignalLimits.messageUTF8Bytes {
            degradations.append(Degradation(
                kind: .longTextAttachment, origin: .generated,
                message: "the message has \(messageBytes) UTF-8 bytes; Signal shows \(SignalLimits.messageUTF8Bytes) and sends the rest as a long-text attachment (split it to send several messages)"))
        }
        return RenderedPayload(jsonBody: stream.bytes, degradations: degradations)
    }

    /// The fitted document as several signal-cli `send` parameter objects, each message at most
    /// `maximumUTF8Bytes` long, cut at paragraph, line or word boundaries (never inside a character), with
    /// style ranges re-based to each piece; attachments and the sticker go with the first. One piece when the
    /// message fits; otherwise a ``Degradation/Kind/split`` is reported.
    ///
    /// The array is written straight into bytes, each object as ``renderFitted(_:)`` writes its one.
    public func renderFittedSplit(_ document: Document, maximumUTF8Bytes: Int = SignalLimits.messageUTF8Bytes) -> RenderedPayload {
        let chunks = SignalText(document).chunked(maximumUTF8Bytes: maximumUTF8Bytes)
        var stream = JSONStream()
        stream.beginArray()
        for (index, chunk) in chunks.enumerated() {
            Self.writeSendParameters(of: document, withAttachments: index == 0, into: &stream) { stream in
                stream.appendToString(chunk.message)
                return chunk.styleRanges
            }
        }
        stream.endArray()
        var degradations: [Degradation] = []
        if chunks.count > 1 {
            degradations.append(Degradation(
                kind: .split, origin: .generated,
                message: "sent as \(chunks.count) Signal messages of at most \(maximumUTF8Bytes) UTF-8 bytes, cut at paragraph, line or word boundaries"))
        }
        return RenderedPayload(jsonBody: stream.bytes, degradations: degradations)
    }

    /// Writes one signal-cli `send` parameters object into `stream`, keys in order: the document's attachments
    /// (when `withAttachments`), the message, which `writeMessage` appends to the open string, returning its style
    /// ranges, the document's sticker (when `withAttachments`) and the style ranges.
    private static func writeSendParameters(
        of document: Document, withAttachments: Bool, into stream: inout JSONStream,
        message writeMessage: (inout JSONStream) -> [SignalStyleRange]
    ) {
        stream.beginObject()
        let attachments = withAttachments
            ? document.blocks.compactMap { block -> Attachment? in
                if case .attachment(let attachment, _) = block { attachment } else { nil }
            } : []
        if !attachments.isEmpty {
            stream.key("attachments")
            stream.beginArray()
            for attachment in attachments { stream.string(dataURI(attachment)) }
            stream.endArray()
        }
        stream.key("message")
        stream.beginString()
        let styleRanges = writeMessage(&stream)
        stream.endString()
        let sticker = document.blocks.last { if case .sticker = $0 { true } else { false } }
        if withAttachments, case .sticker(let sticker, _)? = sticker { stream.member("sticker", sticker.id) }
        if !styleRanges.isEmpty {
            stream.key("textStyle")
            stream.beginArray()
            for range in styleRanges { stream.string(range.description) }
            stream.endArray()
        }
        stream.endObject()
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

    /// Fits `message` and renders the signal-cli-rest-api body, with every degradation.
    public func restRendering(of message: NotificationMessage) -> Rendering {
        let lowered = Document.lowering(message)
        let fitting = prepared(lowered)
        let payload = restPayload(for: fitting.document)
        return Rendering(
            fittedDocument: fitting.document, payload: payload,
            degradations: lowered.degradations + fitting.degradations + payload.degradations)
    }

    /// Fits and renders an already lowered message as several signal-cli `send` parameter objects (see
    /// ``renderFittedSplit(_:maximumUTF8Bytes:)``), with every degradation.
    public func splitRendering(_ lowered: LoweringResult, maximumUTF8Bytes: Int = SignalLimits.messageUTF8Bytes) -> Rendering {
        let fitting = prepared(lowered)
        let payload = renderFittedSplit(fitting.document, maximumUTF8Bytes: maximumUTF8Bytes)
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
