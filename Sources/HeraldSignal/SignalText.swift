import HeraldCore

/// A fitted document as Signal text: the message string, its styled segments, and the style ranges.
struct SignalText {
    /// A stretch of the message with one set of styles.
    struct Segment {
        var text: String
        var styles: SignalStyleSet
    }

    /// The segments in order; their texts concatenated are the message.
    private(set) var segments: [Segment] = []
    /// The message.
    private(set) var message = ""

    /// Lays out the text blocks of `document`: blocks separated by a blank line, line breaks as `"\n"`, code
    /// blocks in monospace. Attachments and stickers travel beside the text.
    init(_ document: Document) {
        var needsSeparator = false
        for block in document.blocks {
            let content: [Segment]
            switch block {
            case .heading(_, let inlines), .paragraph(let inlines):
                content = inlines.map { inline in
                    switch inline {
                    case .lineBreak: Segment(text: "\n", styles: [])
                    case .text(let run): Segment(text: run.text, styles: Self.styles(of: run.style))
                    }
                }
            case .codeBlock(let code, _):
                content = [Segment(text: code.source, styles: [.monospace])]
            case .table(let table, _):
                // Absent after fitting (`tables: .alignedText`); laid out the same way for safety.
                content = [Segment(text: table.alignedText, styles: [.monospace])]
            case .attachment, .sticker:
                continue
            }
            if needsSeparator { append(Segment(text: "\n\n", styles: [])) }
            content.forEach { append($0) }
            needsSeparator = true
        }
    }

    /// Text made of `segments`.
    private init(segments: [Segment]) {
        segments.forEach { append($0) }
    }

    private mutating func append(_ segment: Segment) {
        guard !segment.text.isEmpty else { return }
        if let last = segments.last, last.styles == segment.styles {
            segments[segments.count - 1].text += segment.text
        } else {
            segments.append(segment)
        }
        message += segment.text
    }

    /// One range per maximal stretch of each style, ordered by start and style.
    ///
    /// Offsets grow segment by segment, each segment's UTF-16 length counted once from its UTF-8 bytes.
    var styleRanges: [SignalStyleRange] {
        var ranges: [SignalStyleRange] = []
        var openSince: [Int?] = Array(repeating: nil, count: SignalStyle.allCases.count)  // by `SignalStyle.order`
        var offset = 0
        for segment in segments {
            for style in SignalStyle.allCases {
                let isOn = segment.styles.contains(style)
                if isOn, openSince[style.order] == nil { openSince[style.order] = offset }
                if !isOn, let start = openSince[style.order] {
                    ranges.append(SignalStyleRange(start: start, length: offset - start, style: style))
                    openSince[style.order] = nil
                }
            }
            offset += Self.utf16Count(of: segment.text)
        }
        for style in SignalStyle.allCases {
            if let start = openSince[style.order] {
                ranges.append(SignalStyleRange(start: start, length: offset - start, style: style))
            }
        }
        return ranges.sorted()
    }

    /// The number of UTF-16 code units of `text`, from its UTF-8 bytes: every character starts with one byte
    /// that is not a continuation byte (`10xxxxxx`) and takes one unit, except that the four-byte ones
    /// (lead byte `11110xxx`) take two (a surrogate pair). A simple loop over bytes, which the compiler vectorizes.
    static func utf16Count(of text: String) -> Int {
        text.withUTF8Bytes { bytes in
            var count = 0
            for byte in bytes {
                count &+= (byte & 0xC0 != 0x80 ? 1 : 0) &+ (byte >= 0xF0 ? 1 : 0)
            }
            return count
        }
    }

    private static func styles(of style: TextStyle) -> SignalStyleSet {
        var styles: SignalStyleSet = []
        if style.bold { styles.insert(.bold) }
        if style.italic { styles.insert(.italic) }
        if style.strikethrough { styles.insert(.strikethrough) }
        if style.monospace { styles.insert(.monospace) }
        return styles
    }

    /// The text cut into pieces of at most `maximumUTF8Bytes` each: at the last paragraph break that fits, else
    /// the last line break, else the last space (the break itself is dropped), else the last whole character.
    /// A cut never falls inside a grapheme cluster; a single cluster longer than the limit stands alone.
    func chunked(maximumUTF8Bytes: Int) -> [SignalText] {
        guard message.utf8.count > maximumUTF8Bytes else { return [self] }
        let characters: [(character: Character, styles: SignalStyleSet)] = segments.flatMap { segment in
            segment.text.map { ($0, segment.styles) }
        }
        var chunks: [SignalText] = []
        var start = 0
        while start < characters.count {
            var end = start
            var bytes = 0
            var paragraphBreak: Int?, lineBreak: Int?, space: Int?
            while end < characters.count {
                let size = characters[end].character.utf8.count
                if bytes + size > maximumUTF8Bytes, end > start { break }
                switch characters[end].character {
                case "\n" where end > start && characters[end - 1].character == "\n": paragraphBreak = end - 1
                case "\n": lineBreak = end
                case " ": space = end
                default: break
                }
                bytes += size
                end += 1
            }
            var next = end
            if end < characters.count {
                if let cut = paragraphBreak, cut > start { (end, next) = (cut, cut + 2) }
                else if let cut = lineBreak, cut > start { (end, next) = (cut, cut + 1) }
                else if let cut = space, cut > start { (end, next) = (cut, cut + 1) }
            }
            let pieces = characters[start..<end].map { Segment(text: String($0.character), styles: $0.styles) }
            chunks.append(SignalText(segments: pieces))
            start = next
        }
        return chunks
    }
}
