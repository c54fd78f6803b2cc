import HeraldCore

/// Renders Discord messages: the JSON body of a webhook's `execute` (`payload_json` when files go with it), one embed
/// per message.
///
/// The title is the embed's title, the text its description, written in Discord's Markdown by ``DiscordMarkdown``
/// so that every character stays literal: bold, italic, strikethrough, inline code and `[text](<url>)` links; a code
/// block (and a table, as aligned monospace text) a fenced block with its language; tags a last line of `#tag`
/// words. Discord cannot color text: where one color covers most colored text it becomes the embed's side color,
/// which is reported, and other colors are reported as not shown. Files travel as multipart attachments (at most
/// ``maximumFilesPerMessage`` and ``uploadByteLimit`` bytes); stickers are not shown. `allowed_mentions` is always
/// `{"parse": []}`, so that nothing in a message pings anyone, and every `@`, `<` and `:` of user text is escaped, so
/// that no mention, timestamp, emoji or link is even shown.
///
/// A description holds at most ``maximumDescriptionLength`` UTF-16 code units: a longer notification goes out as
/// several messages (see ``limits``).
public struct DiscordRenderer: ServiceRenderer {
    /// Discord's limit on an embed's description: 4096 characters. Counted here in UTF-16 code units, which are never
    /// fewer than the characters (code points) Discord counts.
    public static let descriptionLimit = 4096
    /// Discord's limit on an embed's title: 256 characters, counted like ``descriptionLimit``.
    public static let titleLimit = 256
    /// The most files one Discord message carries.
    public static let maximumFilesPerMessage = 10
    /// The most bytes of files one message uploads: Discord's default upload limit for a server, 10 MiB for all files
    /// of a request together (servers with a boost tier allow more).
    public static let defaultUploadByteLimit = 10 << 20
    /// How many messages one notification may become by default: ten descriptions hold about 40,000 characters, and
    /// Discord takes about five requests every two seconds from a webhook.
    public static let defaultMaximumMessages = 10

    /// The longest description, in UTF-16 code units.
    public var maximumDescriptionLength: Int
    /// How many messages one notification may become.
    public var maximumMessages: Int
    /// The most bytes of files one message uploads.
    public var uploadByteLimit: Int

    /// Creates the renderer.
    public init(
        maximumDescriptionLength: Int = DiscordRenderer.descriptionLimit,
        maximumMessages: Int = DiscordRenderer.defaultMaximumMessages,
        uploadByteLimit: Int = DiscordRenderer.defaultUploadByteLimit
    ) {
        self.maximumDescriptionLength = maximumDescriptionLength
        self.maximumMessages = maximumMessages
        self.uploadByteLimit = uploadByteLimit
    }

    /// Every emphasis, links, the title, code languages and files; colors only as the embed's side color (see
    /// ``adjusted(_:)``); tables as aligned monospace text; no stickers; tags as a last line.
    public var capabilities: Capabilities { Self.discordCapabilities }

    // Made once: a render reads the capabilities several times. The colors are kept for `adjusted(_:)`, which picks
    // the side color and removes the rest.
    private static let discordCapabilities = Capabilities(
        serviceName: "Discord", styles: Set(StyleFeature.allCases),
        colors: [.red: .exact, .green: .exact, .yellow: .exact, .pink: .exact, .blue: .exact, .black: .serviceDefault],
        links: .native, headings: .native, tables: .alignedText, codeLanguages: true, attachments: .native,
        maximumStickers: 0, tags: .hashtagParagraph)

    /// Each message's embed description within ``maximumDescriptionLength`` UTF-16 code units, at most
    /// ``maximumMessages`` messages: the title and the files go with the first, the tags with the last. The title
    /// (at most 256) and the description (at most 4096) stay below Discord's 6000 characters for all embeds of a
    /// message; the files' count and size are kept within bounds by ``adjusted(_:)``.
    public var limits: ServiceLimits {
        ServiceLimits(
            perMessage: [MessageLimit(subject: "embed description", maximum: maximumDescriptionLength, unit: .utf16CodeUnits) { document, maximum in
                Self.descriptionLength(of: document, maximum: maximum)
            }],
            maximumMessages: maximumMessages)
    }

    /// The embed's side color for each color a sender can ask for (Discord's own palette; black is the default).
    public static let sideColors: [TextColor: Int] = [
        .red: 0xED4245, .green: 0x57F287, .yellow: 0xFEE75C, .pink: 0xEB459F, .blue: 0x3498DB,
    ]

    /// The webhook body for one message: `{"allowed_mentions": {"parse": []}, "attachments"?, "embeds"?}`.
    ///
    /// The embed holds `title` (the leading heading), `description` (the other blocks, separated by a blank line) and
    /// `color` (the color of the colored text, which ``adjusted(_:)`` left at one); each file is an `attachments`
    /// entry `{"id": n, "filename"}`, uploaded as `files[n]`. A message with nothing to show has no embed.
    ///
    /// A code block that the limits stage cut at an empty line starts or ends with a line feed, which a Discord code
    /// block cannot show: those line feeds are left out and reported.
    public func renderFitted(_ document: Document) -> RenderedPayload {
        let text = EmbedText(document)
        var embed: [String: JSONValue] = [:]
        if let title = text.title { embed["title"] = .string(title) }
        if let description = text.description { embed["description"] = .string(description) }
        if !embed.isEmpty, let color = Self.sideColor(of: document) { embed["color"] = .integer(color) }
        var body: [String: JSONValue] = ["allowed_mentions": ["parse": []]]
        if !embed.isEmpty { body["embeds"] = [.object(embed)] }
        let files = document.blocks.compactMap { block -> Attachment? in
            if case .attachment(let attachment, _) = block { attachment } else { nil }
        }
        if !files.isEmpty {
            body["attachments"] = .array(files.enumerated().map { JSONValue.object(["id": .integer($0.offset), "filename": .string($0.element.filename)]) })
        }
        return RenderedPayload(json: .object(body), degradations: text.degradations)
    }

    /// An embed's title and description for one message's document.
    struct EmbedText {
        /// The leading heading, written as Markdown.
        var title: String?
        /// The other text blocks, written as Markdown and separated by a blank line; `nil` when there are none.
        var description: String?
        /// Line feeds a code block could not show, and styles without a spelling in a piece the limits stage cut.
        var degradations: [Degradation] = []

        init(_ document: Document) {
            var blocks = document.blocks[...]
            if case .heading(_, let runs)? = blocks.first {
                title = DiscordMarkdown.write(runs, degradations: &degradations)
                blocks = blocks.dropFirst()
            }
            var parts: [String] = []
            for block in blocks {
                switch block {
                case .heading(let level, let runs):
                    parts.append(String(repeating: "#", count: min(max(level, 1), 3)) + " " + DiscordMarkdown.write(runs, degradations: &degradations))
                case .paragraph(let runs):
                    parts.append(DiscordMarkdown.write(runs, degradations: &degradations))
                case .codeBlock(let code, let origin):
                    let source = code.source.trimmingLineFeeds()
                    let dropped = code.source.unicodeScalars.count - source.unicodeScalars.count
                    if dropped > 0 {
                        degradations.append(Degradation(
                            kind: .textAltered, origin: origin, subject: source,
                            message: "\(dropped == 1 ? "an empty line" : "\(dropped) empty lines") at the edge of a code block split between messages not shown on Discord, which drops them"))
                    }
                    parts.append(DiscordMarkdown.codeBlock(source, language: code.language))
                case .table, .attachment, .sticker:
                    // Files are attachments, not text; tables are aligned text after fitting (`tables: .alignedText`)
                    // and Discord shows no stickers.
                    continue
                }
            }
            description = parts.isEmpty ? nil : parts.joined(separator: "\n\n")
        }
    }

    /// The side color of a message: the color of its colored runs.
    static func sideColor(of document: Document) -> Int? {
        for block in document.blocks {
            for run in block.runs { if let color = run.style.color, let value = sideColors[color] { return value } }
        }
        return nil
    }

    /// The length of the description showing `document`, in UTF-16 code units; `maximum + 1` as soon as its text
    /// alone is longer (escapes only lengthen it), so that a long message is not written out only to be found too
    /// long.
    static func descriptionLength(of document: Document, maximum: Int) -> Int {
        var blocks = document.blocks[...]
        if case .heading? = blocks.first { blocks = blocks.dropFirst() }
        var textLength = 0
        for block in blocks {
            switch block {
            case .heading(_, let runs), .paragraph(let runs): textLength += runs.reduce(0) { $0 + $1.text.utf16.count }
            case .codeBlock(let code, _): textLength += code.source.utf16.count
            case .table, .attachment, .sticker: continue
            }
            if textLength > maximum { return maximum + 1 }
        }
        guard let description = EmbedText(document).description else { return 0 }
        return description.utf16.count
    }
}

extension String {
    /// The text without line feeds at its start and end.
    func trimmingLineFeeds() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != "\n" }), let last = scalars.lastIndex(where: { $0 != "\n" }) else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}
