import Herald
import HeraldValidation

/// Reads a SciLog entry's HTML back with libxml2's HTML parser (through ``HTMLFragment``) into ``EntryBlock``s, and
/// turns fitted documents into the same form, so a test can compare what the logbook shows with what Herald meant.
///
/// The reader knows SciLog's markup from its specification (docs/services.md), not from the renderer: `p`, `h2`-`h4`,
/// `strong`, `em`, `s`, `code`, `a href`, `mark class`, `br`, `figure.table`, `pre > code.language-*`,
/// `figure.image > img[title]` and `p > a.fileLink`. Anything else reads as ``EntryBlock/other(_:)``.
public enum SciLogHTMLReader {
    /// The colors of SciLog's highlight classes, as docs/services.md maps them.
    public static let highlightColors: [String: TextColor] = [
        "pen-red": .red, "pen-green": .green, "marker-yellow": .yellow, "marker-pink": .pink, "marker-blue": .blue,
    ]

    /// The blocks of `html`.
    public static func read(_ html: String) -> [EntryBlock] {
        HTMLFragment(parsing: html).nodes.map(block)
    }

    /// What the entry for `document` (fitted to SciLog) should read back as; `files` are the payload's file
    /// hashes, in order, which the attachments' references must name. Characters XML 1.0 cannot carry are
    /// expected as U+FFFD.
    public static func expectedBlocks(for document: Document, fileHashes: [String]) -> [EntryBlock] {
        expectedBlocksBeforeXMLReplacement(for: document, fileHashes: fileHashes).map(\.withXMLCharacters)
    }

    private static func expectedBlocksBeforeXMLReplacement(for document: Document, fileHashes: [String]) -> [EntryBlock] {
        var blocks: [EntryBlock] = []
        var hashes = fileHashes.makeIterator()
        for block in document.blocks {
            switch block {
            case .heading(let level, let content): blocks.append(.heading(level: level + 1, ReadSpan.expected(for: content)))
            case .paragraph(let content): blocks.append(.paragraph(ReadSpan.expected(for: content)))
            case .table(let table, _):
                if let title = table.title, !title.isEmpty {
                    blocks.append(.paragraph([ReadSpan(text: title, bold: true)]))
                }
                blocks.append(.table(header: table.columns, rows: table.rows))
            case .codeBlock(let code, _):
                let languageClass = code.language.map { "language-" + String($0.map { $0 == "." ? "-" : $0 }) }
                blocks.append(.codeBlock(languageClass: languageClass, code.source))
            case .attachment(let attachment, _):
                let hash = hashes.next() ?? "(missing files entry)"
                blocks.append(attachment.isInlineImage ? .image(fileHash: hash) : .fileLink(fileHash: hash, name: attachment.filename))
            case .sticker:
                blocks.append(.other("stickers are not expected on SciLog"))
            }
        }
        return blocks
    }

    private static func block(_ node: HTMLNode) -> EntryBlock {
        guard case .element(let element) = node else { return .other("top-level \(node)") }
        switch (element.name, element.attributes) {
        case ("p", [:]):
            if element.children.count == 1, case .element(let link) = element.children[0], link.name == "a",
                link.attributes["class"] == "fileLink", let href = link.attributes["href"], href.hasPrefix("file:")
            {
                guard link.attributes == ["class": "fileLink", "target": "_blank", "href": href] else { return .other("file link \(link)") }
                return .fileLink(fileHash: String(href.dropFirst("file:".count)), name: text(of: link.children))
            }
            return paragraph(element.children).map(EntryBlock.paragraph) ?? .other("paragraph \(element)")
        case ("h2", [:]), ("h3", [:]), ("h4", [:]):
            let level = Int(String(element.name.dropFirst()))!
            return paragraph(element.children).map { .heading(level: level, $0) } ?? .other("heading \(element)")
        case ("figure", ["class": "table"]):
            return table(element) ?? .other("table \(element)")
        case ("figure", ["class": "image image_resized"]):
            guard element.children.count == 1, case .element(let image) = element.children[0], image.name == "img",
                image.attributes["src"] == "", let title = image.attributes["title"], image.attributes.count == 2
            else { return .other("image \(element)") }
            return .image(fileHash: title)
        case ("pre", [:]):
            guard element.children.count == 1, case .element(let code) = element.children[0], code.name == "code",
                code.attributes.keys.allSatisfy({ $0 == "class" }),
                code.children.allSatisfy({ if case .text = $0 { true } else { false } })
            else { return .other("code block \(element)") }
            return .codeBlock(languageClass: code.attributes["class"], text(of: code.children))
        default:
            return .other("element \(element)")
        }
    }

    private static func table(_ figure: HTMLElement) -> EntryBlock? {
        guard figure.children.count == 1, case .element(let table) = figure.children[0], table.name == "table",
            table.attributes.isEmpty, table.children.count == 1, case .element(let body) = table.children[0],
            body.name == "tbody", body.attributes.isEmpty
        else { return nil }
        guard let rows = HTMLTableRows.read(body.children, cell: { $0.attributes.isEmpty ? cellText($0.children) : nil }) else { return nil }
        return .table(header: rows.header, rows: rows.rows)
    }

    /// The text of a table cell, a `br` read as a line feed; `nil` if it holds anything else, or a line ending in
    /// its text, which HTML shows as a space.
    private static func cellText(_ nodes: [HTMLNode]) -> String? {
        var text = ""
        for node in nodes {
            switch node {
            case .text(let piece) where !piece.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" }): text += piece
            case .element(let element) where element.name == "br" && element.attributes.isEmpty && element.children.isEmpty:
                text += "\n"
            default: return nil
            }
        }
        return text
    }

    /// The spans of inline content, or `nil` if it holds anything but text, `br` and the styling elements.
    private static func paragraph(_ nodes: [HTMLNode]) -> [ReadSpan]? {
        ReadSpan.reading(nodes, lineBreaks: true) { element, span in
            switch (element.name, element.attributes) {
            case ("strong", [:]): span.bold = true
            case ("em", [:]): span.italic = true
            case ("s", [:]): span.strikethrough = true
            case ("code", [:]): span.code = true
            case ("a", let attributes) where attributes.count == 1 && attributes["href"] != nil && span.link == nil:
                span.link = attributes["href"]
            case ("mark", let attributes) where attributes.count == 1 && span.color == nil:
                guard let color = attributes["class"].flatMap({ highlightColors[$0] }) else { return false }
                span.color = color
            default:
                return false
            }
            return true
        }
    }

    private static func text(of nodes: [HTMLNode]) -> String {
        nodes.map { if case .text(let text) = $0 { text } else { "" } }.joined()
    }
}

/// A block of a SciLog entry as a reader sees it.
public enum EntryBlock: Hashable, Sendable {
    /// `h2` to `h4`.
    case heading(level: Int, [ReadSpan])
    /// A paragraph.
    case paragraph([ReadSpan])
    /// A table: the header cells, then the body rows.
    case table(header: [String], rows: [[String]])
    /// A code block with the `class` of its `code` element.
    case codeBlock(languageClass: String?, String)
    /// An image, by the file hash in its `title`.
    case image(fileHash: String)
    /// A link to a file, by hash, with the text shown.
    case fileLink(fileHash: String, name: String)
    /// Anything else: always a failure in these tests.
    case other(String)
}

extension EntryBlock {
    /// The block with every character XML 1.0 forbids (C0 controls but tab, line feed and carriage return;
    /// U+FFFE; U+FFFF) replaced by U+FFFD.
    fileprivate var withXMLCharacters: EntryBlock {
        func replaced(_ text: String) -> String {
            String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
                switch scalar.value {
                case 0x09, 0x0A, 0x0D: scalar
                case 0x00...0x1F, 0xFFFE, 0xFFFF: "\u{FFFD}"
                default: scalar
                }
            }))
        }
        func replaced(_ spans: [ReadSpan]) -> [ReadSpan] {
            spans.map { span in
                var span = span
                span.text = replaced(span.text)
                return span
            }
        }
        switch self {
        case .heading(let level, let spans): return .heading(level: level, replaced(spans))
        case .paragraph(let spans): return .paragraph(replaced(spans))
        case .table(let header, let rows): return .table(header: header.map(replaced), rows: rows.map { $0.map(replaced) })
        case .codeBlock(let languageClass, let code): return .codeBlock(languageClass: languageClass, replaced(code))
        case .fileLink(let hash, let name): return .fileLink(fileHash: hash, name: replaced(name))
        case .image, .other: return self
        }
    }
}

