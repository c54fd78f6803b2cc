import HeraldCore

/// Renders Microsoft Teams messages: an Adaptive Card 1.4 in the envelope that incoming webhooks and Workflows
/// ("When a Teams webhook request is received") accept.
///
/// Teams shows every emphasis, links, the title, tables and inline images. It has no stickers, no code
/// highlighting and no way to carry other files in a webhook, and its palette has no pink: fitting reports each
/// (pink is shown as red, Teams' `Attention` color, the nearest in hue). The card is described at
/// ``AdaptiveCard/init(_:)``.
///
/// The whole request body must fit in ``byteLimit`` bytes of UTF-8: a longer notification goes out as several
/// cards (see ``limits``).
public struct TeamsRenderer: ServiceRenderer {
    /// Teams' limit on a webhook message: "28 KB" in Microsoft's documentation, read as 28,000 bytes, the reading
    /// that holds whether a KB is 1,000 or 1,024 bytes. `scripts/validate_teams.py` checks the same number.
    public static let payloadByteLimit = 28_000

    /// How many cards one notification may become by default: ten cards of 28,000 bytes hold about 250,000
    /// characters of text, and Teams throttles a webhook that posts faster than about four messages a second.
    public static let defaultMaximumMessages = 10

    /// The largest request body, in bytes, the renderer produces.
    public var byteLimit: Int
    /// How many cards one notification may become.
    public var maximumMessages: Int

    /// Creates the renderer.
    public init(byteLimit: Int = TeamsRenderer.payloadByteLimit, maximumMessages: Int = TeamsRenderer.defaultMaximumMessages) {
        self.byteLimit = byteLimit
        self.maximumMessages = maximumMessages
    }

    /// Each webhook message within ``byteLimit`` bytes, at most ``maximumMessages`` of them. A notification over the
    /// limit is split into cards sent in order, the title and the images in the first, the tags in the last; images
    /// that do not fit even so are replaced by their names, largest first; after the last card the text is cut with
    /// a visible marker (``Document/limited(to:serviceName:)``).
    public var limits: ServiceLimits {
        ServiceLimits(
            perMessage: [MessageLimit(subject: "webhook message", maximum: byteLimit, unit: .utf8Bytes, measure: Self.webhookMessageByteCount)],
            maximumMessages: maximumMessages)
    }

    /// Every emphasis, every color but pink (shown as red), links, headings, tables and inline images; no code
    /// languages, other files or stickers; tags as the card's last line.
    public var capabilities: Capabilities { Self.teamsCapabilities }

    // Made once: a render reads the capabilities several times.
    private static let teamsCapabilities = Capabilities(
        serviceName: "Microsoft Teams", styles: Set(StyleFeature.allCases),
        colors: [
            .red: .exact, .green: .exact, .yellow: .exact, .blue: .exact, .black: .serviceDefault,
            .pink: .approximated(by: .red),
        ],
        links: .native, headings: .native, tables: .native, codeLanguages: false, attachments: .inlineImagesOnly,
        maximumStickers: 0, tags: .metadata)

    /// The webhook message for one card's document.
    public func renderFitted(_ document: Document) -> RenderedPayload {
        RenderedPayload(jsonBody: AdaptiveCard(document).webhookMessageBytes)
    }
}
