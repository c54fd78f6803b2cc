import HeraldCore

extension Document {
    /// A document cut short, and where the cut fell.
    struct Cut {
        /// The document, ending where the cut fell.
        var document: Document
        /// Where the first content not kept came from.
        var origin: Origin
        /// The start of the text not kept, when the cut fell in text.
        var removedText: String?
    }

    /// How many characters a cut can remove: those of every block after the title (the leading headings). A line
    /// break counts as one character, an attachment as none.
    var truncatableCharacterCount: Int {
        blocks.dropFirst(titleBlockCount).reduce(0) { $0 + $1.characterCount }
    }

    /// The document with its title and the first `count` characters of the content after it.
    ///
    /// The cut never splits a character; a paragraph keeps its first runs, a table its first whole rows, a code
    /// block its first characters; a block left empty is dropped. Tags are kept.
    func keepingContent(_ count: Int) -> Cut {
        var kept = Array(blocks.prefix(titleBlockCount))
        var remaining = count
        for block in blocks.dropFirst(titleBlockCount) {
            let size = block.characterCount
            if size <= remaining {
                kept.append(block)
                remaining -= size
                continue
            }
            let part = block.prefix(remaining)
            if let partBlock = part.block { kept.append(partBlock) }
            return Cut(document: Document(event: event, tags: tags, blocks: kept), origin: part.origin, removedText: part.removedText)
        }
        return Cut(document: self, origin: .generated, removedText: nil)
    }

    private var titleBlockCount: Int {
        blocks.prefix { block in
            if case .heading = block { return true }
            return false
        }.count
    }
}

extension Block {
    /// The characters of the block's text: runs (a line feed counts as one), table title and cells, code.
    fileprivate var characterCount: Int {
        switch self {
        case .heading(_, let content), .paragraph(let content):
            content.reduce(0) { $0 + $1.text.characterCount }
        case .table(let table, _):
            table.headCharacterCount + table.rows.reduce(0) { $0 + $1.characterCount }
        case .codeBlock(let code, _):
            code.source.characterCount
        case .attachment, .sticker:
            0
        }
    }

    /// The block cut after `count` characters (fewer than it has), or `nil` if nothing is left; with where the cut
    /// fell.
    fileprivate func prefix(_ count: Int) -> (block: Block?, origin: Origin, removedText: String?) {
        switch self {
        case .heading(let level, let content):
            let part = Self.prefix(of: content, count)
            return (part.kept.isEmpty ? nil : .heading(level: level, content: part.kept), part.origin, part.removedText)
        case .paragraph(let content):
            let part = Self.prefix(of: content, count)
            return (part.kept.isEmpty ? nil : .paragraph(part.kept), part.origin, part.removedText)
        case .table(let table, let origin):
            guard table.headCharacterCount <= count else { return (nil, origin, table.title ?? table.columns[0]) }
            var remaining = count - table.headCharacterCount
            let keptRows = table.rows.prefix { row in
                guard row.characterCount <= remaining else { return false }
                remaining -= row.characterCount
                return true
            }.count
            return (.table(table.prefix(rows: keptRows), origin: origin), origin, table.rows[keptRows].joined(separator: " | "))
        case .codeBlock(let code, let origin):
            return (code.prefix(characters: count).map { .codeBlock($0, origin: origin) }, origin, String(code.source.dropFirst(count)))
        case .attachment(_, let origin), .sticker(_, let origin):
            return (nil, origin, nil)
        }
    }

    /// The first `count` characters of `content`, and where the rest starts.
    private static func prefix(of content: [TextRun], _ count: Int) -> (kept: [TextRun], origin: Origin, removedText: String?) {
        var kept: [TextRun] = []
        var remaining = count
        for run in content {
            let size = run.text.characterCount
            if size <= remaining {
                kept.append(run)
                remaining -= size
                continue
            }
            var keptRun = run
            keptRun.text = String(run.text.prefix(remaining))
            kept.append(keptRun)
            // What is not kept starts with the next character shown: not a line break.
            let removed = run.text.dropFirst(remaining)
            return (kept.normalized(), run.origin, String(removed.first == "\n" ? removed.dropFirst() : removed))
        }
        return (kept.normalized(), .generated, nil)
    }
}

extension Table {
    /// The characters of the title and the header.
    fileprivate var headCharacterCount: Int { (title?.characterCount ?? 0) + columns.characterCount }
}

extension [String] {
    /// The characters of all the strings.
    fileprivate var characterCount: Int { reduce(0) { $0 + $1.characterCount } }
}
