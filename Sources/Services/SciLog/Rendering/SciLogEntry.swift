import HeraldCore

/// A fitted document as the pieces of a SciLog entry: each block's HTML with its `files` entry, and what writing
/// the HTML had to change.
struct SciLogEntry {
    /// One block of the entry.
    struct Piece {
        /// The block.
        var block: Block
        /// Where it came from in the message.
        var origin: Origin
        /// Its HTML; `nil` for a paragraph, heading or code block after the entry's limit, which is only measured.
        var html: String?
        /// The UTF-8 size of its HTML.
        var byteCount: Int
        /// The `files` entry of an attachment.
        var file: SciLogFile?
    }

    /// The blocks, in order.
    private(set) var pieces: [Piece] = []
    /// Losses of writing: characters XML cannot carry, code languages a class name cannot hold.
    private(set) var degradations: [Degradation] = []

    /// Writes the blocks of `document`, each completely until their HTML exceeds `limit` bytes; after that,
    /// paragraphs, headings and code blocks are only measured: an entry over the limit is cut anyway, and a
    /// megabyte message would otherwise be written whole only to report its size. Stickers are absent after
    /// fitting (`maximumStickers: 0`).
    init(_ document: Document, limit: Int) {
        var attachments = 0
        var written = 0
        for block in document.blocks {
            let measuresOnly = written > limit
            switch block {
            case .heading(let level, let content):
                let html = measuresOnly ? nil : SciLogHTML.heading(level: level, content)
                let size = html?.utf8.count
                    ?? SciLogHTML.heading(level: level, []).utf8.count + SciLogHTML.inlineByteCount(content)
                appendText(block, content, html: html, byteCount: size)
            case .paragraph(let content):
                let html = measuresOnly ? nil : SciLogHTML.paragraph(content)
                let size = html?.utf8.count ?? SciLogHTML.paragraph([]).utf8.count + SciLogHTML.inlineByteCount(content)
                appendText(block, content, html: html, byteCount: size)
            case .table(let table, let origin):
                for text in [table.title ?? ""] + table.columns + table.rows.joined() {
                    reportCharactersXMLCannotCarry(in: text, origin: origin)
                }
                let html = SciLogHTML.table(title: table.title, columns: table.columns, rows: table.rows)
                pieces.append(Piece(block: block, origin: origin, html: html, byteCount: html.utf8.count))
            case .codeBlock(let code, let origin):
                reportCharactersXMLCannotCarry(in: code.source, origin: origin)
                if let language = code.language, Self.languageClass(language) != language {
                    degradations.append(Degradation(
                        kind: .codeLanguageNotShown, origin: origin, subject: nil,
                        message: "code language \(language) passed to SciLog as \(Self.languageClass(language)): "
                            + "a language class name cannot contain \".\""))
                }
                let className = code.language.map(Self.languageClass)
                let html = measuresOnly ? nil : SciLogHTML.codeBlock(code.source, languageClass: className)
                let size = html?.utf8.count
                    ?? SciLogHTML.codeBlock("", languageClass: className).utf8.count + SciLogHTML.escapedByteCount(of: code.source)
                pieces.append(Piece(block: block, origin: origin, html: html, byteCount: size))
            case .attachment(let attachment, let origin):
                let file = SciLogFile(attachment, index: attachments)
                attachments += 1
                if !file.isImage { reportCharactersXMLCannotCarry(in: attachment.filename, origin: origin) }
                let html = file.isImage
                    ? SciLogHTML.image(fileHash: file.hash)
                    : SciLogHTML.fileLink(fileHash: file.hash, name: attachment.filename)
                pieces.append(Piece(block: block, origin: origin, html: html, byteCount: html.utf8.count, file: file))
            case .sticker:
                continue
            }
            written += pieces[pieces.count - 1].byteCount
        }
    }

    /// Appends a heading or paragraph, reporting characters XML cannot carry; its origin is its first run's.
    private mutating func appendText(_ block: Block, _ content: [TextRun], html: String?, byteCount: Int) {
        var origin: Origin?
        for run in content {
            origin = origin ?? run.origin
            reportCharactersXMLCannotCarry(in: run.text, origin: run.origin)
        }
        pieces.append(Piece(block: block, origin: origin ?? .generated, html: html, byteCount: byteCount))
    }

    /// The language as the class suffix SciLog's allow-list accepts (letters, digits, `-`, `_`, `+`, `#`): a
    /// language name can also hold `.`, which becomes `-`.
    static func languageClass(_ language: String) -> String {
        String(language.map { $0 == "." ? "-" : $0 })
    }

    private mutating func reportCharactersXMLCannotCarry(in text: String, origin: Origin) {
        guard SciLogHTML.containsForbiddenInXML(text) else { return }
        let forbidden = text.unicodeScalars.filter(SciLogHTML.isForbiddenInXML)
        let names = forbidden.map { scalar in
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
        let replaced = String(String.UnicodeScalarView(text.unicodeScalars.map { SciLogHTML.isForbiddenInXML($0) ? "\u{FFFD}" : $0 }))
        degradations.append(Degradation(
            kind: .characterReplaced, origin: origin, subject: replaced,
            message: "\(names.joined(separator: ", ")) replaced by U+FFFD on SciLog: XML cannot carry "
                + (names.count == 1 ? "it" : "them")))
    }
}
