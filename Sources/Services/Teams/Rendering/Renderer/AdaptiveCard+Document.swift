import HeraldCore

extension AdaptiveCard {
    /// The card that shows a document fitted to ``TeamsRenderer/capabilities``, losslessly.
    ///
    /// All user text goes into `TextRun`s, which renderers show as written (no Markdown, no HTML, no mentions),
    /// never into a `TextBlock` or `FactSet`, whose text Teams reads as Markdown. The layout:
    /// - a heading is a `RichTextBlock` of bold runs that all state a `size` (level 1 `Large`, 2 `Medium`,
    ///   3 `Default`), so a heading never looks like a bold paragraph;
    /// - each line of a paragraph is a `RichTextBlock`; the lines after the first have spacing `None`. A line
    ///   break falls between runs, and a line feed at the start or end of a run is not shown by every renderer
    ///   (Android drops it); separate blocks show the break everywhere;
    /// - a code block is a `Container` with the `Emphasis` background holding one `RichTextBlock` of monospace
    ///   runs that keep the code's line feeds, which renderers show as line breaks inside a run. One block per
    ///   line would lose blank lines: renderers show nothing for an empty run;
    /// - a table is a `Container`: its title as a bold line, then one `ColumnSet` per row (the header in bold,
    ///   a line under it) of `stretch` columns, so that cells line up; an empty cell is a column without items,
    ///   and each line of a cell is a `RichTextBlock`, the lines after the first with spacing `None`, as in a
    ///   paragraph;
    /// - an image is an `Image` with a `data:` URI and the file name as `altText`;
    /// - the tags come last, after a line, as subtle `#tag` runs separated by plain spaces.
    ///
    /// Renderers replace `{{DATE(…)}}` and `{{TIME(…)}}` inside a `TextRun` by a formatted date, so text is split
    /// into two runs between the braces of every `{{`: the runs show the same characters side by side.
    public init(_ document: Document) {
        var body: [Element] = []
        for block in document.blocks {
            switch block {
            case .heading(let level, let content):
                let size: TextRun.Size = switch level {
                case ...1: .large
                case 2: .medium
                default: .default
                }
                body += Self.lines(of: content) { run in
                    run.bold = true
                    run.size = size
                }
            case .paragraph(let content):
                body += Self.lines(of: content) { _ in }
            case .table(let table, _):
                body.append(.container(Self.container(for: table)))
            case .codeBlock(let code, _):
                let runs = Self.runs(code.source, TextRun("", monospace: true))
                body.append(.container(Container(items: [.richTextBlock(RichTextBlock(inlines: runs))], style: .emphasis)))
            case .attachment(let attachment, _):
                // Only inline images are left after fitting (`attachments: .inlineImagesOnly`).
                let url = "data:\(attachment.mimeType);base64,\(attachment.data.base64EncodedString())"
                body.append(.image(Image(url: url, altText: attachment.filename, width: attachment.width, height: attachment.height)))
            case .sticker:
                // Absent after fitting: Teams shows no stickers (`maximumStickers: 0`).
                continue
            }
        }
        if !document.tags.isEmpty {
            var inlines: [TextRun] = []
            for (index, tag) in document.tags.enumerated() {
                if index > 0 { inlines.append(TextRun(" ")) }
                inlines += Self.runs("#" + tag, TextRun("", isSubtle: true))
            }
            body.append(.richTextBlock(RichTextBlock(inlines: inlines, separator: true)))
        }
        self.init(body: body)
    }

    /// One `RichTextBlock` per line of `content`; `adjust` styles every run (headings).
    private static func lines(of content: [HeraldCore.TextRun], adjust: (inout TextRun) -> Void) -> [Element] {
        var blocks: [Element] = []
        for line in content.lines where !line.isEmpty {
            let runs = line.flatMap { run in
                var template = Self.template(for: run.style)
                adjust(&template)
                return Self.runs(run.text, template)
            }
            blocks.append(.richTextBlock(RichTextBlock(inlines: runs, spacing: blocks.isEmpty ? nil : .zero)))
        }
        return blocks
    }

    /// A run with the properties of `style` and no text.
    private static func template(for style: TextStyle) -> TextRun {
        TextRun(
            "", bold: style.bold, italic: style.italic, strikethrough: style.strikethrough, monospace: style.monospace,
            color: style.color.flatMap(color(for:)), link: style.link?.url)
    }

    /// The card color showing `color`; `nil` for the default text color.
    private static func color(for color: TextColor) -> TextRun.Color? {
        switch color {
        case .red: .attention
        case .green: .good
        case .yellow: .warning
        case .blue: .accent
        case .black: nil
        // Absent after fitting, which approximates pink by red and reports it.
        case .pink: .attention
        }
    }

    /// Runs of `template`'s style holding `text`, split between the braces of every `{{`.
    ///
    /// Braces are ASCII, so the split points are found on UTF-8 bytes; a text without `{{` (nearly all) becomes
    /// one run as it is.
    private static func runs(_ text: String, _ template: TextRun) -> [TextRun] {
        let splits: [Int] = text.withUTF8Bytes { bytes in
            var splits: [Int] = []
            var index = openingBraces.firstIndex(in: bytes, from: 1)
            while index < bytes.count {
                if bytes[index - 1] == UInt8(ascii: "{") { splits.append(index) }
                index = openingBraces.firstIndex(in: bytes, from: index + 1)
            }
            return splits
        }
        guard !splits.isEmpty else { return [with(template, text: text)] }
        var runs: [TextRun] = []
        var start = 0
        for split in splits + [text.utf8.count] {
            runs.append(with(template, text: String(text.slice(utf8Offsets: start..<split))))
            start = split
        }
        return runs
    }

    private static let openingBraces = ByteSet { $0 == UInt8(ascii: "{") }

    private static func with(_ template: TextRun, text: String) -> TextRun {
        var run = template
        run.text = text
        return run
    }

    /// The table as a container of rows; see ``init(_:)``.
    private static func container(for table: Table) -> Container {
        func row(_ cells: [String], bold: Bool, spacing: Spacing?, separator: Bool) -> Element {
            let columns = cells.map { cell in
                Column(items: cell.split(separator: "\n").enumerated().map { index, line in
                    .richTextBlock(RichTextBlock(inlines: runs(String(line), TextRun("", bold: bold)), spacing: index == 0 ? nil : .zero))
                })
            }
            return .columnSet(ColumnSet(columns: columns, spacing: spacing, separator: separator))
        }
        var items: [Element] = []
        if let title = table.title, !title.isEmpty {
            items.append(.richTextBlock(RichTextBlock(inlines: runs(title, TextRun("", bold: true)))))
        }
        items.append(row(table.columns, bold: true, spacing: nil, separator: false))
        for (index, cells) in table.rows.enumerated() {
            items.append(row(cells, bold: false, spacing: .small, separator: index == 0))
        }
        return Container(items: items)
    }
}
