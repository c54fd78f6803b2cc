extension Document {
    /// The document as plain text, for services that show no markup (SMS, Pushbullet, a webhook's `text`): its
    /// text blocks in order with a blank line between two; a heading or paragraph as the text of its runs (line
    /// breaks kept), a code block as its source, a table as its title on a line of its own above its aligned text.
    /// Attachments and stickers have no text, and tags are not included.
    ///
    /// A document fitted to a plain-text service's capabilities already holds what the service shows as text: the
    /// title as a paragraph, links as `text (URL)`, tables as code blocks, files named in a line and tags as a last
    /// paragraph.
    public var plainText: String {
        var text = ""
        forEachPlainTextPiece { piece in
            text += piece
            return true
        }
        return text
    }

    /// Calls `body` with the pieces of ``plainText`` in order (each block's texts and the blank lines between
    /// blocks) until it returns `false`: a limit can measure a long document without building its text.
    public func forEachPlainTextPiece(_ body: (String) -> Bool) {
        var needsSeparator = false
        for block in blocks {
            let pieces: [String]
            switch block {
            case .heading(_, let runs), .paragraph(let runs): pieces = runs.map(\.text)
            case .codeBlock(let code, _): pieces = [code.source]
            case .table(let table, _): pieces = (table.title.map { [$0, "\n"] } ?? []) + [table.alignedText]
            case .attachment, .sticker: continue
            }
            if needsSeparator, !body("\n\n") { return }
            needsSeparator = true
            for piece in pieces where !body(piece) { return }
        }
    }
}
