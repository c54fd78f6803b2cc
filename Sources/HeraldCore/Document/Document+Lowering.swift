import Foundation

extension Document {
    /// Lowers a message to a normalized document.
    ///
    /// Text parts flow into paragraphs (`"\n"` is a line break, kept in the run's text; two or more line feeds end
    /// the paragraph; CR LF and CR count as LF); any other part ends the paragraph and becomes a block of its own;
    /// the title becomes a level-1 heading; tags from every tag part are collected in order without duplicates.
    /// Control characters other than tab and line feed, and noncharacters (U+FFFE, U+FFFF, U+FDD0...U+FDEF, ...),
    /// cannot be shown by any service (nor stand in XML): each is replaced by U+FFFD and reported in
    /// ``LoweringResult/degradations``.
    public static func lowering(_ message: NotificationMessage) -> LoweringResult {
        var lowerer = Lowerer()
        if let title = message.title {
            let text = lowerer.sanitized(title, origin: .title)
            lowerer.blocks.append(.heading(level: 1, content: [TextRun(text, origin: .title)]))
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
    /// The runs of the open paragraph.
    var paragraph: [TextRun] = []
    var degradations: [Degradation] = []

    /// Adds a text part to the open paragraph.
    ///
    /// Line feeds and carriage returns are single bytes that never occur inside another character's UTF-8
    /// encoding, so the text is cut on bytes. A lone line feed inside the text is a line break that stays in the
    /// run; the text is cut only where the paragraph ends (two or more line feeds), at a carriage return (CR LF
    /// and CR count as LF), and at line feeds at either end, so that each stretch between such cuts is copied
    /// whole, and a text with none (nearly all) becomes a run as it is.
    mutating func addText(_ text: String, style: TextStyle, origin: Origin) {
        text.withUTF8Bytes { bytes in
            var newlines = NewlineSearch(bytes)
            var stretchStart = 0
            var index = newlines.next(from: 0)
            while index < bytes.count {
                let isLoneLineFeed = bytes[index] == UInt8(ascii: "\n") && index > stretchStart && index + 1 < bytes.count
                    && !NewlineSearch.isNewline(bytes[index + 1])
                if isLoneLineFeed {
                    index = newlines.next(from: index + 1)
                    continue
                }
                if index > stretchStart {
                    let stretch = stretchStart == 0 && index == bytes.count ? text : String(text.slice(utf8Offsets: stretchStart..<index))
                    appendText(stretch, style: style, origin: origin)
                }
                var lineFeeds = 0
                while index < bytes.count, NewlineSearch.isNewline(bytes[index]) {
                    // CR LF is one line feed.
                    if !(bytes[index] == UInt8(ascii: "\n") && index > 0 && bytes[index - 1] == UInt8(ascii: "\r")) { lineFeeds += 1 }
                    index += 1
                }
                if lineFeeds == 1 { appendLineBreak() } else { endParagraph() }
                stretchStart = index
                index = newlines.next(from: index)
            }
            if bytes.count > stretchStart {
                let stretch = stretchStart == 0 ? text : String(text.slice(utf8Offsets: stretchStart..<bytes.count))
                appendText(stretch, style: style, origin: origin)
            }
        }
    }


    /// Appends text without carriage returns, two line feeds in a row, or a line feed at the start, to the last
    /// run when it has the same style.
    private mutating func appendText(_ text: String, style: TextStyle, origin: Origin) {
        if let last = paragraph.last, last.style == style {
            paragraph[paragraph.count - 1].text += text
            paragraph[paragraph.count - 1].origin = last.origin.merged(with: origin)
        } else {
            paragraph.append(TextRun(text, style: style, origin: origin))
        }
    }

    /// Ends the open paragraph's current line: a line feed at the end of its last run, unless there is one already
    /// or the paragraph is empty (a paragraph never starts with a line break).
    private mutating func appendLineBreak() {
        guard let last = paragraph.last, last.text.utf8.last != UInt8(ascii: "\n") else { return }
        paragraph[paragraph.count - 1].text += "\n"
    }

    mutating func addTags(_ newTags: [String]) {
        for tag in newTags where seenTags.insert(tag).inserted { tags.append(tag) }
    }

    mutating func addBlock(_ block: Block) {
        endParagraph()
        blocks.append(block)
    }

    /// Ends the open paragraph. Its runs are normalized as they are appended (no empty run, none starting with a
    /// line feed, neighbours of different styles) but for a line break at the end, which is dropped here.
    mutating func endParagraph() {
        guard !paragraph.isEmpty else { return }
        if paragraph[paragraph.count - 1].text.utf8.last == UInt8(ascii: "\n") { paragraph[paragraph.count - 1].text.removeLast() }
        blocks.append(.paragraph(paragraph))
        paragraph = []
    }

    /// `text` with every control character but tab, LF and CR, and every noncharacter, replaced by U+FFFD,
    /// reporting the replacements.
    mutating func sanitized(_ text: String, origin: Origin) -> String {
        guard Self.mayContainReplaced(text) else { return text }
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
        guard !replaced.isEmpty else { return text }
        let names = replaced.map(describe).joined(separator: ", ")
        let noun = replaced.allSatisfy(\.properties.isNoncharacterCodePoint) ? "noncharacter" : "control character"
        degradations.append(Degradation(
            kind: .characterReplaced, origin: origin, subject: String(result),
            message: "\(noun)\(replaced.count == 1 ? "" : "s") \(names) replaced by U+FFFD"))
        return String(result)
    }

    /// The table with its characters sanitized and each cell's line breaks as in a paragraph: CR LF and CR as LF,
    /// no blank line and no line break at either end, so a cell is its lines joined by single line feeds.
    mutating func sanitized(_ table: Table, origin: Origin) -> Table {
        let title = table.title.flatMap { $0.isEmpty ? nil : sanitized($0, origin: origin) }
        let columns = table.columns.map { Self.cellLines(sanitized($0, origin: origin)) }
        let rows = table.rows.map { $0.map { Self.cellLines(sanitized($0, origin: origin)) } }
        // Replacing characters keeps the title on one line, so the table stays valid.
        return Table(validatedTitle: title, columns: columns, rows: rows)
    }

    /// A cell's lines joined by single line feeds: without carriage returns, blank lines and line breaks at either
    /// end. A cell without line breaks (nearly all) comes back as it is.
    private static func cellLines(_ cell: String) -> String {
        guard cell.utf8.contains(where: { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) else { return cell }
        // A line feed is always a character of its own (grapheme clusters break around it).
        return lineFeedsOnly(cell).split(separator: "\n").joined(separator: "\n")
    }

    /// `text` with CR LF and CR as LF.
    private static func lineFeedsOnly(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "\r")) else { return text }
        return text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }

    /// The code with CR LF and CR as LF and without trailing line feeds (a fence always ends the last line).
    mutating func normalized(_ code: CodeSnippet, origin: Origin) -> CodeSnippet? {
        var source = Self.lineFeedsOnly(sanitized(code.source, origin: origin))
        while source.hasSuffix("\n") { source.removeLast() }
        return source.isEmpty ? nil : CodeSnippet(validatedLanguage: code.language, source: source)
    }

    /// Whether `text` may hold a character ``isReplaced(_:)`` is true for; false means it certainly does not.
    ///
    /// A scan of UTF-8 bytes, which is much faster than decoding scalars: every such character shows in its
    /// encoding as an ASCII control byte, as `C2 80`...`C2 9F` (U+0080...U+009F), as a three-byte sequence
    /// starting `EF B7` (U+FDC0...U+FDFF, around U+FDD0...U+FDEF) or `EF BF` (U+FFC0...U+FFFF, around U+FFFE and
    /// U+FFFF), or as a four-byte sequence ending `BF BE` or `BF BF` (U+xFFFE, U+xFFFF, among others).
    static func mayContainReplaced(_ text: String) -> Bool {
        text.withUTF8Bytes { bytes in
            var index = suspiciousBytes.firstIndex(in: bytes)
            while index < bytes.count {
                let following = { (offset: Int) in index + offset < bytes.count ? bytes[index + offset] : 0 }
                switch bytes[index] {
                case 0xC2: if following(1) < 0xA0 { return true }
                case 0xEF: if following(1) == 0xB7 || following(1) == 0xBF { return true }
                case 0xF0...0xF4: if following(2) == 0xBF, following(3) >= 0xBE { return true }
                default: return true  // an ASCII control character
                }
                index = suspiciousBytes.firstIndex(in: bytes, from: index + 1)
            }
            return false
        }
    }

    /// The bytes ``mayContainReplaced(_:)`` looks at more closely.
    private static let suspiciousBytes = ByteSet { byte in
        switch byte {
        case 0x09, 0x0A, 0x0D: false
        case 0x00..<0x20, 0x7F, 0xC2, 0xEF, 0xF0...0xF4: true
        default: false
        }
    }

    static func isReplaced(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: false
        case 0x00...0x1F, 0x7F...0x9F: true
        default: scalar.properties.isNoncharacterCodePoint
        }
    }
}

/// Finds the line feeds and carriage returns of a text in order, each kind with `memchr`, remembering the next of
/// each: a text has few of them, and most texts no carriage return at all.
private struct NewlineSearch {
    private let bytes: UnsafeBufferPointer<UInt8>
    /// The next line feed and carriage return at or after the offset last asked for (`bytes.count` for none).
    private var lineFeed: Int
    private var carriageReturn: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        lineFeed = bytes.firstOffset(of: UInt8(ascii: "\n")) ?? bytes.count
        carriageReturn = bytes.firstOffset(of: UInt8(ascii: "\r")) ?? bytes.count
    }

    /// The offset of the first line feed or carriage return at or after `start`, or `bytes.count`; `start` never
    /// decreases from one call to the next.
    mutating func next(from start: Int) -> Int {
        if lineFeed < start { lineFeed = bytes.firstOffset(of: UInt8(ascii: "\n"), from: start) ?? bytes.count }
        if carriageReturn < start { carriageReturn = bytes.firstOffset(of: UInt8(ascii: "\r"), from: start) ?? bytes.count }
        return Swift.min(lineFeed, carriageReturn)
    }

    static func isNewline(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }
}
