import HeraldCore

/// A fitted document as Signal text: the message string, its styled segments, and the style ranges.
struct SignalText {
    /// A stretch of the message with one set of styles.
    struct Segment {
        var text: String
        var styles: Set<SignalStyle>
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
    var styleRanges: [SignalStyleRange] {
        var ranges: [SignalStyleRange] = []
        var openSince: [SignalStyle: Int] = [:]
        var offset = 0
        for segment in segments {
            for style in SignalStyle.allCases {
                let isOn = segment.styles.contains(style)
                if isOn, openSince[style] == nil { openSince[style] = offset }
                if !isOn, let start = openSince.removeValue(forKey: style) {
                    ranges.append(SignalStyleRange(start: start, length: offset - start, style: style))
                }
            }
            offset += segment.text.utf16.count
        }
        for (style, start) in openSince { ranges.append(SignalStyleRange(start: start, length: offset - start, style: style)) }
        return ranges.sorted()
    }

    private static func styles(of style: TextStyle) -> Set<SignalStyle> {
        var styles: Set<SignalStyle> = []
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
        let characters: [(character: Character, styles: Set<SignalStyle>)] = segments.flatMap { segment in
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
