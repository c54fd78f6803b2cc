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
        /// Its HTML.
        var html: String
        /// The `files` entry of an attachment.
        var file: SciLogFile?
    }

    /// The blocks, in order.
    private(set) var pieces: [Piece] = []
    /// Losses of writing: characters XML cannot carry, code languages a class name cannot hold.
    private(set) var degradations: [Degradation] = []

    /// Writes the blocks of `document`. Stickers are absent after fitting (`maximumStickers: 0`).
    init(_ document: Document) {
        var attachments = 0
        for block in document.blocks {
            switch block {
            case .heading(let level, let content):
                appendText(block, content, html: SciLogHTML.heading(level: level, content))
            case .paragraph(let content):
                appendText(block, content, html: SciLogHTML.paragraph(content))
            case .table(let table, let origin):
                for text in [table.title ?? ""] + table.columns + table.rows.joined() {
                    reportCharactersXMLCannotCarry(in: text, origin: origin)
                }
                let html = SciLogHTML.table(title: table.title, columns: table.columns, rows: table.rows)
                pieces.append(Piece(block: block, origin: origin, html: html))
            case .codeBlock(let code, let origin):
                reportCharactersXMLCannotCarry(in: code.source, origin: origin)
                if let language = code.language, Self.languageClass(language) != language {
                    degradations.append(Degradation(
                        kind: .codeLanguageNotShown, origin: origin, subject: nil,
                        message: "code language \(language) passed to SciLog as \(Self.languageClass(language)): "
                            + "a language class name cannot contain \".\""))
                }
                let html = SciLogHTML.codeBlock(code.source, languageClass: code.language.map(Self.languageClass))
                pieces.append(Piece(block: block, origin: origin, html: html))
            case .attachment(let attachment, let origin):
                let file = SciLogFile(attachment, index: attachments)
                attachments += 1
                if !file.isImage { reportCharactersXMLCannotCarry(in: attachment.filename, origin: origin) }
                let html = file.isImage
                    ? SciLogHTML.image(fileHash: file.hash)
                    : SciLogHTML.fileLink(fileHash: file.hash, name: attachment.filename)
                pieces.append(Piece(block: block, origin: origin, html: html, file: file))
            case .sticker:
                continue
            }
        }
    }

    /// Appends a heading or paragraph, reporting characters XML cannot carry; its origin is its first run's.
    private mutating func appendText(_ block: Block, _ content: [Inline], html: String) {
        var origin: Origin?
        for case .text(let run) in content {
            origin = origin ?? run.origin
            reportCharactersXMLCannotCarry(in: run.text, origin: run.origin)
        }
        pieces.append(Piece(block: block, origin: origin ?? .generated, html: html))
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
