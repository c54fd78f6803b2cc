import HeraldCore

/// Renders CommonMark with GitHub Flavored Markdown extensions (tables, strikethrough) in which every character
/// the sender wrote stays literal.
///
/// Bold is `**`, italic `_`, strikethrough `~~`, monospace a code span with a long-enough fence, links
/// `[text](<url>)`, the title a level-1 ATX heading, tables GFM tables (caption as a bold line above), code a
/// fenced block. Text is escaped by ``MarkdownInlineWriter``. Colors, attachments and stickers cannot travel in
/// Markdown: fitting reports them (attachments are named in an italic line instead). A GFM table row is one line
/// and a cell holds no hard break (only raw HTML such as `<br>`, which safe renderers drop, so the lines would run
/// together), so the lines of a cell are joined by ` ↵ `, which fitting reports.
public struct MarkdownRenderer: ServiceRenderer {
    /// Creates the renderer.
    public init() {}

    /// Markdown shows every emphasis, links, headings, tables (one line per cell) and code languages; no colors or
    /// files.
    public var capabilities: Capabilities { Self.markdownCapabilities }

    // Made once: a render reads the capabilities several times.
    private static let markdownCapabilities = Capabilities(
        serviceName: "Markdown", styles: Set(StyleFeature.allCases), colors: [.black: .serviceDefault],
        links: .native, headings: .native, tables: .singleLineCells(lineSeparator: " ↵ "), codeLanguages: true,
        attachments: .nameOnly, maximumStickers: 0, tags: .hashtagParagraph)

    /// Removes strikethrough where Markdown cannot spell it (see ``MarkdownInlineWriter``), reporting each run.
    ///
    /// Each line of a paragraph is fitted on its own: every style closes at a line break, so the conflicts of one
    /// line never depend on another, and fixing one conflict (which re-examines the content) costs a line, not
    /// the whole paragraph.
    public func adjusted(_ document: Document) -> FittingResult {
        var adjusted = document
        var degradations: [Degradation] = []
        for (blockIndex, block) in document.blocks.enumerated() {
            // A conflict needs strikethrough; most paragraphs have none.
            guard block.runs.contains(where: \.style.strikethrough) else { continue }
            var lines = block.runs.lines
            var changed = false
            for lineIndex in lines.indices {
                var conflicts = MarkdownInlineWriter.strikethroughConflicts(in: lines[lineIndex])
                while let index = conflicts.first, lines[lineIndex][index].style.strikethrough {
                    lines[lineIndex][index].style.strikethrough = false
                    changed = true
                    let run = lines[lineIndex][index]
                    degradations.append(Degradation(
                        kind: .styleNotShown, origin: run.origin, subject: run.text,
                        message: "strikethrough not shown on Markdown: GFM cannot put it directly beside bold or italic that ends or starts with punctuation or a space"))
                    conflicts = MarkdownInlineWriter.strikethroughConflicts(in: lines[lineIndex])
                }
            }
            guard changed else { continue }
            switch block {
            case .heading(let level, _): adjusted.blocks[blockIndex] = .heading(level: level, content: [TextRun](lines: lines))
            default: adjusted.blocks[blockIndex] = .paragraph([TextRun](lines: lines))
            }
        }
        return FittingResult(document: adjusted, degradations: degradations)
    }

    /// The Markdown text: blocks separated by a blank line, ending with a line feed.
    public func renderFitted(_ document: Document) -> RenderedPayload {
        var output: [UInt8] = []
        output.reserveCapacity(Self.estimatedByteCount(of: document))
        var wroteBlock = false
        func startBlock() {
            if wroteBlock { output.append(contentsOf: "\n\n".utf8) }
            wroteBlock = true
        }
        for block in document.blocks {
            switch block {
            case .heading(let level, let content):
                startBlock()
                output.append(contentsOf: repeatElement(UInt8(ascii: "#"), count: min(max(level, 1), 6)))
                output.append(UInt8(ascii: " "))
                MarkdownInlineWriter.render(content, into: &output)
            case .paragraph(let content):
                startBlock()
                MarkdownInlineWriter.render(content, into: &output)
            case .table(let table, _):
                startBlock()
                if let title = table.title {
                    MarkdownInlineWriter.render([TextRun(title, style: TextStyle(bold: true))], into: &output)
                    output.append(contentsOf: "\n\n".utf8)
                }
                Self.appendTable(table, to: &output)
            case .codeBlock(let code, _):
                startBlock()
                Self.appendFencedCode(code, to: &output)
            case .attachment, .sticker:
                // Absent after fitting: Markdown carries no files (`attachments: .nameOnly`) and no stickers.
                continue
            }
        }
        if wroteBlock { output.append(UInt8(ascii: "\n")) }
        return RenderedPayload(textBody: output)
    }

    /// The text's size plus room for escapes, so that the output grows in one allocation.
    private static func estimatedByteCount(of document: Document) -> Int {
        document.blocks.reduce(16) { size, block in
            switch block {
            case .heading(_, let content), .paragraph(let content):
                size + content.reduce(8) { size, run in
                    size + run.text.utf8.count + run.text.utf8.count / 8 + 8 + (run.style.link.map { $0.url.utf8.count + 8 } ?? 0)
                }
            case .codeBlock(let code, _): size + code.source.utf8.count + 16
            case .table(let table, _): size + table.rows.count * table.columns.count * 16 + 64
            case .attachment, .sticker: size
            }
        }
    }

    private static func appendTable(_ table: Table, to output: inout [UInt8]) {
        func appendRow(_ cells: [String]) {
            output.append(contentsOf: "| ".utf8)
            for (index, cell) in cells.enumerated() {
                if index > 0 { output.append(contentsOf: " | ".utf8) }
                if !cell.isEmpty { MarkdownInlineWriter.render([TextRun(cell)], into: &output) }
            }
            output.append(contentsOf: " |".utf8)
        }
        appendRow(table.columns)
        output.append(contentsOf: "\n|".utf8)
        for _ in table.columns { output.append(contentsOf: " --- |".utf8) }
        for row in table.rows {
            output.append(UInt8(ascii: "\n"))
            appendRow(row)
        }
    }

    /// A fenced code block whose backtick fence is longer than any backtick run in the code.
    private static func appendFencedCode(_ code: CodeSnippet, to output: inout [UInt8]) {
        let fence = repeatElement(UInt8(ascii: "`"), count: max(3, longestRun(of: UInt8(ascii: "`"), in: code.source) + 1))
        output.append(contentsOf: fence)
        output.append(contentsOf: (code.language ?? "").utf8)
        output.append(UInt8(ascii: "\n"))
        output.append(contentsOf: code.source.utf8)
        output.append(UInt8(ascii: "\n"))
        output.append(contentsOf: fence)
    }
}

/// The length of the longest run of `byte` (an ASCII character) in `text`'s UTF-8 encoding.
func longestRun(of byte: UInt8, in text: some StringProtocol) -> Int {
    var longest = 0
    var current = 0
    for other in text.utf8 {
        current = other == byte ? current + 1 : 0
        longest = max(longest, current)
    }
    return longest
}
