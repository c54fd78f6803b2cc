import Crypto
import Foundation
import HeraldCore

/// Renders the body of Herald's signed webhook: a JSON object of the documented schema
/// `schema/herald.webhook.v1.schema.json` that carries the whole notification, so a receiver loses nothing.
///
/// ```json
/// {"attachments": [{"filename", "mime_type", "sha256", "size"}], "event": "PrintDone" | null,
///  "format": "herald.webhook/v1", "html": "<h1>…</h1>\n<p>…</p>", "message": {herald.message/v1},
///  "tags": ["…"], "text": "…", "title": "…" | null}
/// ```
///
/// `message` is the notification as `herald.message/v1` (attachments with their bytes as base64), from which a
/// receiver can render it again; `text` and `html` are ready-made plain-text and HTML renderings (``WebhookHTML``);
/// `attachments` names each file with its MIME type, size and SHA-256 (hexadecimal) in message order, so that a
/// receiver can decide before decoding. The webhook shows everything, so fitting changes nothing and nothing is
/// reported; `text` and `html`, which cannot hold files or stickers, name the files in a line instead and leave
/// stickers out, without a report, since `message` carries both.
///
/// Delivery signs each request per the Standard Webhooks specification (``StandardWebhookSigner``).
public struct WebhookRenderer: ServiceRenderer {
    /// The body's `format`.
    public static let formatName = "herald.webhook/v1"

    /// Creates the renderer.
    public init() {}

    /// Everything: the body carries the message itself.
    public var capabilities: Capabilities { Self.webhookCapabilities }

    private static let webhookCapabilities = Capabilities(
        serviceName: "Webhook", styles: Set(StyleFeature.allCases),
        colors: Dictionary(uniqueKeysWithValues: TextColor.allCases.map { ($0, .exact) }), links: .native, headings: .native,
        tables: .native, codeLanguages: true, attachments: .native, maximumStickers: .max, tags: .metadata)

    /// What `html` shows: all but files (named in a line) and stickers; tags as a last line.
    static let htmlCapabilities = Capabilities(
        serviceName: "Webhook HTML", styles: Set(StyleFeature.allCases),
        colors: Dictionary(uniqueKeysWithValues: TextColor.allCases.map { ($0, .exact) }), links: .native, headings: .native,
        tables: .native, codeLanguages: true, attachments: .nameOnly, maximumStickers: 0, tags: .hashtagParagraph)

    /// What `text` shows: plain text, links as `text (URL)`, tables aligned, files named, tags as a last line.
    static let textCapabilities = Capabilities(
        serviceName: "Webhook text", styles: [], colors: [:], links: .urlAfterText, headings: .boldParagraph,
        tables: .alignedText, codeLanguages: false, attachments: .nameOnly, maximumStickers: 0, tags: .hashtagParagraph)

    /// The webhook body for `document`.
    public func renderFitted(_ document: Document) throws(RenderError) -> RenderedPayload {
        let message = try document.heraldMessage()
        let attachments: [JSONValue] = document.blocks.compactMap { block in
            guard case .attachment(let attachment, _) = block else { return nil }
            let digest = SHA256.hash(data: attachment.data).map { String(format: "%02x", $0) }.joined()
            return [
                "filename": .string(attachment.filename), "mime_type": .string(attachment.mimeType),
                "sha256": .string(digest), "size": .integer(attachment.data.count),
            ]
        }
        let body: JSONValue = [
            "attachments": .array(attachments),
            "event": document.event.map(JSONValue.string) ?? .null,
            "format": .string(Self.formatName),
            "html": .string(WebhookHTML.html(document.fitted(to: Self.htmlCapabilities).document)),
            "message": message.jsonValue,
            "tags": .array(document.tags.map(JSONValue.string)),
            "text": .string(document.fitted(to: Self.textCapabilities).document.plainText),
            "title": message.title.map(JSONValue.string) ?? .null,
        ]
        return RenderedPayload(json: body)
    }
}
