import HeraldCore

/// The `text/html` alternative of an e-mail: an HTML fragment of body content, one block element per line, styled
/// with inline `style` attributes only (mail clients drop `<style>` elements and classes).
///
/// - The title is an `<h1>`, paragraphs are `<p>`, a line break is `<br/>`.
/// - Runs are `<strong>`, `<em>`, `<s>`, `<code>` and `<a href>`; colors are a `<span style>` with the colors of
///   CKEditor 5's highlight plugin, which BEC's formatter uses: red and green as text colors (pens), yellow, pink
///   and blue as background colors (markers), as ``colorStyles`` lists.
/// - A table is a `<table>` with its title as `<caption>`, a header row of `<th>` and rows of `<td>`.
/// - A code block is `<pre><code>`.
/// - An inline image is `<p><img src="cid:…" alt="name"/></p>`, any other file a line `📎 <a href="cid:…">name</a>`
///   at its place; both reference their MIME part by `Content-ID` (RFC 2392).
///
/// Every element holding text keeps its white space (`white-space:pre-wrap`), so spaces and tabs show as written.
/// Text and attribute values escape `&`, `<`, `>`, `"` and `'`; void elements close themselves, so the fragment is
/// well-formed XML as well as HTML.
public enum EmailHTML {
    /// The inline style of each color.
    public static let colorStyles: [TextColor: String] = [
        .red: "color:#e71313", .green: "color:#128a00",
        .yellow: "background-color:#fdfd77", .pink: "background-color:#fc7899", .blue: "background-color:#72ccfd",
    ]
    /// The style of every element holding text: white space as written.
    public static let textStyle = "white-space:pre-wrap"
    /// The style of table cells.
    public static let cellStyle = "border:1px solid #c8c8c8;padding:4px 8px;text-align:left;vertical-align:top;white-space:pre-wrap"
    /// The style of a table's caption.
    public static let captionStyle = "text-align:left;font-weight:bold;white-space:pre-wrap"
    /// The style of a code block.
    public static let codeBlockStyle = "white-space:pre-wrap;background-color:#f4f4f4;padding:8px"
    /// The style of an image.
    public static let imageStyle = "max-width:100%"
    /// The style of a table.
    public static let tableStyle = "border-collapse:collapse"

    /// The fragment for `document`; `contentIDs` holds the `Content-ID` (without angle brackets) of each attachment
    /// block, in order.
    static func fragment(for document: Document, contentIDs: [String]) -> String {
        var html = ""
        var attachmentIndex = 0
        for block in document.blocks {
            switch block {
            case .heading(let level, let content):
                let tag = "h\(min(max(level, 1), 6))"
                html += "<\(tag) style=\"\(textStyle)\">" + inline(content) + "</\(tag)>\n"
            case .paragraph(let content):
                html += "<p style=\"\(textStyle)\">" + inline(content) + "</p>\n"
            case .table(let table, _):
                html += self.table(table)
            case .codeBlock(let code, _):
                html += "<pre style=\"\(codeBlockStyle)\"><code>" + code.source.htmlEscaped() + "</code></pre>\n"
            case .attachment(let attachment, _):
                let source = "cid:" + contentIDs[attachmentIndex]
                attachmentIndex += 1
                if attachment.isInlineImage {
                    var size = ""
                    if let width = attachment.width { size += " width=\"\(width)\"" }
                    if let height = attachment.height { size += " height=\"\(height)\"" }
                    html += "<p><img src=\"\(source)\" alt=\"\(attachment.filename.htmlEscaped())\"\(size) style=\"\(imageStyle)\"/></p>\n"
                } else {
                    html += "<p style=\"\(textStyle)\">📎 <a href=\"\(source)\">\(attachment.filename.htmlEscaped())</a></p>\n"
                }
            case .sticker:
                continue  // fitting removes stickers: an e-mail cannot show them
            }
        }
        return html
    }

    private static func table(_ table: Table) -> String {
        var html = "<table style=\"\(tableStyle)\">\n"
        if let title = table.title, !title.isEmpty {
            html += "<caption style=\"\(captionStyle)\">\(title.htmlEscaped())</caption>\n"
        }
        for (index, row) in ([table.columns] + table.rows).enumerated() {
            let cell = index == 0 ? "th" : "td"
            html += "<tr>" + row.map { "<\(cell) style=\"\(cellStyle)\">" + lines($0) + "</\(cell)>" }.joined() + "</tr>\n"
        }
        return html + "</table>\n"
    }

    /// Plain text with its line breaks as `<br/>`.
    private static func lines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0).htmlEscaped() }.joined(separator: "<br/>")
    }

    /// The runs, line by line, each run in its style's elements.
    private static func inline(_ content: [TextRun]) -> String {
        content.lines.map { line in
            line.map { run in
                var open = ""
                var close = ""
                func wrap(_ tag: String, _ attributes: String = "") {
                    open += "<\(tag)\(attributes)>"
                    close = "</\(tag)>" + close
                }
                let style = run.style
                if let link = style.link { wrap("a", " href=\"\(link.url.htmlEscaped())\"") }
                if let color = style.color, let colorStyle = colorStyles[color] { wrap("span", " style=\"\(colorStyle)\"") }
                if style.bold { wrap("strong") }
                if style.italic { wrap("em") }
                if style.strikethrough { wrap("s") }
                if style.monospace { wrap("code") }
                return open + run.text.htmlEscaped() + close
            }.joined()
        }.joined(separator: "<br/>")
    }
}
