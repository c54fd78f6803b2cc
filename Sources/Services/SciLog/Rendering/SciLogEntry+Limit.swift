import HeraldCore

extension SciLogEntry {
    /// The entry's `textcontent` and `files` when its HTML may take at most `maximumBytes` UTF-8 bytes.
    ///
    /// Over the limit, the entry keeps every whole block that fits, then as much of the next one as fits (cut
    /// between characters of a paragraph, heading or code block, or between rows of a table; an attachment is
    /// kept whole or not at all), and ends with a visible marker paragraph. The result is always complete,
    /// well-formed markup, its `files` are exactly the attachments it still shows, and the cut is reported as
    /// ``Degradation/Kind/truncated``.
    func textContent(limitedTo maximumBytes: Int) throws(RenderError) -> (html: String, files: [SciLogFile], degradations: [Degradation]) {
        let total = pieces.reduce(0) { $0 + $1.byteCount }
        guard total > maximumBytes else {
            // Every piece was written: their HTML never exceeded the limit (see `init(_:limit:)`).
            return (pieces.map { $0.html! }.joined(), pieces.compactMap(\.file), [])
        }
        let marker = Self.truncationMarker(maximumBytes: maximumBytes)
        let budget = maximumBytes - marker.utf8.count
        guard budget >= 0 else {
            throw RenderError(reason: "a SciLog entry limited to \(maximumBytes) bytes cannot hold even the truncation marker (\(marker.utf8.count) bytes)")
        }
        var kept: [Piece] = []
        var used = 0
        var cut = pieces.startIndex
        while cut < pieces.endIndex, used + pieces[cut].byteCount <= budget {
            used += pieces[cut].byteCount
            kept.append(pieces[cut])
            cut += 1
        }
        let partial = Self.largestPart(of: pieces[cut].block, fitting: budget - used)
        let dropped = pieces[(partial == nil ? cut : cut + 1)...]
        var message = "entry cut \(partial == nil ? "before" : "inside") this block: its HTML needs \(total) bytes, "
            + "the limit for SciLog entries is \(maximumBytes)"
        if !dropped.isEmpty {
            let attachments = dropped.filter { $0.file != nil }.count
            message += "; \(dropped.count) more block\(dropped.count == 1 ? "" : "s") not shown"
            if attachments > 0 { message += ", with \(attachments) attachment\(attachments == 1 ? "" : "s") not delivered" }
        }
        let degradation = Degradation(kind: .truncated, origin: pieces[cut].origin, subject: nil, message: message)
        // The kept pieces were written: their HTML fits in the budget, below the limit (see `init(_:limit:)`).
        let html = kept.map { $0.html! }.joined() + (partial ?? "") + marker
        return (html, kept.compactMap(\.file), [degradation])
    }

    /// The paragraph ending a truncated entry.
    static func truncationMarker(maximumBytes: Int) -> String {
        SciLogHTML.paragraph([TextRun(
            "[Truncated: the rest of this message does not fit in one logbook entry of at most \(maximumBytes) bytes.]",
            style: TextStyle(italic: true))])
    }

    /// The HTML of the longest non-empty beginning of `block` that takes at most `budget` bytes, or `nil`.
    ///
    /// A paragraph, heading or code block is cut between characters (a line break counts as one), a table between
    /// rows (keeping the header); an attachment is never cut. A beginning's HTML grows with its length, so text is
    /// cut where its HTML first outgrows the budget (one pass), and a table by a binary search over its rows.
    private static func largestPart(of block: Block, fitting budget: Int) -> String? {
        switch block {
        case .heading(let level, let content):
            let wrapper = SciLogHTML.heading(level: level, []).utf8.count
            let beginning = SciLogHTML.longestBeginning(of: content, fittingIn: budget - wrapper)
            return beginning.isEmpty ? nil : SciLogHTML.heading(level: level, beginning)
        case .paragraph(let content):
            let wrapper = SciLogHTML.paragraph([]).utf8.count
            let beginning = SciLogHTML.longestBeginning(of: content, fittingIn: budget - wrapper)
            return beginning.isEmpty ? nil : SciLogHTML.paragraph(beginning)
        case .codeBlock(let code, _):
            let className = code.language.map(languageClass)
            var used = SciLogHTML.codeBlock("", languageClass: className).utf8.count
            var end = code.source.startIndex
            for character in code.source {
                used += character.unicodeScalars.reduce(0) { $0 + SciLogHTML.escapedByteCount(of: $1) }
                guard used <= budget else { break }
                end = code.source.index(after: end)
            }
            guard end > code.source.startIndex else { return nil }
            return SciLogHTML.codeBlock(String(code.source[..<end]), languageClass: className)
        case .table(let table, _):
            var best: String?
            var low = 1
            var high = table.rows.count  // header and `high` rows; the whole table does not fit
            while low <= high {
                let middle = (low + high) / 2
                let candidate = SciLogHTML.table(title: table.title, columns: table.columns, rows: table.rows.prefix(middle - 1))
                if candidate.utf8.count <= budget {
                    best = candidate
                    low = middle + 1
                } else {
                    high = middle - 1
                }
            }
            return best
        case .attachment, .sticker:
            return nil
        }
    }
}
