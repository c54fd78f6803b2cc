import HeraldCore

/// The HTML of a SciLog entry, written so that it is well-formed XML and clean HTML at once.
///
/// Every text and attribute value escapes `&`, `<`, `>`, `"` and `'` (as `&amp;`, `&lt;`, `&gt;`, `&quot;` and
/// `&#39;`); no other entity is used. Void elements close themselves (`<br/>`, `<img .../>`). Characters XML 1.0
/// cannot carry are written as U+FFFD (see ``isForbiddenInXML(_:)``). Only elements and attributes of SciLog's
/// allow-list appear.
enum SciLogHTML {
    /// `text` escaped for an element's content or an attribute value in double quotes; with `lineBreaks`, each
    /// line feed becomes `<br/>` (the text of a run or a table cell), otherwise it stays (code, attributes).
    ///
    /// Works on UTF-8 bytes: everything to escape or replace is ASCII, or U+FFFE and U+FFFF (`EF BF BE`,
    /// `EF BF BF`), so stretches between them are copied whole, and a text without any comes back as it is.
    static func escaped(_ text: String, lineBreaks: Bool = false) -> String {
        let specialBytes = lineBreaks ? specialRunBytes : specialBytes
        return text.withUTF8Bytes { bytes -> String? in
            var index = specialBytes.firstIndex(in: bytes)
            guard index < bytes.count else { return nil }
            var output: [UInt8] = []
            output.reserveCapacity(bytes.count + 16)
            var copiedUpTo = 0
            while index < bytes.count {
                let replacement: String
                var length = 1
                switch bytes[index] {
                case UInt8(ascii: "&"): replacement = "&amp;"
                case UInt8(ascii: "<"): replacement = "&lt;"
                case UInt8(ascii: ">"): replacement = "&gt;"
                case UInt8(ascii: "\""): replacement = "&quot;"
                case UInt8(ascii: "'"): replacement = "&#39;"
                case UInt8(ascii: "\n"): replacement = "<br/>"
                case 0xEF where isNoncharacterFFFEOrFFFF(bytes, at: index):
                    replacement = "\u{FFFD}"
                    length = 3
                case 0xEF:  // another three-byte character
                    index = specialBytes.firstIndex(in: bytes, from: index + 1)
                    continue
                default: replacement = "\u{FFFD}"  // a control character XML forbids
                }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copiedUpTo..<index]))
                output.append(contentsOf: replacement.utf8)
                copiedUpTo = index + length
                index = specialBytes.firstIndex(in: bytes, from: copiedUpTo)
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copiedUpTo...]))
            return String(decoding: output, as: UTF8.self)
        } ?? text
    }

    /// Whether `text` holds a character ``isForbiddenInXML(_:)`` is true for, found by a scan of its UTF-8 bytes.
    static func containsForbiddenInXML(_ text: String) -> Bool {
        text.withUTF8Bytes { bytes in
            var index = forbiddenBytes.firstIndex(in: bytes)
            while index < bytes.count {
                if bytes[index] != 0xEF || isNoncharacterFFFEOrFFFF(bytes, at: index) { return true }
                index = forbiddenBytes.firstIndex(in: bytes, from: index + 1)
            }
            return false
        }
    }

    /// Control characters XML forbids (all but tab, line feed and carriage return), and `EF`, which starts
    /// U+FFFE and U+FFFF.
    private static let forbiddenBytes = ByteSet { byte in
        switch byte {
        case 0x09, 0x0A, 0x0D: false
        case 0x00..<0x20, 0xEF: true
        default: false
        }
    }

    /// What ``escaped(_:lineBreaks:)`` looks at: markup characters and ``forbiddenBytes``.
    private static let specialBytes = ByteSet { byte in
        forbiddenBytes.contains(byte) || "&<>\"'".utf8.contains(byte)
    }

    /// ``specialBytes`` and the line feed, for the text of runs.
    private static let specialRunBytes = ByteSet { byte in specialBytes.contains(byte) || byte == UInt8(ascii: "\n") }

    /// Whether the UTF-8 sequence at `index` encodes U+FFFE or U+FFFF (`EF BF BE`, `EF BF BF`).
    private static func isNoncharacterFFFEOrFFFF(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        index + 2 < bytes.count && bytes[index] == 0xEF && bytes[index + 1] == 0xBF && bytes[index + 2] >= 0xBE
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

    /// `<p>…</p>`.
    static func paragraph(_ content: [TextRun]) -> String {
        "<p>" + inline(content) + "</p>"
    }

    /// A heading: the title (level 1) is `<h2>`, levels 2 and 3 are `<h3>` and `<h4>`, the ones SciLog's editor has.
    static func heading(level: Int, _ content: [TextRun]) -> String {
        let tag = "h\(min(max(level + 1, 2), 4))"
        return "<\(tag)>" + inline(content) + "</\(tag)>"
    }

    /// A CKEditor table: the caption as a bold paragraph above it (SciLog's editor has no table captions), the
    /// header row as `th` cells, then the `rows`; a line break in a cell is a `<br/>`, as in a paragraph.
    static func table(title: String?, columns: [String], rows: some Sequence<[String]>) -> String {
        var html = ""
        if let title, !title.isEmpty {
            html += "<p><strong>" + escaped(title) + "</strong></p>"
        }
        html += "<figure class=\"table\"><table><tbody>"
        html += "<tr>" + columns.map { "<th>" + escaped($0, lineBreaks: true) + "</th>" }.joined() + "</tr>"
        for row in rows {
            html += "<tr>" + row.map { "<td>" + escaped($0, lineBreaks: true) + "</td>" }.joined() + "</tr>"
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
    /// line feeds as `<br/>` (inside the elements of the run before the break).
    ///
    /// Between runs the writer closes the open elements the next run lacks, innermost first, and opens the ones
    /// it adds in the order above, so elements are always properly nested and a style shared by neighbouring runs
    /// stays one element. One order is kept strictly: a `mark` is always inside the `a` of its run, never around
    /// it, because a pen color on the `mark` colors the link text only from inside (around the link, the link's
    /// own color would win); so a link opens only after every open `mark` is closed. The order of the others is
    /// the one BEC's formatter writes (`mark`, `em`, `strong`).
    static func inline(_ content: [TextRun]) -> String {
        var writer = InlineWriter(reservingFor: content)
        for run in content { writer.append(run) }
        return writer.finished()
    }

    /// The UTF-8 size of ``inline(_:)`` for `content`, found without writing it: what an entry too long for
    /// SciLog needs to know of the blocks after its cut.
    static func inlineByteCount(_ content: [TextRun]) -> Int {
        var open: [InlineElement] = []
        var count = 0
        var tags = ""
        for run in content {
            tags.removeAll(keepingCapacity: true)
            InlineWriter.transition(&open, to: InlineElement.elements(for: run.style), writingTagsTo: &tags)
            count += tags.utf8.count + escapedByteCount(of: run.text, lineBreaks: true)
        }
        return open.reduce(count) { $0 + $1.closingTag.utf8.count }
    }

    /// The UTF-8 size of ``escaped(_:lineBreaks:)`` for `text`, counted on bytes: each markup character (and
    /// with `lineBreaks` each line feed) grows into its entity (`<br/>`), a control character into U+FFFD (three
    /// bytes); U+FFFE and U+FFFF are replaced by U+FFFD, also three bytes.
    static func escapedByteCount(of text: String, lineBreaks: Bool = false) -> Int {
        let specialBytes = lineBreaks ? specialRunBytes : specialBytes
        return text.withUTF8Bytes { bytes in
            var count = bytes.count
            var index = specialBytes.firstIndex(in: bytes)
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "&"), UInt8(ascii: "'"): count += 4
                case UInt8(ascii: "<"), UInt8(ascii: ">"): count += 3
                case UInt8(ascii: "\""): count += 5
                case UInt8(ascii: "\n"): count += 4
                case 0xEF: break
                default: count += 2
                }
                index = specialBytes.firstIndex(in: bytes, from: index + 1)
            }
            return count
        }
    }

    /// The UTF-8 size of `scalar` as ``escaped(_:lineBreaks:)`` writes it.
    static func escapedByteCount(of scalar: Unicode.Scalar, lineBreaks: Bool = false) -> Int {
        switch scalar {
        case "&", "'": 5
        case "<", ">": 4
        case "\"": 6
        case "\n" where lineBreaks: 5
        default: isForbiddenInXML(scalar) ? 3 : UTF8.width(scalar)
        }
    }

    /// Writes inline content element by element (see ``inline(_:)``), keeping the stack of open elements.
    private struct InlineWriter {
        private var html = ""
        private var open: [InlineElement] = []

        /// A writer with room for the text of `content` and some markup, so that the HTML grows in one step.
        init(reservingFor content: [TextRun] = []) {
            html.reserveCapacity(content.reduce(16) { size, run in size + run.text.utf8.count + run.text.utf8.count / 8 + 16 })
        }

        /// Appends a run.
        mutating func append(_ run: TextRun) {
            Self.transition(&open, to: InlineElement.elements(for: run.style), writingTagsTo: &html)
            html += escaped(run.text, lineBreaks: true)
        }

        /// The HTML so far with every open element closed.
        mutating func finished() -> String {
            while let element = open.popLast() {
                html += element.closingTag
            }
            return html
        }

        /// Closes the open elements a run with the `wanted` elements lacks (innermost first, and every highlight
        /// when a link opens), then opens the ones it adds.
        static func transition(_ open: inout [InlineElement], to wanted: [InlineElement], writingTagsTo html: inout String) {
            let opensLink = wanted.contains { $0.isLink && !open.contains($0) }
            while open.contains(where: { !wanted.contains($0) || (opensLink && $0.isHighlight) }) {
                html += open.removeLast().closingTag
            }
            for element in wanted where !open.contains(element) {
                open.append(element)
                html += element.openingTag
            }
        }
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
