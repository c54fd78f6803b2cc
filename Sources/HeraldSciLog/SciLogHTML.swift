import HeraldCore

/// The HTML of a SciLog entry, written so that it is well-formed XML and clean HTML at once.
///
/// Every text and attribute value escapes `&`, `<`, `>`, `"` and `'` (as `&amp;`, `&lt;`, `&gt;`, `&quot;` and
/// `&#39;`); no other entity is used. Void elements close themselves (`<br/>`, `<img .../>`). Characters XML 1.0
/// cannot carry are written as U+FFFD (see ``isForbiddenInXML(_:)``). Only elements and attributes of SciLog's
/// allow-list appear.
enum SciLogHTML {
    /// `text` escaped for an element's content or an attribute value in double quotes.
    static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscaping) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.unicodeScalars.append(isForbiddenInXML(scalar) ? "\u{FFFD}" : scalar)
            }
        }
        return result
    }

    /// Whether XML 1.0 forbids `scalar` in a document: C0 controls other than tab, line feed and carriage return,
    /// and the noncharacters U+FFFE and U+FFFF. (Swift strings hold no lone surrogates.)
    static func isForbiddenInXML(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: false
        case 0x00...0x1F, 0xFFFE, 0xFFFF: true
        default: false
        }
    }

    private static func needsEscaping(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "&", "<", ">", "\"", "'": true
        default: isForbiddenInXML(scalar)
        }
    }

    /// `<p>…</p>`.
    static func paragraph(_ content: [Inline]) -> String {
        "<p>" + inline(content) + "</p>"
    }

    /// A heading: the title (level 1) is `<h2>`, levels 2 and 3 are `<h3>` and `<h4>`, the ones SciLog's editor has.
    static func heading(level: Int, _ content: [Inline]) -> String {
        let tag = "h\(min(max(level + 1, 2), 4))"
        return "<\(tag)>" + inline(content) + "</\(tag)>"
    }

    /// A CKEditor table: the caption as a bold paragraph above it (SciLog's editor has no table captions), the
    /// header row as `th` cells, then the `rows`.
    static func table(title: String?, columns: [String], rows: some Sequence<[String]>) -> String {
        var html = ""
        if let title, !title.isEmpty {
            html += "<p><strong>" + escaped(title) + "</strong></p>"
        }
        html += "<figure class=\"table\"><table><tbody>"
        html += "<tr>" + columns.map { "<th>" + escaped($0) + "</th>" }.joined() + "</tr>"
        for row in rows {
            html += "<tr>" + row.map { "<td>" + escaped($0) + "</td>" }.joined() + "</tr>"
        }
        return html + "</tbody></table></figure>"
    }

    /// A CKEditor code block; `languageClass` is the part after `language-`, already restricted to the characters a
    /// class name may have here.
    static func codeBlock(_ source: String, languageClass: String?) -> String {
        let open = languageClass.map { "<code class=\"language-\(escaped($0))\">" } ?? "<code>"
        return "<pre>" + open + escaped(source) + "</code></pre>"
    }

    /// An image SciLog shows inline; its `src` is filled in by SciLog from the `files` entry with hash `fileHash`.
    static func image(fileHash: String) -> String {
        "<figure class=\"image image_resized\"><img src=\"\" title=\"\(escaped(fileHash))\"/></figure>"
    }

    /// A link to a file SciLog stores with the entry, shown as its name.
    static func fileLink(fileHash: String, name: String) -> String {
        "<p><a class=\"fileLink\" target=\"_blank\" href=\"file:\(escaped(fileHash))\">\(escaped(name))</a></p>"
    }

    /// Inline content: runs as nested `a`, `mark`, `s`, `em`, `strong` and `code` elements (outermost first),
    /// line breaks as `<br/>`.
    ///
    /// Between runs the writer closes the open elements the next run lacks, innermost first, and opens the ones
    /// it adds in the order above, so elements are always properly nested and a style shared by neighbouring runs
    /// stays one element. One order is kept strictly: a `mark` is always inside the `a` of its run, never around
    /// it, because a pen color on the `mark` colors the link text only from inside (around the link, the link's
    /// own color would win); so a link opens only after every open `mark` is closed. The order of the others is
    /// the one BEC's formatter writes (`mark`, `em`, `strong`).
    static func inline(_ content: [Inline]) -> String {
        var html = ""
        var open: [InlineElement] = []
        for element in content {
            switch element {
            case .lineBreak:
                html += "<br/>"
            case .text(let run):
                let wanted = InlineElement.elements(for: run.style)
                let opensLink = wanted.contains { $0.isLink && !open.contains($0) }
                while open.contains(where: { !wanted.contains($0) || (opensLink && $0.isHighlight) }) {
                    html += open.removeLast().closingTag
                }
                for element in wanted where !open.contains(element) {
                    open.append(element)
                    html += element.openingTag
                }
                html += escaped(run.text)
            }
        }
        while let element = open.popLast() {
            html += element.closingTag
        }
        return html
    }

    /// An element that styles a run.
    private enum InlineElement: Equatable {
        case link(String)
        case highlight(SciLogHighlight)
        case strikethrough
        case italic
        case bold
        case code

        /// The elements for `style`, outermost first.
        static func elements(for style: TextStyle) -> [InlineElement] {
            var elements: [InlineElement] = []
            if let link = style.link { elements.append(.link(link.url)) }
            if let color = style.color, let highlight = SciLogHighlight(color) { elements.append(.highlight(highlight)) }
            if style.strikethrough { elements.append(.strikethrough) }
            if style.italic { elements.append(.italic) }
            if style.bold { elements.append(.bold) }
            if style.monospace { elements.append(.code) }
            return elements
        }

        var isLink: Bool {
            if case .link = self { return true }
            return false
        }

        var isHighlight: Bool {
            if case .highlight = self { return true }
            return false
        }

        var openingTag: String {
            switch self {
            case .link(let url): "<a href=\"\(escaped(url))\">"
            case .highlight(let highlight): "<mark class=\"\(highlight.className)\">"
            case .strikethrough: "<s>"
            case .italic: "<em>"
            case .bold: "<strong>"
            case .code: "<code>"
            }
        }

        var closingTag: String {
            switch self {
            case .link: "</a>"
            case .highlight: "</mark>"
            case .strikethrough: "</s>"
            case .italic: "</em>"
            case .bold: "</strong>"
            case .code: "</code>"
            }
        }
    }
}
