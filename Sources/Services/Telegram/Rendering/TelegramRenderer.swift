import HeraldCore

/// Telegram's limits, in the units Telegram counts.
///
/// The Bot API hands `parse_mode: "HTML"` text to TDLib, which reads the HTML (`parse_html`), cleans the text
/// (`fix_formatted_text`) and refuses a bot's message whose text has more than 4096 characters (code points); the
/// clients and Telethon's `split_text` count UTF-16 code units, which are never fewer. Herald counts UTF-16 code
/// units, so a message within its limit passes both.
public enum TelegramLimits {
    /// The most UTF-16 code units of text one `sendMessage` shows, after entity parsing.
    public static let messageTextUTF16Units = 4096
    /// The most UTF-16 code units of a photo's caption, after entity parsing.
    public static let captionUTF16Units = 1024
    /// The most formatting entities Telegram keeps in one message: TDLib sends at most 100 and drops the rest.
    public static let entitiesPerMessage = 100
    /// The most UTF-8 bytes of `text` or `caption` the Bot API reads (`Text is too long` above 32768).
    public static let htmlUTF8Bytes = 1 << 15
    /// The largest photo `sendPhoto` takes as an upload, "10 MB", read as 10,000,000 bytes; a larger image goes as
    /// a document.
    public static let photoBytes = 10_000_000
    /// The largest file the Bot API takes as an upload, "50 MB", read as 50,000,000 bytes.
    public static let fileBytes = 50_000_000
    /// The most photos in one `sendMediaGroup` album.
    public static let albumItems = 10
    /// How many messages one notification may become by default: ten messages of 4096 characters, within the
    /// twenty messages a minute Telegram lets a bot send to one group.
    public static let maximumMessages = 10
}

/// Renders Telegram Bot API requests: text in `parse_mode: "HTML"` with every character of user text escaped, and
/// the attachments as photos (one by `sendPhoto`, several by `sendMediaGroup`) or files (`sendDocument`).
///
/// One message is a JSON array of Bot API calls, sent in order: each object names its `method` and holds its
/// parameters (`chat_id` is added at delivery); a file is `attach://fileN`, the message's N-th attachment, uploaded
/// as the multipart part of that name. When every attachment of a message is a photo and the text fits a caption,
/// the text is the caption of the photo (or of the album's first photo) and the message is one call; otherwise the
/// text is a `sendMessage` of its own. The text comes first unless the message begins with an attachment; a caption
/// is shown above the photo unless the message begins with it. Link previews are off: a preview shows a page the
/// sender did not write.
///
/// Telegram shows bold, italic, strikethrough, monospace, links and code blocks with their language. It has no
/// colors, headings, tables or stickers: fitting reports the colors, makes the title a bold line and a table an
/// aligned `pre` block, and drops stickers, each reported. ``adjusted(_:)`` makes the changes Telegram's own
/// cleaning of the text would otherwise make silently (see there), and writes the tags as `#hashtags`; each
/// message keeps the white space Telegram would trim at its ends as no-break spaces (``TelegramEdges``).
public struct TelegramRenderer: ServiceRenderer {
    /// The most UTF-16 code units of text in one message.
    public var maximumTextUTF16Units: Int
    /// How many messages one notification may become.
    public var maximumMessages: Int

    /// Creates the renderer.
    public init(
        maximumTextUTF16Units: Int = TelegramLimits.messageTextUTF16Units, maximumMessages: Int = TelegramLimits.maximumMessages
    ) {
        self.maximumTextUTF16Units = maximumTextUTF16Units
        self.maximumMessages = maximumMessages
    }

    /// Emphasis, links and code languages; attachments travel with the message; tags are written by
    /// ``adjusted(_:)``.
    public var capabilities: Capabilities { Self.telegramCapabilities }

    // Made once: a render reads the capabilities several times.
    private static let telegramCapabilities = Capabilities(
        serviceName: "Telegram", styles: Set(StyleFeature.allCases), colors: [.black: .serviceDefault], links: .native,
        headings: .boldParagraph, tables: .alignedText, codeLanguages: true, attachments: .native, maximumStickers: 0,
        tags: .metadata)

    /// Each message's text within ``maximumTextUTF16Units`` UTF-16 code units, 100 formatting entities and 32768
    /// bytes of HTML, at most ``maximumMessages`` messages; the attachments travel with the first.
    public var limits: ServiceLimits {
        ServiceLimits(
            perMessage: [
                MessageLimit(subject: "message text", maximum: maximumTextUTF16Units, unit: .utf16CodeUnits) { document, maximum in
                    TelegramText.utf16Count(of: TelegramEdges(document).document, stoppingAbove: maximum)
                },
                MessageLimit(subject: "formatting (bold, italic, links, code…)", maximum: TelegramLimits.entitiesPerMessage, unit: .items) { document, maximum in
                    TelegramText.entityCount(of: document, stoppingAbove: maximum)
                },
                MessageLimit(subject: "message HTML", maximum: TelegramLimits.htmlUTF8Bytes, unit: .utf8Bytes) { document, maximum in
                    TelegramHTML(TelegramEdges(document).document, stoppingAbove: maximum).bytes.count
                },
            ],
            maximumMessages: maximumMessages)
    }

    /// The changes Telegram needs beyond its capabilities, each reported: see ``TelegramAdjustment``.
    public func adjusted(_ document: Document) -> FittingResult {
        TelegramAdjustment.adjusted(document)
    }

    /// The Bot API calls of one message: a JSON array, `[]` for a message with neither text nor attachments. The
    /// white space Telegram would remove at the message's ends is kept (``TelegramEdges``), and reported.
    public func renderFitted(_ document: Document) -> RenderedPayload {
        let edges = TelegramEdges(document)
        return RenderedPayload(json: .array(TelegramRequests.calls(for: edges.document)), degradations: edges.degradations)
    }
}
