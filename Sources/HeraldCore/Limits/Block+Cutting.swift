/// How one block is cut in two by the limits stage: where text blocks and tables may be cut, best first, and how the
/// pieces join again.
///
/// A block is measured in units: characters (grapheme clusters) for paragraphs, headings and code, rows for tables.
/// Attachments and stickers are never cut.
extension Block {
    /// Whether the block can be cut at all: text, code and tables can, attachments and stickers cannot.
    var isCuttable: Bool {
        switch self {
        case .heading, .paragraph, .codeBlock, .table: true
        case .attachment, .sticker: false
        }
    }

    /// The block's first `count` units (characters, or rows after the header), or `nil` when it has no more than
    /// `count` units; walks at most `count` units, so that a megabyte block is not counted to take a page of it.
    func head(units count: Int) -> Block? {
        switch self {
        case .heading(let level, let runs):
            runs.head(characters: count).map { .heading(level: level, content: $0) }
        case .paragraph(let runs):
            runs.head(characters: count).map { .paragraph($0) }
        case .codeBlock(let code, let origin):
            code.source.index(code.source.startIndex, offsetBy: count, limitedBy: code.source.endIndex)
                .flatMap { $0 == code.source.endIndex ? nil : $0 }
                .map { .codeBlock(CodeSnippet(validatedLanguage: code.language, source: String(code.source[..<$0])), origin: origin) }
        case .table(let table, let origin):
            count < table.rows.count ? .table(table.prefix(rows: count), origin: origin) : nil
        case .attachment, .sticker:
            nil
        }
    }

    /// The block cut in two at the best place within its first `count` units (fewer than it has): after the last
    /// line break there, else the last space, else after exactly `count` characters, never inside a grapheme
    /// cluster; a table between rows, each piece with the header. `nil` if no place leaves both pieces non-empty.
    func cut(within count: Int) -> (head: Block, tail: Block, join: LimitedDocument.Join)? {
        switch self {
        case .heading(let level, let runs):
            return runs.cut(within: count).map { cut in
                (Block.heading(level: level, content: cut.head), Block.heading(level: level, content: cut.tail), cut.join)
            }
        case .paragraph(let runs):
            return runs.cut(within: count).map { cut in (Block.paragraph(cut.head), Block.paragraph(cut.tail), cut.join) }
        case .codeBlock(let code, let origin):
            return [TextRun(code.source)].cut(within: count).map { cut in
                func block(_ runs: [TextRun]) -> Block {
                    .codeBlock(CodeSnippet(validatedLanguage: code.language, source: runs.plainText), origin: origin)
                }
                return (block(cut.head), block(cut.tail), cut.join)
            }
        case .table(let table, let origin):
            guard count >= 1, count < table.rows.count else { return nil }
            let tail = Table(validatedTitle: nil, columns: table.columns, rows: Array(table.rows[count...]))
            return (.table(table.prefix(rows: count), origin: origin), .table(tail, origin: origin), .withinBlock(separator: nil))
        case .attachment, .sticker:
            return nil
        }
    }

    /// The block continued by `tail`, the other piece of a ``cut(within:)`` joined by `separator`; `nil` when the
    /// two are not pieces of one block.
    func continued(by tail: Block, separator: TextRun?) -> Block? {
        switch (self, tail) {
        case (.heading(let level, let head), .heading(let restLevel, let rest)) where level == restLevel:
            .heading(level: level, content: (head + (separator.map { [$0] } ?? []) + rest).normalized())
        case (.paragraph(let head), .paragraph(let rest)):
            .paragraph((head + (separator.map { [$0] } ?? []) + rest).normalized())
        case (.codeBlock(let head, let origin), .codeBlock(let rest, _)) where head.language == rest.language:
            .codeBlock(CodeSnippet(validatedLanguage: head.language, source: head.source + (separator?.text ?? "") + rest.source), origin: origin)
        case (.table(let head, let origin), .table(let rest, _)) where head.columns == rest.columns && rest.title == nil:
            .table(Table(validatedTitle: head.title, columns: head.columns, rows: head.rows + rest.rows), origin: origin)
        default:
            nil
        }
    }

    /// The characters of the block's text (a line break counts as one; a table's title, header and cells), which a
    /// cut reports as not shown.
    var characterCount: Int {
        switch self {
        case .heading(_, let runs), .paragraph(let runs): runs.reduce(0) { $0 + $1.text.count }
        case .codeBlock(let code, _): code.source.count
        case .table(let table, _):
            ([table.title ?? ""] + table.columns + table.rows.joined()).reduce(0) { $0 + $1.count }
        case .attachment, .sticker: 0
        }
    }

    /// The start of the block's text, for naming what a cut left out.
    var leadingText: String {
        switch self {
        case .heading(_, let runs), .paragraph(let runs): String(runs.plainText.prefix(64))
        case .codeBlock(let code, _): String(code.source.prefix(64))
        case .table(let table, _): (table.rows.first ?? table.columns).joined(separator: " | ")
        case .attachment(let attachment, _): attachment.filename
        case .sticker(let sticker, _): sticker.id
        }
    }

    /// Where the block came from.
    var origin: Origin {
        switch self {
        case .heading(_, let runs), .paragraph(let runs): runs.first?.origin ?? .generated
        case .table(_, let origin), .codeBlock(_, let origin), .attachment(_, let origin), .sticker(_, let origin): origin
        }
    }
}

/// A place between characters of runs: a run and an index in its text.
private struct Place {
    var run: Int
    var index: String.Index
}

extension Array where Element == TextRun {
    /// The first `count` characters of the runs, or `nil` when they have no more.
    fileprivate func head(characters count: Int) -> [TextRun]? {
        var kept: [TextRun] = []
        var remaining = count
        for run in self {
            guard remaining > 0 else { return kept }
            guard let end = run.text.index(run.text.startIndex, offsetBy: remaining, limitedBy: run.text.endIndex) else {
                // The run has fewer characters than remain: it is kept whole.
                kept.append(run)
                remaining -= run.text.count
                continue
            }
            var piece = run
            piece.text = String(run.text[..<end])
            kept.append(piece)
            remaining = 0
            if end < run.text.endIndex { return kept }
        }
        return nil
    }

    /// The runs cut in two within their first `count` characters; see ``Block/cut(within:)``.
    fileprivate func cut(within count: Int) -> (head: [TextRun], tail: [TextRun], join: LimitedDocument.Join)? {
        var lineBreak: Place?
        var space: Place?
        var end: Place?
        var walked = 0
        walk: for (runIndex, run) in enumerated() {
            var index = run.text.startIndex
            while index < run.text.endIndex {
                // The character after the first `count` is looked at too: a break there keeps them all.
                let character = run.text[index]
                if character == "\n" {
                    lineBreak = Place(run: runIndex, index: index)
                } else if character == " " {
                    space = Place(run: runIndex, index: index)
                }
                guard walked < count else {
                    end = Place(run: runIndex, index: index)
                    break walk
                }
                walked += 1
                index = run.text.index(after: index)
            }
        }
        /// The runs before `place`, and those after it (skipping `width` characters there).
        func split(at place: Place, skipping width: Int) -> (head: [TextRun], tail: [TextRun], separator: TextRun?) {
            let run = self[place.run]
            let after = run.text.index(place.index, offsetBy: width)
            var head = Array(self[..<place.run])
            var tail = Array(self[(place.run + 1)...])
            if place.index > run.text.startIndex { head.append(TextRun(String(run.text[..<place.index]), style: run.style, origin: run.origin)) }
            if after < run.text.endIndex { tail.insert(TextRun(String(run.text[after...]), style: run.style, origin: run.origin), at: 0) }
            let separator = width == 0 ? nil : TextRun(String(run.text[place.index..<after]), style: run.style, origin: run.origin)
            return (head, tail, separator)
        }
        for (place, width) in [(lineBreak, 1), (space, 1)] {
            guard let place else { continue }
            let pieces = split(at: place, skipping: width)
            guard pieces.head.contains(where: { !$0.text.isEmpty }), pieces.tail.contains(where: { !$0.text.isEmpty }) else { continue }
            return (pieces.head, pieces.tail, .withinBlock(separator: pieces.separator))
        }
        guard var place = end else { return nil }
        // A cut between two runs must not part a cluster that only their texts together make (a combining mark
        // starting the second run): it moves back one character, which the walk never reaches twice.
        while place.index == self[place.run].text.startIndex, place.run > 0, let last = self[place.run - 1].text.last,
            let first = self[place.run].text.first, (String(last) + String(first)).count == 1
        {
            let previous = self[place.run - 1].text
            place = Place(run: place.run - 1, index: previous.index(before: previous.endIndex))
        }
        let pieces = split(at: place, skipping: 0)
        guard pieces.head.contains(where: { !$0.text.isEmpty }), pieces.tail.contains(where: { !$0.text.isEmpty }) else { return nil }
        return (pieces.head, pieces.tail, .withinBlock(separator: nil))
    }
}
