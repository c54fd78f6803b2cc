import HeraldCore

/// A fitted document as Signal text: the message string, its styled segments, and the style ranges.
///
/// The segments are ranges of the message, not copies of their text: a long message is held once.
struct SignalText {
    /// A stretch of the message with one set of styles.
    struct Segment {
        /// Where the segment lies in ``SignalText/message``, in UTF-8 bytes.
        var range: Range<Int>
        /// Its styles.
        var styles: SignalStyleSet
    }

    /// The segments in order; together they cover the message.
    private(set) var segments: [Segment] = []
    /// The message.
    private(set) var message = ""

    /// Lays out the text blocks of `document`: blocks separated by a blank line, line breaks as `"\n"`, code
    /// blocks in monospace. Attachments and stickers travel beside the text.
    init(_ document: Document) {
        message.reserveCapacity(Self.byteCount(of: document))
        Self.forEachPiece(of: document) { append($0, styles: $1) }
    }

    /// Calls `body` with the pieces of text of `document` in order, each with its styles, as ``init(_:)`` lays
    /// them out; pieces may be empty.
    static func forEachPiece(of document: Document, _ body: (String, SignalStyleSet) -> Void) {
        var needsSeparator = false
        for block in document.blocks {
            switch block {
            case .heading, .paragraph, .codeBlock, .table:
                if needsSeparator { body("\n\n", []) }
                needsSeparator = true
            case .attachment, .sticker:
                continue
            }
            switch block {
            case .heading(_, let runs), .paragraph(let runs):
                for run in runs {
                    let styles = styles(of: run.style)
                    guard !styles.isEmpty, run.text.containsLineFeed else {
                        body(run.text, styles)
                        continue
                    }
                    // No style reaches a line break: a styled run is laid out line by line.
                    for (index, line) in run.text.lineFeedSeparated().enumerated() {
                        if index > 0 { body("\n", []) }
                        body(String(line), styles)
                    }
                }
            case .codeBlock(let code, _):
                body(code.source, [.monospace])
            case .table(let table, _):
                // Absent after fitting (`tables: .alignedText`); laid out the same way for safety.
                body(table.alignedText, [.monospace])
            case .attachment, .sticker:
                continue
            }
        }
    }

    /// The text of `segment`.
    func text(of segment: Segment) -> Substring {
        message.slice(utf8Offsets: segment.range)
    }

    private mutating func append(_ text: String, styles: SignalStyleSet) {
        guard !text.isEmpty else { return }
        let start = message.utf8.count
        message += text
        if let last = segments.last, last.styles == styles {
            segments[segments.count - 1].range = last.range.lowerBound..<message.utf8.count
        } else {
            segments.append(Segment(range: start..<message.utf8.count, styles: styles))
        }
    }

    /// The UTF-8 size of the message ``init(_:)`` lays out for `document`, found from the sizes of its texts
    /// without reading them.
    static func byteCount(of document: Document) -> Int {
        var count = 0
        var textBlocks = 0
        for block in document.blocks {
            let size = switch block {
            case .heading(_, let runs), .paragraph(let runs): runs.reduce(0) { $0 + $1.text.utf8.count }
            case .codeBlock(let code, _): code.source.utf8.count
            case .table(let table, _): table.alignedText.utf8.count
            case .attachment, .sticker: -1
            }
            guard size >= 0 else { continue }
            count += (textBlocks > 0 ? 2 : 0) + size  // a blank line between blocks
            textBlocks += 1
        }
        return count
    }

    /// One range per maximal stretch of each style, ordered by start and style.
    ///
    /// Offsets grow segment by segment, each segment's UTF-16 length counted once from its UTF-8 bytes.
    var styleRanges: [SignalStyleRange] {
        var builder = StyleRangeBuilder()
        message.withUTF8Bytes { bytes in
            for segment in segments {
                let length = Self.utf16Count(of: UnsafeBufferPointer(rebasing: bytes[segment.range]))
                builder.add(styles: segment.styles, utf16Length: length)
            }
        }
        return builder.ranges
    }

    /// Collects style ranges from consecutive stretches of text: one range per maximal stretch of each style.
    struct StyleRangeBuilder {
        /// The ranges of styles that have ended.
        private var closed: [SignalStyleRange] = []
        private var openSince: [Int?] = Array(repeating: nil, count: SignalStyle.allCases.count)  // by `order`
        private var offset = 0
        /// The styles of the stretch added last.
        private var currentStyles: SignalStyleSet = []

        /// Adds the next stretch: `utf16Length` code units with `styles`.
        mutating func add(styles: SignalStyleSet, utf16Length: Int) {
            defer { offset += utf16Length }
            // The same styles as the stretch before (every plain line of a long text) open and close nothing.
            guard styles != currentStyles else { return }
            currentStyles = styles
            for style in SignalStyle.allCases {
                let isOn = styles.contains(style)
                if isOn, openSince[style.order] == nil { openSince[style.order] = offset }
                if !isOn, let start = openSince[style.order] {
                    closed.append(SignalStyleRange(start: start, length: offset - start, style: style))
                    openSince[style.order] = nil
                }
            }
        }

        /// The ranges, ordered by start and style, with every style still open ending at the end.
        var ranges: [SignalStyleRange] {
            var ranges = closed
            for style in SignalStyle.allCases {
                if let start = openSince[style.order] {
                    ranges.append(SignalStyleRange(start: start, length: offset - start, style: style))
                }
            }
            return ranges.sorted()
        }
    }

    /// The number of UTF-16 code units of the UTF-8 `bytes`: every character starts with one byte
    /// that is not a continuation byte (`10xxxxxx`) and takes one unit, except that the four-byte ones
    /// (lead byte `11110xxx`) take two (a surrogate pair). A simple loop over bytes, which the compiler vectorizes.
    static func utf16Count(of bytes: UnsafeBufferPointer<UInt8>) -> Int {
        func units(_ byte: UInt8) -> Int { (byte & 0xC0 != 0x80 ? 1 : 0) + (byte >= 0xF0 ? 1 : 0) }
        var count = 0
        var index = 0
        if let base = bytes.baseAddress {
            // Eight bytes at a time: eight ASCII bytes (no high bit set) are eight units. Each load reads the
            // bytes at `index` ..< `index + 8`, all inside `bytes`, from any alignment.
            while index + 8 <= bytes.count {
                let word = UnsafeRawPointer(base).loadUnaligned(fromByteOffset: index, as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 {
                    count += 8
                } else {
                    for byte in bytes[index..<index + 8] { count += units(byte) }
                }
                index += 8
            }
        }
        for byte in bytes[index...] { count += units(byte) }
        return count
    }

    static func styles(of style: TextStyle) -> SignalStyleSet {
        var styles: SignalStyleSet = []
        if style.bold { styles.insert(.bold) }
        if style.italic { styles.insert(.italic) }
        if style.strikethrough { styles.insert(.strikethrough) }
        if style.monospace { styles.insert(.monospace) }
        return styles
    }
}
