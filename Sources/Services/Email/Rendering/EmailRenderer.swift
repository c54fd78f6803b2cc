import Foundation
import HeraldCore

/// Renders e-mails: the RFC 5322 message, MIME (RFC 2045–2047, 2231, 2387, 2392) included, that SMTP delivers.
///
/// ```
/// multipart/mixed                      only with files that are not inline images
/// ├─ multipart/related                 only with inline images
/// │  ├─ multipart/alternative
/// │  │  ├─ text/plain; charset=utf-8   the document as plain text (quoted-printable)
/// │  │  └─ text/html; charset=utf-8    the document as HTML (quoted-printable), images by cid:
/// │  └─ image/png …                    each inline image, Content-ID, inline
/// └─ application/pdf …                 each other file, Content-ID, attachment
/// ```
///
/// The header holds `Date`, `From`, `To`, `Message-ID` and `Subject` (``headers``), `MIME-Version` and
/// `Auto-Submitted: auto-generated` (RFC 3834: no vacation replies to a notification). The subject is the title,
/// else the event, else `Herald notification`, as encoded-words (RFC 2047) unless it is plain ASCII words. Every
/// line ends in CRLF and has at most 78 characters, apart from a header field holding one long address, so no
/// server's 998-octet limit ever applies.
///
/// The HTML part shows the whole fitted document (see ``EmailHTML``): every emphasis, the six colors, links, the
/// title, tables and images inline. The text part, for clients that show no HTML, is the same document fitted to
/// plain text (``plainTextCapabilities``): links as `text (URL)`, tables as aligned text, files named; that is not
/// reported, since the HTML alternative shows all of it. Stickers are not shown, code languages are not passed on,
/// tags are a last line of `#tag` words: fitting reports each.
///
/// An e-mail is one message: over ``maximumMessageBytes`` the limits stage replaces attachments by the lines naming
/// them, largest first, then cuts the text with a visible marker.
public struct EmailRenderer: ServiceRenderer {
    /// The default for ``maximumMessageBytes``: 10,240,000 bytes, Postfix's default `message_size_limit`, the
    /// smallest default of the common mail servers (Exchange Online and Gmail take about 25 MB with encoding).
    public static let defaultMaximumMessageBytes = 10_240_000

    /// The header values delivery sets; ``EmailHeaders/preview`` by default.
    public var headers: EmailHeaders
    /// The largest message, in bytes as sent (headers and encoded parts), the renderer produces.
    public var maximumMessageBytes: Int

    /// Creates the renderer.
    public init(headers: EmailHeaders = .preview, maximumMessageBytes: Int = EmailRenderer.defaultMaximumMessageBytes) {
        self.headers = headers
        self.maximumMessageBytes = maximumMessageBytes
    }

    /// Every emphasis and color (black is the default text color), links, headings, tables and attachments; no code
    /// languages (mail clients do not highlight) or stickers; tags as a last line.
    public var capabilities: Capabilities { Self.emailCapabilities }

    // Made once: a render reads the capabilities several times.
    private static let emailCapabilities: Capabilities = {
        var colors: [TextColor: Capabilities.ColorRendering] = [.black: .serviceDefault]
        for color in EmailHTML.colorStyles.keys { colors[color] = .exact }
        return Capabilities(
            serviceName: "E-mail", styles: Set(StyleFeature.allCases), colors: colors, links: .native, headings: .native,
            tables: .native, codeLanguages: false, attachments: .native, maximumStickers: 0, tags: .hashtagParagraph)
    }()

    /// What the `text/plain` alternative shows: no styles or colors, links followed by their URL, the title as a
    /// line, tables as aligned text, attachments named.
    public static let plainTextCapabilities = Capabilities(
        serviceName: "E-mail (plain text)", styles: [], colors: [:], links: .urlAfterText, headings: .boldParagraph,
        tables: .alignedText, codeLanguages: false, attachments: .nameOnly, maximumStickers: 0, tags: .hashtagParagraph)

    /// One e-mail of at most ``maximumMessageBytes`` bytes.
    public var limits: ServiceLimits {
        ServiceLimits(
            perMessage: [MessageLimit(subject: "e-mail message", maximum: maximumMessageBytes, unit: .utf8Bytes) { document, _ in
                message(for: document).byteCount
            }],
            maximumMessages: 1)
    }

    /// The message, ready for SMTP's `DATA`: CRLF line breaks, ending with one.
    public func renderFitted(_ document: Document) -> RenderedPayload {
        var bytes: [UInt8] = []
        message(for: document).write(into: &bytes)
        bytes += [13, 10]
        return RenderedPayload(textBody: bytes)
    }

    /// The `text/html` part's content for a fitted document.
    public func html(for document: Document) -> String {
        EmailHTML.fragment(for: document, contentIDs: contentIDs(for: document))
    }

    /// The `text/plain` part's content for a fitted document: its blocks fitted to ``plainTextCapabilities``, as
    /// text, separated by empty lines, ending with a line break.
    public func plainText(for document: Document) -> String {
        let text = document.fitted(to: Self.plainTextCapabilities).document.plainText
        return text.isEmpty ? "" : text + "\n"
    }

    /// The subject: the title, else the event, else `Herald notification`.
    public func subject(for document: Document) -> String {
        for case .heading(level: 1, let content) in document.blocks { return content.plainText }
        return document.event ?? "Herald notification"
    }

    /// The `Content-ID` of each attachment block, in order: `partN.` followed by the Message-ID.
    func contentIDs(for document: Document) -> [String] {
        var count = 0
        return document.blocks.compactMap { block in
            guard case .attachment = block else { return nil }
            count += 1
            return "part\(count).\(headers.messageID)"
        }
    }

    /// The whole message as a MIME entity.
    func message(for document: Document) -> MIMEEntity {
        let ids = contentIDs(for: document)
        var images: [MIMEEntity] = []
        var files: [MIMEEntity] = []
        var index = 0
        for case .attachment(let attachment, _) in document.blocks {
            let part = Self.attachmentPart(attachment, contentID: ids[index])
            index += 1
            if attachment.isInlineImage { images.append(part) } else { files.append(part) }
        }
        var root = MIMEEntity(
            fields: [("Content-Type", ["multipart/alternative;", "boundary=\"=_herald_alternative\""])],
            body: .multipart(boundary: "=_herald_alternative", parts: [
                Self.textPart("text/plain", plainText(for: document)),
                Self.textPart("text/html", EmailHTML.fragment(for: document, contentIDs: ids)),
            ]))
        if !images.isEmpty {
            root = MIMEEntity(
                fields: [("Content-Type", ["multipart/related;", "type=\"multipart/alternative\";", "boundary=\"=_herald_related\""])],
                body: .multipart(boundary: "=_herald_related", parts: [root] + images))
        }
        if !files.isEmpty {
            root = MIMEEntity(
                fields: [("Content-Type", ["multipart/mixed;", "boundary=\"=_herald_mixed\""])],
                body: .multipart(boundary: "=_herald_mixed", parts: [root] + files))
        }
        root.fields = [
            ("Date", [HeaderFields.date(headers.date)]),
            ("From", HeaderFields.mailbox(headers.from)),
            ("To", HeaderFields.mailboxList(headers.to)),
            ("Message-ID", ["<\(headers.messageID)>"]),
            ("Subject", HeaderFields.unstructured(subject(for: document))),
            ("MIME-Version", ["1.0"]),
            ("Auto-Submitted", ["auto-generated"]),
        ] + root.fields
        return root
    }

    private static func textPart(_ type: String, _ text: String) -> MIMEEntity {
        MIMEEntity(
            fields: [("Content-Type", ["\(type);", "charset=utf-8"]), ("Content-Transfer-Encoding", ["quoted-printable"])],
            body: .text(text))
    }

    private static func attachmentPart(_ attachment: Attachment, contentID: String) -> MIMEEntity {
        let disposition = attachment.isInlineImage ? "inline;" : "attachment;"
        return MIMEEntity(
            fields: [
                ("Content-Type", ["\(attachment.mimeType);"] + HeaderFields.parameter("name", attachment.filename)),
                ("Content-Transfer-Encoding", ["base64"]),
                ("Content-ID", ["<\(contentID)>"]),
                ("Content-Disposition", [disposition] + HeaderFields.parameter("filename", attachment.filename)),
            ],
            body: .binary(attachment.data))
    }
}
