import HeraldCore

/// Writes inline content as CommonMark/GFM so that a parser reads back exactly the same text and styles.
///
/// Styles nest: at each run the writer closes the open styles the run does not have (innermost first) and opens
/// the ones it lacks, so the same delimiter is never closed and reopened back to back; at a line break every
/// style closes. Bold is `**`, italic `_` (or `*` beside a sibling `~~`, see below) and strikethrough `~~`, so
/// neighbouring delimiters do not merge into one run.
///
/// Text is escaped by backslash (ASCII punctuation that can start markup; `|` too, so the same text is safe in a
/// table cell) and, where a backslash cannot help, by a numeric character reference (`&#32;`):
/// - white space at the start or end of a line, heading or cell, which parsers strip;
/// - white space, and any character that is neither a letter, a digit nor ASCII punctuation, just inside an
///   emphasis delimiter (CommonMark's flanking rules would keep the delimiter from opening or closing; parsers
///   disagree on whether symbols count as punctuation);
/// - a letter or digit just outside a delimiter whose inside is punctuation, or outside any `_`, which the
///   flanking rules likewise refuse.
/// A reference is punctuation at both ends (`&`, `;`), which every flanking rule accepts.
enum MarkdownInlineWriter {
    /// One element of the output before escaping.
    private enum Piece: Equatable {
        case text(String)
        case delimiter(String, opening: Bool)
        case linkOpen
        case linkClose(String)
        case codeSpan(String)
        case lineBreak

        static let strikethroughOpening = Piece.delimiter("~~", opening: true)
        static let strikethroughClosing = Piece.delimiter("~~", opening: false)

        var isLineBreak: Bool {
            if case .lineBreak = self { return true }
            return false
        }

        func isEmphasisDelimiter(opening: Bool) -> Bool {
            guard case .delimiter(let delimiter, let isOpening) = self else { return false }
            return isOpening == opening && delimiter != "~~"
        }
    }

    /// A style that is open while writing, outermost first on the stack.
    private enum Frame: Equatable {
        case link(String)
        case strikethrough
        case bold
        case italic

        var opening: Piece {
            switch self {
            case .link: .linkOpen
            case .strikethrough: .delimiter("~~", opening: true)
            case .bold: .delimiter("**", opening: true)
            case .italic: .delimiter("_", opening: true)
            }
        }

        var closing: Piece {
            switch self {
            case .link(let url): .linkClose(url)
            case .strikethrough: .delimiter("~~", opening: false)
            case .bold: .delimiter("**", opening: false)
            case .italic: .delimiter("_", opening: false)
            }
        }

        static func frames(for style: TextStyle) -> [Frame] {
            var frames: [Frame] = []
            if let link = style.link { frames.append(.link(link.url)) }
            if style.strikethrough { frames.append(.strikethrough) }
            if style.bold { frames.append(.bold) }
            if style.italic { frames.append(.italic) }
            return frames
        }
    }

    /// Appends the Markdown source for `content` to `output` (UTF-8).
    static func render(_ content: [TextRun], into output: inout [UInt8]) {
        // Plain text (most paragraphs of long messages) has no delimiter, hence no character reference to plan:
        // written directly, line by line, as the pieces would be.
        guard content.allSatisfy(\.hasNoMarkup) else {
            render(pieces(for: content).pieces, into: &output)
            return
        }
        for (index, run) in content.enumerated() {
            var startsLine = index == 0 || content[index - 1].text.utf8.last == UInt8(ascii: "\n")
            run.text.withUTF8Bytes { bytes in
                var lineStart = 0
                while lineStart < bytes.count {
                    let lineEnd = bytes.firstOffset(of: UInt8(ascii: "\n"), from: lineStart) ?? bytes.count
                    let endsLine = lineEnd < bytes.count || index == content.count - 1
                    if lineEnd > lineStart {
                        appendEscaped(
                            UnsafeBufferPointer(rebasing: bytes[lineStart..<lineEnd]), to: &output, referenceFirst: false,
                            referenceLast: false, startsLine: startsLine, endsLine: endsLine)
                    }
                    if lineEnd < bytes.count { output.append(contentsOf: "\\\n".utf8) }
                    lineStart = lineEnd + 1
                    startsLine = true
                }
            }
        }
    }

    /// The pieces for `content`, and for each piece the index in `content` of the run it belongs to (for a
    /// closing delimiter the run before it, for an opening one the run after it).
    private static func pieces(for content: [TextRun]) -> (pieces: [Piece], runs: [Int]) {
        var pieces: [Piece] = []
        var runs: [Int] = []
        pieces.reserveCapacity(content.count)
        runs.reserveCapacity(content.count)
        var stack: [Frame] = []
        var italicOpening: Int?
        var italicPairs: [(opening: Int, closing: Int)] = []
        var previousRun = 0
        func close(_ frame: Frame) {
            if frame == .italic, let opening = italicOpening { italicPairs.append((opening, pieces.count)) }
            pieces.append(frame.closing)
            runs.append(previousRun)
        }
        func append(_ text: String, of run: TextRun, at index: Int) {
            guard !text.isEmpty else { return }
            let wanted = Frame.frames(for: run.style)
            while stack.contains(where: { !wanted.contains($0) }) { close(stack.removeLast()) }
            for frame in wanted where !stack.contains(frame) {
                if frame == .italic { italicOpening = pieces.count }
                stack.append(frame)
                pieces.append(frame.opening)
                runs.append(index)
            }
            pieces.append(run.style.monospace ? .codeSpan(text) : .text(text))
            runs.append(index)
            previousRun = index
        }
        for (index, run) in content.enumerated() {
            guard run.text.containsLineFeed else {
                append(run.text, of: run, at: index)
                continue
            }
            for (lineIndex, line) in run.text.lineFeedSeparated().enumerated() {
                if lineIndex > 0 {
                    // Delimiters next to a line ending do not flank; the next line reopens its styles.
                    while let frame = stack.popLast() { close(frame) }
                    pieces.append(.lineBreak)
                    runs.append(index)
                }
                append(String(line), of: run, at: index)
            }
        }
        while let frame = stack.popLast() { close(frame) }
        // cmark-gfm (GitHub's parser) does not match `_` that directly follows a closing `~~` or directly
        // precedes an opening `~~`; such an italic span is written with `*`, which `~~` does not disturb.
        for (opening, closing) in italicPairs where pieces[safe: opening - 1] == .strikethroughClosing
            || pieces[safe: closing + 1] == .strikethroughOpening
        {
            pieces[opening] = .delimiter("*", opening: true)
            pieces[closing] = .delimiter("*", opening: false)
        }
        return (pieces, runs)
    }

    /// Indices of runs in `content` whose strikethrough Markdown cannot show where it stands.
    ///
    /// cmark-gfm (GitHub's parser) counts `~` as a letter when it decides whether an emphasis delimiter opens or
    /// closes, so bold or italic ending right before `~~` (or starting right after it) only works when the
    /// character inside the emphasis is a letter or digit. When it is not (punctuation, a space, a code span, a
    /// nested delimiter), no spelling exists; the run on the `~~` side loses its strikethrough instead.
    static func strikethroughConflicts(in content: [TextRun]) -> [Int] {
        let (pieces, runs) = pieces(for: content)
        let plan = ReferencePlan(pieces)
        var conflicts: [Int] = []
        for index in pieces.indices.dropLast() {
            let (first, second) = (pieces[index], pieces[index + 1])
            if first.isEmphasisDelimiter(opening: false), second == .strikethroughOpening,
                !plan.isLetterOrDigit(pieces, at: index - 1, fromStart: false)
            {
                conflicts.append(runs[index + 1])
            } else if first == .strikethroughClosing, second.isEmphasisDelimiter(opening: true),
                !plan.isLetterOrDigit(pieces, at: index + 2, fromStart: true)
            {
                conflicts.append(runs[index])
            }
        }
        return conflicts
    }

    private static func render(_ pieces: [Piece], into output: inout [UInt8]) {
        let plan = ReferencePlan(pieces)
        for (index, piece) in pieces.enumerated() {
            switch piece {
            case .text(let text):
                appendEscaped(
                    text, to: &output, referenceFirst: plan.first.contains(index), referenceLast: plan.last.contains(index),
                    startsLine: index == 0 || pieces[index - 1].isLineBreak,
                    endsLine: index == pieces.count - 1 || pieces[index + 1].isLineBreak)
            case .delimiter(let delimiter, _): output.append(contentsOf: delimiter.utf8)
            case .linkOpen: output.append(UInt8(ascii: "["))
            case .linkClose(let url):
                output.append(contentsOf: "](<".utf8)
                appendEscapedDestination(url, to: &output)
                output.append(contentsOf: ">)".utf8)
            case .codeSpan(let code): appendCodeSpan(code, to: &output)
            case .lineBreak: output.append(contentsOf: "\\\n".utf8)
            }
        }
    }

    /// Which text pieces must write their first or last character as a character reference so that every
    /// emphasis delimiter opens and closes (see the type's documentation).
    private struct ReferencePlan {
        /// Indices of text pieces whose first character becomes a reference.
        var first: Set<Int> = []
        /// Indices of text pieces whose last character becomes a reference.
        var last: Set<Int> = []

        private enum Kind { case boundary, whitespace, letterOrDigit, asciiPunctuation, other }

        init(_ pieces: [Piece]) {
            // Inner neighbours first; then outer ones, repeated because a reference can turn an inner neighbour
            // of another delimiter into punctuation.
            var changed = true
            while changed {
                changed = false
                for (index, piece) in pieces.enumerated() {
                    guard case .delimiter(let delimiter, let opening) = piece else { continue }
                    let inner = opening ? index + 1 : index - 1
                    let outer = opening ? index - 1 : index + 1
                    let innerKind = kind(of: pieces, at: inner, fromStart: opening)
                    if innerKind == .whitespace || innerKind == .other {
                        changed = mark(inner, fromStart: opening, in: pieces) || changed
                        continue
                    }
                    let outerKind = kind(of: pieces, at: outer, fromStart: !opening)
                    let outerNeedsReference = outerKind == .other
                        || (outerKind == .letterOrDigit && (innerKind == .asciiPunctuation || delimiter == "_"))
                    if outerNeedsReference {
                        changed = mark(outer, fromStart: !opening, in: pieces) || changed
                    }
                }
            }
        }

        /// Marks the first (`fromStart`) or last character of the text piece at `index`; false if already marked.
        private mutating func mark(_ index: Int, fromStart: Bool, in pieces: [Piece]) -> Bool {
            guard pieces.indices.contains(index), case .text = pieces[index] else { return false }
            return fromStart ? first.insert(index).inserted : last.insert(index).inserted
        }

        /// Whether the source shows a letter or digit at the start (`fromStart`) or end of the piece at `index`.
        func isLetterOrDigit(_ pieces: [Piece], at index: Int, fromStart: Bool) -> Bool {
            kind(of: pieces, at: index, fromStart: fromStart) == .letterOrDigit
        }

        /// What the source shows at the start (`fromStart`) or end of the piece at `index`.
        private func kind(of pieces: [Piece], at index: Int, fromStart: Bool) -> Kind {
            guard pieces.indices.contains(index) else { return .boundary }
            switch pieces[index] {
            case .lineBreak: return fromStart ? .asciiPunctuation : .boundary
            case .delimiter, .linkOpen, .linkClose, .codeSpan: return .asciiPunctuation
            case .text(let text):
                if fromStart ? first.contains(index) : last.contains(index) { return .asciiPunctuation }
                let scalar = fromStart ? text.unicodeScalars.first! : text.unicodeScalars.last!
                if isASCIIPunctuation(scalar) { return .asciiPunctuation }
                if isWhitespace(scalar) { return .whitespace }
                if scalar.isASCII {  // what remains of ASCII: letters, digits and control characters
                    let isLetterOrDigit = ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
                        || ("0"..."9").contains(scalar)
                    return isLetterOrDigit ? .letterOrDigit : .other
                }
                switch scalar.properties.generalCategory {
                case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                    .decimalNumber, .letterNumber, .otherNumber:
                    return .letterOrDigit
                default:
                    return .other
                }
            }
        }
    }

    /// Appends `text` escaped; `referenceFirst`/`referenceLast` force a character reference at that end, and
    /// white space at the start or end of a line always becomes one.
    ///
    /// Only the first and the last character can become references; everything in between is escaped on UTF-8
    /// bytes (every character that takes a backslash is ASCII).
    private static func appendEscaped(
        _ text: String, to output: inout [UInt8], referenceFirst: Bool, referenceLast: Bool, startsLine: Bool, endsLine: Bool
    ) {
        text.withUTF8Bytes { bytes in
            appendEscaped(
                bytes, to: &output, referenceFirst: referenceFirst, referenceLast: referenceLast, startsLine: startsLine,
                endsLine: endsLine)
        }
    }

    /// ``appendEscaped(_:to:referenceFirst:referenceLast:startsLine:endsLine:)`` for non-empty UTF-8 `bytes`.
    private static func appendEscaped(
        _ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8], referenceFirst: Bool, referenceLast: Bool,
        startsLine: Bool, endsLine: Bool
    ) {
        let first = firstScalar(of: bytes)
        let last = lastScalar(of: bytes)
        let referencesFirst = referenceFirst || (startsLine && isWhitespace(first))
        let referencesLast = referenceLast || (endsLine && isWhitespace(last))
        var start = 0
        var end = bytes.count
        if referencesFirst {
            appendReference(first, to: &output)
            start = UTF8.width(first)
        }
        // In a one-character text the first character is the last: it becomes one reference at most.
        let writesLastReference = referencesLast && end - UTF8.width(last) >= start
        if writesLastReference { end -= UTF8.width(last) }
        backslashed.appendEscaping(UnsafeBufferPointer(rebasing: bytes[start..<end]), with: UInt8(ascii: "\\"), to: &output)
        if writesLastReference { appendReference(last, to: &output) }
    }

    /// The first scalar of non-empty UTF-8 `bytes`; decoded only when it is not ASCII.
    private static func firstScalar(of bytes: UnsafeBufferPointer<UInt8>) -> Unicode.Scalar {
        if bytes[0] < 0x80 { return Unicode.Scalar(bytes[0]) }
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        guard case .scalarValue(let scalar) = decoder.decode(&iterator) else { preconditionFailure("invalid UTF-8") }
        return scalar
    }

    /// The last scalar of non-empty UTF-8 `bytes`: its encoding starts at the last byte that is not a
    /// continuation byte.
    private static func lastScalar(of bytes: UnsafeBufferPointer<UInt8>) -> Unicode.Scalar {
        var start = bytes.count - 1
        while bytes[start] & 0xC0 == 0x80 { start -= 1 }
        return firstScalar(of: UnsafeBufferPointer(rebasing: bytes[start...]))
    }

    /// A decimal character reference: `&#32;`.
    private static func appendReference(_ scalar: Unicode.Scalar, to output: inout [UInt8]) {
        output.append(contentsOf: "&#".utf8)
        output.append(contentsOf: String(scalar.value).utf8)
        output.append(UInt8(ascii: ";"))
    }

    /// ASCII punctuation that could start or end markup somewhere. The rest (`, ; ? / ' " % @`) is inert.
    private static let backslashed = ByteSet { byte in
        switch byte {
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "("),
            UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: ":"), UInt8(ascii: "<"), UInt8(ascii: "="), UInt8(ascii: ">"), UInt8(ascii: "["),
            UInt8(ascii: "\\"), UInt8(ascii: "]"), UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"),
            UInt8(ascii: "{"), UInt8(ascii: "|"), UInt8(ascii: "}"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    /// ASCII punctuation as CommonMark defines it (`!` to `/`, `:` to `@`, `[` to `` ` ``, `{` to `~`).
    private static func isASCIIPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E: true
        default: false
        }
    }

    /// White space a Markdown parser may strip or treat as a delimiter neighbour.
    private static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        // The only ASCII space separator is the space: ASCII needs no look-up in the Unicode tables.
        scalar == " " || scalar == "\t" || (!scalar.isASCII && scalar.properties.generalCategory == .spaceSeparator)
    }

    /// Appends a link destination for inside `<...>`: backslash and `&` (which would start an entity) are escaped.
    private static func appendEscapedDestination(_ url: String, to output: inout [UInt8]) {
        for byte in url.utf8 {
            if byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "&") { output.append(UInt8(ascii: "\\")) }
            output.append(byte)
        }
    }

    /// Appends a code span whose fence is longer than any backtick run inside, padded with a space on each side
    /// when the content starts or ends with a backtick or with a space (parsers strip one space from each side).
    private static func appendCodeSpan(_ code: String, to output: inout [UInt8]) {
        let fence = repeatElement(UInt8(ascii: "`"), count: longestRun(of: UInt8(ascii: "`"), in: code) + 1)
        let first = code.utf8.first!
        let last = code.utf8.last!
        let pad = first == UInt8(ascii: "`") || last == UInt8(ascii: "`")
            || ((first == UInt8(ascii: " ") || last == UInt8(ascii: " ")) && !code.utf8.allSatisfy { $0 == UInt8(ascii: " ") })
        output.append(contentsOf: fence)
        if pad { output.append(UInt8(ascii: " ")) }
        output.append(contentsOf: code.utf8)
        if pad { output.append(UInt8(ascii: " ")) }
        output.append(contentsOf: fence)
    }
}

extension TextRun {
    /// Whether the run is written without delimiters, link or code span (a color is not written at all).
    fileprivate var hasNoMarkup: Bool {
        let style = self.style
        return style.link == nil && !style.bold && !style.italic && !style.strikethrough && !style.monospace
    }
}

extension Array {
    /// The element at `index`, or `nil` outside the array.
    fileprivate subscript(safe index: Int) -> Element? {
        indices.contains(index) ? self[index] : nil
    }
}
