import Foundation

extension Document {
    /// Lowers a message to a normalized document.
    ///
    /// Text parts flow into paragraphs (`"\n"` is a line break, two or more line feeds end the paragraph, CR LF
    /// and CR count as LF); any other part ends the paragraph and becomes a block of its own; the title becomes a
    /// level-1 heading; tags from every tag part are collected in order without duplicates. Control characters
    /// other than tab and line feed, and noncharacters (U+FFFE, U+FFFF, U+FDD0...U+FDEF, ...), cannot be shown
    /// by any service (nor stand in XML): each is replaced by U+FFFD and reported in
    /// ``LoweringResult/degradations``.
    public static func lowering(_ message: NotificationMessage) -> LoweringResult {
        var lowerer = Lowerer()
        if let title = message.title {
            let text = lowerer.sanitized(title, origin: .title)
            lowerer.blocks.append(.heading(level: 1, content: [.text(TextRun(text, origin: .title))]))
        }
        for (index, part) in message.parts.enumerated() {
            let origin = Origin.part(index)
            switch part {
            case .text(let text, let style): lowerer.addText(lowerer.sanitized(text, origin: origin), style: style, origin: origin)
            case .tags(let tags): lowerer.addTags(tags)
            case .attachment(let attachment): lowerer.addBlock(.attachment(attachment, origin: origin))
            case .table(let table): lowerer.addBlock(.table(lowerer.sanitized(table, origin: origin), origin: origin))
            case .code(let code):
                if let code = lowerer.normalized(code, origin: origin) { lowerer.addBlock(.codeBlock(code, origin: origin)) }
            case .sticker(let sticker): lowerer.addBlock(.sticker(sticker, origin: origin))
            }
        }
        lowerer.endParagraph()
        let document = Document(event: message.event, tags: lowerer.tags, blocks: lowerer.blocks)
        return LoweringResult(document: document, degradations: lowerer.degradations)
    }
}

/// A lowered document and what lowering had to change.
public struct LoweringResult: Hashable, Sendable {
    /// The normalized document.
    public var document: Document
    /// Changes every service shares, such as replaced control characters.
    public var degradations: [Degradation]
}

private struct Lowerer {
    var blocks: [Block] = []
    var tags: [String] = []
    var seenTags: Set<String> = []
    var paragraph: [Inline] = []
    var degradations: [Degradation] = []

    mutating func addText(_ text: String, style: TextStyle, origin: Origin) {
        var pendingNewlines = 0
        var segment = ""
        func flushSegment(_ lowerer: inout Lowerer) {
            guard !segment.isEmpty else { return }
            lowerer.paragraph.append(.text(TextRun(segment, style: style, origin: origin)))
            segment = ""
        }
        func flushNewlines(_ lowerer: inout Lowerer) {
            if pendingNewlines == 1 { lowerer.paragraph.append(.lineBreak) }
            if pendingNewlines >= 2 { lowerer.endParagraph() }
            pendingNewlines = 0
        }
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            if scalar == "\n" || scalar == "\r" {
                if scalar == "\n", previousWasCR { previousWasCR = false; continue }
                previousWasCR = scalar == "\r"
                flushSegment(&self)
                pendingNewlines += 1
                continue
            }
            previousWasCR = false
            flushNewlines(&self)
            segment.unicodeScalars.append(scalar)
        }
        flushSegment(&self)
        flushNewlines(&self)
    }

    mutating func addTags(_ newTags: [String]) {
        for tag in newTags where seenTags.insert(tag).inserted { tags.append(tag) }
    }

    mutating func addBlock(_ block: Block) {
        endParagraph()
        blocks.append(block)
    }

    mutating func endParagraph() {
        let content = paragraph.normalized()
        paragraph = []
        if !content.isEmpty { blocks.append(.paragraph(content)) }
    }

    /// `text` with every control character but tab, LF and CR, and every noncharacter, replaced by U+FFFD,
    /// reporting the replacements.
    mutating func sanitized(_ text: String, origin: Origin) -> String {
        guard text.unicodeScalars.contains(where: Self.isReplaced) else { return text }
        var result = String.UnicodeScalarView()
        var replaced: [Unicode.Scalar] = []
        for scalar in text.unicodeScalars {
            if Self.isReplaced(scalar) {
                replaced.append(scalar)
                result.append("\u{FFFD}")
            } else {
                result.append(scalar)
            }
        }
        let names = replaced.map(describe).joined(separator: ", ")
        let noun = replaced.allSatisfy(\.properties.isNoncharacterCodePoint) ? "noncharacter" : "control character"
        degradations.append(Degradation(
            kind: .characterReplaced, origin: origin, subject: String(result),
            message: "\(noun)\(replaced.count == 1 ? "" : "s") \(names) replaced by U+FFFD"))
        return String(result)
    }

    mutating func sanitized(_ table: Table, origin: Origin) -> Table {
        let title = table.title.flatMap { $0.isEmpty ? nil : sanitized($0, origin: origin) }
        let columns = table.columns.map { sanitized($0, origin: origin) }
        let rows = table.rows.map { $0.map { sanitized($0, origin: origin) } }
        // Replacing characters keeps every cell on one line, so the table stays valid.
        return Table(validatedTitle: title, columns: columns, rows: rows)
    }

    /// The code with CR LF and CR as LF and without trailing line feeds (a fence always ends the last line).
    mutating func normalized(_ code: CodeSnippet, origin: Origin) -> CodeSnippet? {
        var source = sanitized(code.source, origin: origin)
        if source.contains("\r") {
            source = source.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        }
        while source.hasSuffix("\n") { source.removeLast() }
        return source.isEmpty ? nil : CodeSnippet(validatedLanguage: code.language, source: source)
    }

    static func isReplaced(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: false
        case 0x00...0x1F, 0x7F...0x9F: true
        default: scalar.properties.isNoncharacterCodePoint
        }
    }
}
