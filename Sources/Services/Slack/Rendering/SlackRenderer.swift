import HeraldCore

/// Slack's limits on one message, in the units Herald counts them.
///
/// Slack's documentation gives them in characters; slack-sdk counts code points. Herald counts UTF-16 code units,
/// the largest of the plausible readings (an emoji is two), so that a message within them is within every reading.
public enum SlackLimits {
    /// The longest text of a `section` block (its `mrkdwn`, escapes and markers included).
    public static let sectionText = 3_000
    /// The longest text of a `header` block (`plain_text`).
    public static let headerText = 150
    /// The most blocks one message holds.
    public static let blocksPerMessage = 50
    /// The longest top-level `text` (the fallback for notifications and screen readers), past which Slack cuts it.
    public static let fallbackText = 40_000
    /// How many messages one notification may become by default: Slack takes about one message a second per
    /// channel, and ten messages of 50 sections hold far more than anyone reads in a chat.
    public static let maximumMessages = 10
}

/// Renders Slack messages: Block Kit for `chat.postMessage` (the channel is added at delivery) and for incoming
/// webhooks, which take the same body.
///
/// The title is a `header` block (`plain_text`, shown as written); every paragraph and code block a `section` of
/// `mrkdwn` written by ``SlackMrkdwn``, which keeps all user text literal; the top-level `text` is the whole message
/// without styles, for notifications and screen readers. `unfurl_links` and `unfurl_media` are off, so that Slack
/// adds no preview of a link the sender did not ask for.
///
/// Slack has no text colors, sticker or code highlighting; tables are aligned monospace text, tags a last line of
/// `#tag` words. Attachments, which Block Kit takes only by public URL, are uploaded as files when the renderer is
/// made for the bot-token transport (``uploadsFiles``, the delivery uploads each), and named instead otherwise: an
/// incoming webhook cannot upload, and fitting reports each file it names.
/// A title longer than a header takes becomes a bold line instead (``adjusted(_:)``), so that no word of it is lost.
public struct SlackRenderer: ServiceRenderer {
    /// How many messages one notification may become.
    public var maximumMessages: Int
    /// Whether attachments are delivered as uploaded files (`chat.postMessage` with a bot token) rather than named.
    public var uploadsFiles: Bool

    /// Creates the renderer; `uploadsFiles` for the bot-token transport, which uploads each attachment.
    public init(maximumMessages: Int = SlackLimits.maximumMessages, uploadsFiles: Bool = false) {
        self.maximumMessages = maximumMessages
        self.uploadsFiles = uploadsFiles
    }

    /// Emphasis, links, the title and code; attachments when ``uploadsFiles``; no colors, code languages or stickers.
    public var capabilities: Capabilities { uploadsFiles ? Self.uploadingCapabilities : Self.namingCapabilities }

    // Made once: a render reads the capabilities several times.
    private static let namingCapabilities = capabilities(attachments: .nameOnly)
    private static let uploadingCapabilities = capabilities(attachments: .native)

    private static func capabilities(attachments: Capabilities.AttachmentRendering) -> Capabilities {
        Capabilities(
            serviceName: "Slack", styles: Set(StyleFeature.allCases), colors: [.black: .serviceDefault], links: .native,
            headings: .native, tables: .alignedText, codeLanguages: false, attachments: attachments, maximumStickers: 0,
            tags: .hashtagParagraph)
    }

    /// At most ``SlackLimits/blocksPerMessage`` blocks, every section text within ``SlackLimits/sectionText`` and a
    /// fallback text within ``SlackLimits/fallbackText`` per message, and at most ``maximumMessages`` messages: a
    /// longer notification is split between blocks, or inside one at a line break or space
    /// (``Document/limited(to:serviceName:)``).
    public var limits: ServiceLimits {
        ServiceLimits(
            perMessage: [
                MessageLimit(subject: "blocks", maximum: SlackLimits.blocksPerMessage, unit: .items) { document, _ in document.blocks.count },
                SlackAdjustment.sectionLimit,
                MessageLimit(subject: "fallback text", maximum: SlackLimits.fallbackText, unit: .utf16CodeUnits, measure: SlackMessage.fallbackTextLength),
            ],
            maximumMessages: maximumMessages)
    }

    /// What only Slack needs, each reported: a title over ``SlackLimits/headerText`` becomes a bold paragraph;
    /// monospace is not shown on a link (a code span holds none) nor on a backtick (no code span can hold one); a
    /// link whose text Slack would read as markup (two of one formatting character, an emoji shortcode) is shown as
    /// its text followed by its URL; a paragraph or code block longer than a section is shown as several sections,
    /// cut by the shared limits stage, so that a long log is one message of many sections rather than many messages.
    public func adjusted(_ document: Document) -> FittingResult {
        SlackAdjustment.adjusted(document, maximumMessages: maximumMessages)
    }

    /// The message body: `blocks`, `text`, `unfurl_links`, `unfurl_media`.
    public func renderFitted(_ document: Document) -> RenderedPayload {
        RenderedPayload(json: SlackMessage(document).jsonValue)
    }
}
