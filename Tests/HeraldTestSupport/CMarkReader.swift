import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Herald

/// Reads Markdown back with Debian's `cmark-gfm` (a parser Herald did not write) into ``ReadBlock``s, and turns
/// documents into the same form, so a test can compare what a reader sees with what Herald meant.
public enum CMarkReader {
    /// Parses `markdown` with GFM tables, strikethrough and autolinks, as chat tools do.
    public static func read(_ markdown: String) throws -> [ReadBlock] {
        let result = try ExternalCommand.run(
            "cmark-gfm", ["-e", "table", "-e", "strikethrough", "-e", "autolink", "--to", "xml"], input: Data(markdown.utf8))
        guard result.status == 0 else {
            throw ReaderError("cmark-gfm failed (\(result.status)); is it installed (apt-get install cmark-gfm)? \(result.output)")
        }
        return try XMLTreeBuilder.blocks(from: Data(result.output.utf8))
    }

    /// What `document` should read back as.
    public static func expectedBlocks(for document: Document) -> [ReadBlock] {
        var blocks: [ReadBlock] = []
        for block in document.blocks {
            switch block {
            case .heading(let level, let content): blocks.append(.heading(level: level, spans(content)))
            case .paragraph(let content): blocks.append(.paragraph(spans(content)))
            case .table(let table, _):
                if let title = table.title { blocks.append(.paragraph(spans([TextRun(title, style: TextStyle(bold: true))]))) }
                let rows = ([table.columns] + table.rows).map { $0.map { $0.isEmpty ? [] : [ReadSpan(text: $0)] } }
                blocks.append(.table(rows))
            case .codeBlock(let code, _): blocks.append(.codeBlock(info: code.language ?? "", code.source + "\n"))
            case .attachment, .sticker: blocks.append(.other("not expected in Markdown"))
            }
        }
        return blocks
    }

    private static func spans(_ content: [TextRun]) -> [ReadSpan] {
        markdownNormalized(ReadSpan.expected(for: content))
    }

    /// Spans normalized, with e-mail autolinks (which GFM makes of any address, `mailto:` or `xmpp:` one included,
    /// and no escaping prevents) read as plain text: the text is still shown literally, only clickable.
    static func markdownNormalized(_ spans: [ReadSpan]) -> [ReadSpan] {
        ReadSpan.normalized(spans.map { span in
            var span = span
            if let link = span.link, link == "mailto:" + span.text || (link == span.text && link.contains("@") && !link.contains("//")) {
                span.link = nil
            }
            return span
        })
    }
}

/// A block as a Markdown reader sees it.
public enum ReadBlock: Hashable, Sendable {
    /// A heading.
    case heading(level: Int, [ReadSpan])
    /// A paragraph.
    case paragraph([ReadSpan])
    /// A table: the header row, then the body rows; each cell a list of spans.
    case table([[[ReadSpan]]])
    /// A fenced or indented code block.
    case codeBlock(info: String, String)
    /// Anything else (a list, a quote, raw HTML, ...): always a failure in these tests.
    case other(String)
}

/// A failure of a test helper.
public struct ReaderError: Error, CustomStringConvertible {
    /// What went wrong.
    public var description: String
    /// Creates an error.
    public init(_ description: String) { self.description = description }
}

/// Builds ``ReadBlock``s from cmark-gfm's XML.
private final class XMLTreeBuilder: NSObject, XMLParserDelegate {
    private var blocks: [ReadBlock] = []
    private var spans: [ReadSpan] = []
    private var styleStack: [(name: String, destination: String?)] = []
    private var text = ""
    private var collecting = false
    private var headingLevel = 0
    private var codeInfo = ""
    private var rows: [[[ReadSpan]]] = []
    private var cells: [[ReadSpan]] = []
    private var failure: String?

    static func blocks(from xml: Data) throws -> [ReadBlock] {
        let builder = XMLTreeBuilder()
        let parser = XMLParser(data: xml)
        parser.delegate = builder
        guard parser.parse() else { throw ReaderError("cmark-gfm wrote XML that does not parse: \(String(describing: parser.parserError))") }
        if let failure = builder.failure { throw ReaderError(failure) }
        return builder.blocks
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch name {
        case "document", "table_header", "table_row": break
        case "paragraph", "table_cell": spans = []
        case "heading": spans = []; headingLevel = Int(attributes["level"] ?? "") ?? 0
        case "table": rows = []
        case "text", "code": text = ""; collecting = true
        case "code_block": text = ""; collecting = true; codeInfo = attributes["info"] ?? ""
        case "strong", "emph", "strikethrough": styleStack.append((name, nil))
        case "link": styleStack.append((name, attributes["destination"] ?? ""))
        case "linebreak": spans.append(ReadSpan(text: "\n", isLineBreak: true))
        case "softbreak": blocks.append(.other("softbreak (a line ending that is not a hard break)"))
        default: blocks.append(.other(name))
        }
        if name == "table_header" || name == "table_row" { cells = [] }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if collecting { text += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "text", "code":
            collecting = false
            var span = ReadSpan(text: text, code: name == "code")
            for (style, destination) in styleStack {
                switch style {
                case "strong": span.bold = true
                case "emph": span.italic = true
                case "strikethrough": span.strikethrough = true
                default: span.link = destination
                }
            }
            spans.append(span)
        case "strong", "emph", "strikethrough", "link": styleStack.removeLast()
        case "paragraph": blocks.append(.paragraph(CMarkReader.markdownNormalized(spans)))
        case "heading": blocks.append(.heading(level: headingLevel, CMarkReader.markdownNormalized(spans)))
        case "table_cell": cells.append(CMarkReader.markdownNormalized(spans))
        case "table_header", "table_row": rows.append(cells)
        case "table": blocks.append(.table(rows))
        case "code_block": collecting = false; blocks.append(.codeBlock(info: codeInfo, text))
        default: break
        }
    }
}
