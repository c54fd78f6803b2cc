import HeraldCore

/// Renders Pushover messages (`POST /1/messages.json`): the form fields of one push, as a JSON object of strings.
///
/// ```json
/// {"attachment": "camera.png", "html": "1", "message": "<b>Robot arm stopped</b> …", "priority": "1",
///  "title": "Sample mount failed", "url": "https://…", "url_title": "docs"}
/// ```
///
/// `message` is HTML in Pushover's tag set (`html=1`): `<b>`, `<i>`, `<font color="#RRGGBB">` and `<a href>`, user
/// text escaped (`&amp;`, `&lt;`, `&gt;`; `&quot;` in an attribute), a line break a line feed and a blank line
/// between blocks. The title is the `title` field (plain text). The only link of a notification also becomes the
/// push's `url` (with its text as `url_title`), which Pushover shows as the notification's link, while the message
/// keeps it clickable. `priority` is `1` (high) for `FailureAlert`, `alarm_major` and `scan_interlock`, absent
/// (normal) otherwise. `attachment` names the one image sent with the push (multipart, at delivery); the bytes
/// are the message's. Delivery adds `token` and `user`.
///
/// Pushover has no strikethrough, monospace, tables, code languages, files other than images, stickers or tags;
/// fitting reports each. One notification is one push: a message over ``messageCharacterLimit`` characters is cut
/// with a marker, and a title over ``titleCharacterLimit`` too (see ``adjusted(_:)``).
public struct PushoverRenderer: ServiceRenderer {
    /// The longest `message`, counted in Unicode scalars ("4-byte UTF-8 characters" in Pushover's words), which are
    /// never fewer than characters.
    public static let messageCharacterLimit = 1024
    /// The longest `title`, in Unicode scalars.
    public static let titleCharacterLimit = 250
    /// The longest `url`, in Unicode scalars.
    public static let urlCharacterLimit = 512
    /// The longest `url_title`, in Unicode scalars.
    public static let urlTitleCharacterLimit = 100
    /// The largest image attachment, in bytes.
    public static let attachmentByteLimit = 5_242_880
    /// The events sent with high priority (`1`): failures and major alarms.
    public static let highPriorityEvents: Set<String> = ["FailureAlert", "alarm_major", "scan_interlock"]

    /// The colors `<font color>` shows: readable on Pushover's light and dark themes.
    static let colorValues: [TextColor: String] = [
        .red: "#d32f2f", .green: "#2e7d32", .yellow: "#f9a825", .pink: "#d81b60", .blue: "#1565c0",
    ]

    /// Creates the renderer.
    public init() {}

    /// Bold, italic, five colors (black is the default), links and the title; tables as aligned text, one image.
    public var capabilities: Capabilities { Self.pushoverCapabilities }

    private static let pushoverCapabilities = Capabilities(
        serviceName: "Pushover", styles: [.bold, .italic],
        colors: [.red: .exact, .green: .exact, .yellow: .exact, .pink: .exact, .blue: .exact, .black: .serviceDefault],
        links: .native, headings: .native, tables: .alignedText, codeLanguages: false, attachments: .inlineImagesOnly,
        maximumStickers: 0, tags: .hashtagParagraph)

    /// One push: `message` within ``messageCharacterLimit``; beyond, the text is cut with a visible marker.
    public var limits: ServiceLimits {
        ServiceLimits(
            perMessage: [MessageLimit(subject: "message", maximum: Self.messageCharacterLimit, unit: .characters) { document, maximum in
                PushoverMessage.scalarCount(of: document, maximum: maximum)
            }],
            maximumMessages: 1)
    }

    /// What Pushover needs beyond fitting, each reported: a message with no text sends its title as the message
    /// (Pushover requires one); a title over ``titleCharacterLimit`` is cut with `…`; only the first image within
    /// ``attachmentByteLimit`` is sent, any other is named in a line; a code block (and a table, shown as aligned
    /// text) loses its monospace font.
    public func adjusted(_ document: Document) -> FittingResult {
        PushoverAdjustment(document).result
    }

    /// The push's fields.
    public func renderFitted(_ document: Document) -> RenderedPayload {
        RenderedPayload(json: .object(PushoverMessage(document).fields))
    }
}
