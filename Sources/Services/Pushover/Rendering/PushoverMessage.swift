import HeraldCore

/// One document as Pushover's fields: the title, the message's HTML, the link the push opens, the image and the
/// priority.
struct PushoverMessage {
    /// The `title` field: the leading level-1 heading's text.
    var title: String?
    /// The `message` field.
    var html: String
    /// The `url` and `url_title` fields, when the document has exactly one link.
    var url: (url: String, title: String?)?
    /// The image sent as `attachment`.
    var attachment: Attachment?
    /// The `priority` field: 1 (high) or 0 (normal, left out).
    var priority: Int

    init(_ document: Document) {
        var blocks = document.blocks[...]
        if case .heading(1, let content)? = blocks.first {
            title = content.plainText
            blocks = blocks.dropFirst()
        }
        html = Self.html(of: blocks)
        attachment = blocks.lazy.compactMap { block -> Attachment? in
            if case .attachment(let attachment, _) = block { attachment } else { nil }
        }.first
        priority = document.event.map { PushoverRenderer.highPriorityEvents.contains($0) } == true ? 1 : 0
        url = Self.onlyLink(in: blocks)
    }

    /// The fields as a JSON object of strings, as they are form-encoded.
    var fields: [String: JSONValue] {
        var fields: [String: JSONValue] = ["html": "1", "message": .string(html)]
        if let title { fields["title"] = .string(title) }
        if let url {
            fields["url"] = .string(url.url)
            if let title = url.title { fields["url_title"] = .string(title) }
        }
        if let attachment { fields["attachment"] = .string(attachment.filename) }
        if priority != 0 { fields["priority"] = .string(String(priority)) }
        return fields
    }

    /// The number of Unicode scalars of the `message` for `document`, or `maximum + 1` as soon as its text alone
    /// exceeds `maximum` (the markup only adds to it).
    static func scalarCount(of document: Document, maximum: Int) -> Int {
        var textScalars = 0
        document.forEachPlainTextPiece { piece in
            textScalars += piece.unicodeScalars.count
            return textScalars <= maximum
        }
        guard textScalars <= maximum else { return maximum + 1 }
        return PushoverMessage(document).html.unicodeScalars.count
    }

    /// The text blocks as Pushover HTML, a blank line between two.
    private static func html(of blocks: ArraySlice<Block>) -> String {
        blocks.compactMap { block -> String? in
            switch block {
            case .heading(_, let content): inline(content.map { run in
                var run = run
                run.style.bold = true
                return run
            })
            case .paragraph(let content): inline(content)
            case .codeBlock(let code, _): code.source.htmlEscaped(quotes: false)
            case .table(let table, _): ((table.title.map { $0 + "\n" } ?? "") + table.alignedText).htmlEscaped(quotes: false)
            case .attachment, .sticker: nil
            }
        }.joined(separator: "\n\n")
    }

    /// The runs line by line, so that no element spans a line break.
    private static func inline(_ content: [TextRun]) -> String {
        content.lines.map { line in line.map(run).joined() }.joined(separator: "\n")
    }

    private static func run(_ run: TextRun) -> String {
        var html = run.text.htmlEscaped(quotes: false)
        let style = run.style
        if style.italic { html = "<i>\(html)</i>" }
        if style.bold { html = "<b>\(html)</b>" }
        if let color = style.color.flatMap({ PushoverRenderer.colorValues[$0] }) { html = "<font color=\"\(color)\">\(html)</font>" }
        if let link = style.link { html = "<a href=\"\(link.url.htmlEscaped())\">\(html)</a>" }
        return html
    }

    /// The URL and its text when the blocks link to exactly one URL, within Pushover's limits: the text of the first
    /// stretch of runs carrying it is the title, left out when over ``PushoverRenderer/urlTitleCharacterLimit`` or on
    /// several lines.
    private static func onlyLink(in blocks: ArraySlice<Block>) -> (url: String, title: String?)? {
        var url: String?
        var title = ""
        var titleDone = false
        for block in blocks {
            for run in block.runs {
                guard let link = run.style.link?.url else {
                    if url != nil { titleDone = true }
                    continue
                }
                if let url, url != link { return nil }
                url = link
                if !titleDone { title += run.text }
            }
            if url != nil { titleDone = true }
        }
        guard let url, url.unicodeScalars.count <= PushoverRenderer.urlCharacterLimit else { return nil }
        let fits = title.unicodeScalars.count <= PushoverRenderer.urlTitleCharacterLimit && !title.containsLineFeed
        let shownTitle = fits ? title : nil
        return (url, shownTitle)
    }
}
