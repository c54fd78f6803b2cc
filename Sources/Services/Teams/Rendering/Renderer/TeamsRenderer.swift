import HeraldCore

/// Renders Microsoft Teams messages: an Adaptive Card 1.4 in the envelope that incoming webhooks and Workflows
/// ("When a Teams webhook request is received") accept.
///
/// Teams shows every emphasis, links, the title, tables and inline images. It has no stickers, no code
/// highlighting and no way to carry other files in a webhook, and its palette has no pink: fitting reports each
/// (pink is shown as red, Teams' `Attention` color, the nearest in hue). The card is described at
/// ``AdaptiveCard/init(_:)``.
///
/// The whole request body must fit in ``byteLimit`` bytes of UTF-8: ``renderFitted(_:)`` says how a document
/// too large is shrunk, and when it cannot be.
public struct TeamsRenderer: ServiceRenderer {
    /// Teams' limit on a webhook message: "28 KB" in Microsoft's documentation, read as 28,000 bytes, the reading
    /// that holds whether a KB is 1,000 or 1,024 bytes. `scripts/validate_teams.py` checks the same number.
    public static let payloadByteLimit = 28_000

    /// The largest request body, in bytes, the renderer produces.
    public var byteLimit: Int

    /// Creates the renderer.
    public init(byteLimit: Int = TeamsRenderer.payloadByteLimit) {
        self.byteLimit = byteLimit
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

    /// The webhook message for a fitted document.
    ///
    /// If the message would exceed ``byteLimit`` bytes, the document is shrunk, in this order, until it fits:
    /// 1. inline images, largest first (the earlier one among equals), are replaced one at a time by the italic
    ///    line naming the file that fitting uses for files Teams cannot carry
    ///    (``Degradation/Kind/inlineDataDropped``);
    /// 2. the content after the title is cut after as many characters as fit (a line break counts as one, a table
    ///    keeps whole rows), and an italic line `… (truncated: N characters not shown)` ends it
    ///    (``Degradation/Kind/truncated``).
    ///
    /// The payload's degradations report each change and its ``RenderedPayload/shownDocument`` is the shrunk
    /// document. The title and the tags are never cut: if they alone, with the marker, do not fit, this throws a
    /// ``RenderError`` saying how many bytes the card needs.
    public func renderFitted(_ document: Document) throws(RenderError) -> RenderedPayload {
        let (card, degradations) = try limitedCard(for: document)
        return RenderedPayload(
            jsonBody: card.body, degradations: degradations, shownDocument: degradations.isEmpty ? nil : card.document)
    }
}
