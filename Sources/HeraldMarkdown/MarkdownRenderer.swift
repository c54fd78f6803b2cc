import HeraldCore

/// Renders CommonMark with GitHub Flavored Markdown extensions (tables, strikethrough) in which every character
/// the sender wrote stays literal.
///
/// Bold is `**`, italic `_`, strikethrough `~~`, monospace a code span with a long-enough fence, links
/// `[text](<url>)`, the title a level-1 ATX heading, tables GFM tables (caption as a bold line above), code a
/// fenced block. Text is escaped by ``MarkdownInlineWriter``. Colors, attachments and stickers cannot travel in
/// Markdown: fitting reports them (attachments are named in an italic line instead).
public struct MarkdownRenderer: ServiceRenderer {
    /// Creates the renderer.
    public init() {}

    /// Markdown shows every emphasis, links, headings, tables and code languages; no colors or files.
    public var capabilities: Capabilities {
        Capabilities(
            serviceName: "Markdown", styles: Set(StyleFeature.allCases), colors: [.black: .serviceDefault],
            links: .native, headings: .native, tables: .native, codeLanguages: true, attachments: .nameOnly,
            maximumStickers: 0, tags: .hashtagParagraph)
    }

    /// Removes strikethrough where Markdown cannot spell it (see ``MarkdownInlineWriter``), reporting each run.
    public func adjusted(_ document: Document) -> FittingResult {
        var adjusted = document
        var degradations: [Degradation] = []
        for (blockIndex, block) in document.blocks.enumerated() {
            var content: [Inline]
            switch block {
            case .paragraph(let inlines), .heading(_, let inlines): content = inlines
            case .table, .codeBlock, .attachment, .sticker: continue
            }
            var conflicts = MarkdownInlineWriter.strikethroughConflicts(in: content)
            guard !conflicts.isEmpty else { continue }
            while let index = conflicts.first {
                guard case .text(var run) = content[index], run.style.strikethrough else { break }
                run.style.strikethrough = false
                content[index] = .text(run)
                degradations.append(Degradation(
                    kind: .styleNotShown, origin: run.origin, subject: run.text,
                    message: "strikethrough not shown on Markdown: GFM cannot put it directly beside bold or italic that ends or starts with punctuation or a space"))
                conflicts = MarkdownInlineWriter.strikethroughConflicts(in: content)
            }
            switch block {
            case .heading(let level, _): adjusted.blocks[blockIndex] = .heading(level: level, content: content.normalized())
            default: adjusted.blocks[blockIndex] = .paragraph(content.normalized())
            }
        }
        return FittingResult(document: adjusted, degradations: degradations)
    }

    /// The Markdown text: blocks separated by a blank line, ending with a line feed.
    public func renderFitted(_ document: Document) -> RenderedPayload {
        var blocks: [String] = []
        blocks.reserveCapacity(document.blocks.count)
        for block in document.blocks {
            switch block {
            case .heading(let level, let content):
                blocks.append(String(repeating: "#", count: min(max(level, 1), 6)) + " " + MarkdownInlineWriter.render(content))
            case .paragraph(let content):
                blocks.append(MarkdownInlineWriter.render(content))
            case .table(let table, _):
                if let title = table.title {
                    blocks.append(MarkdownInlineWriter.render([.text(TextRun(title, style: TextStyle(bold: true)))]))
                }
                blocks.append(Self.table(table))
            case .codeBlock(let code, _):
                blocks.append(Self.fencedCode(code))
            case .attachment, .sticker:
                // Absent after fitting: Markdown carries no files (`attachments: .nameOnly`) and no stickers.
                continue
            }
        }
        return RenderedPayload(text: blocks.isEmpty ? "" : blocks.joined(separator: "\n\n") + "\n")
    }

    private static func table(_ table: Table) -> String {
        func row(_ cells: [String]) -> String {
            "| " + cells.map { $0.isEmpty ? "" : MarkdownInlineWriter.render([.text(TextRun($0))]) }.joined(separator: " | ") + " |"
        }
        var lines = [row(table.columns), "|" + String(repeating: " --- |", count: table.columns.count)]
        lines.append(contentsOf: table.rows.map(row))
        return lines.joined(separator: "\n")
    }

    /// A fenced code block whose backtick fence is longer than any backtick run in the code.
    private static func fencedCode(_ code: CodeSnippet) -> String {
        let fence = String(repeating: "`", count: max(3, longestRun(of: "`", in: code.source) + 1))
        return fence + (code.language ?? "") + "\n" + code.source + "\n" + fence
    }
}

/// The length of the longest run of `character` in `text`.
func longestRun(of character: Unicode.Scalar, in text: String) -> Int {
    var longest = 0
    var current = 0
    for scalar in text.unicodeScalars {
        current = scalar == character ? current + 1 : 0
        longest = max(longest, current)
    }
    return longest
}
