import HeraldCore

/// Renders SciLog logbook entries: the Paragraph snippet that `POST /basesnippets` takes.
///
/// The payload is `{"snippetType": "paragraph", "linkType": "paragraph", "textcontent", "tags", "files"}`; the
/// logbook (`parentId`) is added at delivery, where the attachments are also uploaded. `textcontent` is HTML as
/// SciLog's CKEditor 5 writes it and its Angular view keeps it: paragraphs, the title as `<h2>`, runs as `strong`,
/// `em`, `s`, `code`, links and highlight `mark`s (colors as ``SciLogHighlight`` classes), tables as
/// `<figure class="table">`, code blocks as `<pre><code class="language-…">`, images as
/// `<figure class="image image_resized"><img src="" title="HASH"/></figure>` and other files as `fileLink`
/// links, each with a ``SciLogFile`` entry in `files`. The HTML is well-formed XML and passes SciLog's
/// allow-list (`HTMLValidator` in HeraldValidation checks both): every text and attribute is escaped with
/// `&amp;`, `&lt;`, `&gt;`, `&quot;` and `&#39;`, and void elements close themselves (`<br/>`).
///
/// SciLog shows everything but stickers, which fitting reports. An entry is one message: over ``maximumTextBytes``
/// it is cut, with a visible marker, by the limits stage. The renderer itself reports code languages a class name
/// cannot hold; characters XML cannot carry, which lowering already replaces, are replaced and reported too when a
/// document built by hand holds them.
public struct SciLogRenderer: ServiceRenderer {
    /// The default for ``maximumTextBytes``: 500 KiB.
    ///
    /// SciLog's API (LoopBack 4) accepts JSON request bodies of up to 1 MiB unless its operators configure more,
    /// and JSON escapes can at most double `textcontent` in the body (quotes in attributes, backslashes, line
    /// feeds in code), so an entry of this size always leaves room for the tags and file entries.
    public static let defaultMaximumTextBytes = 500 * 1024

    /// The most UTF-8 bytes `textcontent` may have; a longer entry is cut, with a visible marker, and reported.
    public var maximumTextBytes: Int

    /// Creates the renderer.
    public init(maximumTextBytes: Int = SciLogRenderer.defaultMaximumTextBytes) {
        self.maximumTextBytes = maximumTextBytes
    }

    /// Every emphasis, five highlight colors (black is the default text color), links, headings, tables, code
    /// languages, attachments and tags as SciLog metadata; no stickers.
    public var capabilities: Capabilities { Self.sciLogCapabilities }

    // Made once: a render reads the capabilities several times.
    private static let sciLogCapabilities: Capabilities = {
        var colors: [TextColor: Capabilities.ColorRendering] = [.black: .serviceDefault]
        for highlight in SciLogHighlight.allCases { colors[highlight.color] = .exact }
        return Capabilities(
            serviceName: "SciLog", styles: Set(StyleFeature.allCases), colors: colors, links: .native,
            headings: .native, tables: .native, codeLanguages: true, attachments: .native, maximumStickers: 0,
            tags: .metadata)
    }()

    /// One entry of at most ``maximumTextBytes`` of HTML: a longer one is cut after as much as fits.
    public var limits: ServiceLimits {
        ServiceLimits(
            perMessage: [MessageLimit(subject: "entry HTML", maximum: maximumTextBytes, unit: .utf8Bytes) { document, maximum in
                SciLogEntry(document, limit: maximum).pieces.reduce(0) { $0 + $1.byteCount }
            }],
            maximumMessages: 1)
    }

    /// The Paragraph snippet: `{"snippetType", "linkType", "textcontent", "tags", "files"}`.
    public func renderFitted(_ document: Document) -> RenderedPayload {
        let entry = SciLogEntry(document, limit: .max)
        // Every piece is written: none lies beyond the limit `.max` (see `SciLogEntry.init(_:limit:)`).
        let html = entry.pieces.map { $0.html! }.joined()
        let snippet: JSONValue = [
            "snippetType": "paragraph", "linkType": "paragraph", "textcontent": .string(html),
            "tags": .array(document.tags.map(JSONValue.string)), "files": .array(entry.pieces.compactMap(\.file?.jsonValue)),
        ]
        return RenderedPayload(json: snippet, degradations: entry.degradations)
    }
}
