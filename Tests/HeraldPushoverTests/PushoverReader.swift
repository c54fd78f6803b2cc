import Herald
import HeraldTestSupport
import HeraldValidation

/// Reads a Pushover push back as its user sees it, knowing only Pushover's documented fields and HTML tag set
/// (`b`, `i`, `u`, `font color`, `a href`): the message through libxml2's HTML parser (``HTMLFragment``) into
/// styled spans, the title, the link and the image's name.
enum PushoverReader {
    /// The colors of the renderer's palette, as docs/services.md lists them.
    static let palette: [String: TextColor] = [
        "#d32f2f": .red, "#2e7d32": .green, "#f9a825": .yellow, "#d81b60": .pink, "#1565c0": .blue,
    ]

    /// The markup a message may hold.
    static let allowList = HTMLAllowList(elements: [
        "b": [:], "i": [:], "u": [:], "font": ["color": .oneOf(Set(palette.keys))], "a": ["href": .url(schemes: ["http", "https", "mailto"])],
    ])

    /// The spans of a message, or one `"<unexpected …>"` span when it holds anything outside the tag set. The
    /// message is parsed inside a `<p>`, the block Pushover's apps show it in: at the top of a document libxml2
    /// drops a text of white space only.
    static func spans(of message: String) -> [ReadSpan] {
        let nodes = HTMLFragment(parsing: "<p>\(message)</p>").nodes
        guard nodes.count == 1, case .element(let paragraph) = nodes[0], paragraph.name == "p" else {
            return [ReadSpan(text: "<unexpected top level \(nodes)>")]
        }
        let spans = ReadSpan.reading(paragraph.children, lineBreaks: false) { element, span in
            switch (element.name, element.attributes) {
            case ("b", [:]): span.bold = true
            case ("i", [:]): span.italic = true
            case ("a", let attributes) where attributes.count == 1 && attributes["href"] != nil && span.link == nil:
                span.link = attributes["href"]
            case ("font", let attributes) where attributes.count == 1:
                guard let color = attributes["color"].flatMap({ palette[$0] }) else { return false }
                span.color = color
            default: return false
            }
            return true
        }
        return spans ?? [ReadSpan(text: "<unexpected \(message)>")]
    }

    /// The spans a message showing `document` (fitted to Pushover) should read back as: its text blocks after the
    /// title, a blank line between two, line breaks as line feeds, code as its text.
    static func expectedSpans(for document: Document) -> [ReadSpan] {
        var spans: [ReadSpan] = []
        var blocks = document.blocks[...]
        if case .heading(1, _)? = blocks.first { blocks = blocks.dropFirst() }
        for block in blocks {
            let blockSpans: [ReadSpan]
            switch block {
            case .heading(_, let content), .paragraph(let content):
                blockSpans = content.lines.enumerated().flatMap { index, line in
                    (index > 0 ? [ReadSpan(text: "\n")] : []) + line.map { run in
                        ReadSpan(
                            text: run.text, bold: run.style.bold || { if case .heading = block { true } else { false } }(),
                            italic: run.style.italic, link: run.style.link?.url, color: run.style.color == .black ? nil : run.style.color)
                    }
                }
            case .codeBlock(let code, _): blockSpans = [ReadSpan(text: code.source)]
            case .table(let table, _): blockSpans = [ReadSpan(text: (table.title.map { $0 + "\n" } ?? "") + table.alignedText)]
            case .attachment, .sticker: continue
            }
            if !spans.isEmpty { spans.append(ReadSpan(text: "\n\n")) }
            spans += blockSpans
        }
        return ReadSpan.normalized(spans)
    }
}
