import HeraldCore

/// The `html` member of a webhook body: the document as an HTML fragment that is well-formed XML and clean HTML
/// at once, for receivers that show notifications in a browser or an e-mail.
///
/// The title is an `<h1>`; a paragraph a `<p>` with `<br/>` line breaks; a run is wrapped, outermost first, in
/// `<a href>`, `<span style="color: NAME">` (CSS's own names for the six colors), `<strong>`, `<em>`, `<s>` and
/// `<code>`; a table a `<table>` with its title as `<caption>`, a `<thead>` row of `<th>` and `<tbody>` rows of
/// `<td>`; a code block `<pre><code class="language-X">`. Blocks are separated by a line feed. Every text and
/// attribute value escapes `&`, `<`, `>`, `"` and `'`.
enum WebhookHTML {
    /// The fragment for `document`, fitted to ``WebhookRenderer/htmlCapabilities``.
    static func html(_ document: Document) -> String {
        document.blocks.compactMap(block).joined(separator: "\n")
    }

    private static func block(_ block: Block) -> String? {
        switch block {
        case .heading(let level, let content):
            let name = "h\(min(max(level, 1), 6))"
            return "<\(name)>\(inline(content))</\(name)>"
        case .paragraph(let content):
            return "<p>\(inline(content))</p>"
        case .table(let table, _):
            var html = "<table>"
            if let title = table.title { html += "<caption>\(title.htmlEscaped())</caption>" }
            html += "<thead><tr>" + table.columns.map { "<th>\(cell($0))</th>" }.joined() + "</tr></thead><tbody>"
            for row in table.rows { html += "<tr>" + row.map { "<td>\(cell($0))</td>" }.joined() + "</tr>" }
            return html + "</tbody></table>"
        case .codeBlock(let code, _):
            let attribute = code.language.map { " class=\"language-\($0.htmlEscaped())\"" } ?? ""
            return "<pre><code\(attribute)>\(code.source.htmlEscaped())</code></pre>"
        case .attachment, .sticker:
            // Absent after fitting: files are named in a line, stickers not shown.
            return nil
        }
    }

    /// A table cell: its lines separated by `<br/>`.
    private static func cell(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0).htmlEscaped() }.joined(separator: "<br/>")
    }

    /// The runs, line by line, so that no element spans a `<br/>`.
    private static func inline(_ content: [TextRun]) -> String {
        content.lines.map { line in line.map(run).joined() }.joined(separator: "<br/>")
    }

    private static func run(_ run: TextRun) -> String {
        var html = run.text.htmlEscaped()
        let style = run.style
        if style.monospace { html = "<code>\(html)</code>" }
        if style.strikethrough { html = "<s>\(html)</s>" }
        if style.italic { html = "<em>\(html)</em>" }
        if style.bold { html = "<strong>\(html)</strong>" }
        if let color = style.color { html = "<span style=\"color: \(color.rawValue)\">\(html)</span>" }
        if let link = style.link { html = "<a href=\"\(link.url.htmlEscaped())\">\(html)</a>" }
        return html
    }
}
