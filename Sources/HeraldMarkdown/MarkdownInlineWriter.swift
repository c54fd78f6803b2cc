import HeraldCore

/// Writes inline content as CommonMark/GFM so that a parser reads back exactly the same text and styles.
///
/// Styles nest: at each run the writer closes the open styles the run does not have (innermost first) and opens
/// the ones it lacks, so the same delimiter is never closed and reopened back to back. Bold is `**`, italic `_`
/// and strikethrough `~~`, so neighbouring delimiters never merge into one run.
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
    private enum Piece {
        case text(String)
        case delimiter(String, opening: Bool)
        case linkOpen
        case linkClose(String)
        case codeSpan(String)
        case lineBreak

        var isLineBreak: Bool {
            if case .lineBreak = self { return true }
            return false
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

    /// The Markdown source for `content`.
    static func render(_ content: [Inline]) -> String {
        render(pieces(for: content))
    }

    private static func pieces(for content: [Inline]) -> [Piece] {
        var pieces: [Piece] = []
        var stack: [Frame] = []
        for inline in content {
            switch inline {
            case .lineBreak:
                pieces.append(.lineBreak)
            case .text(let run):
                let wanted = Frame.frames(for: run.style)
                while stack.contains(where: { !wanted.contains($0) }) {
                    pieces.append(stack.removeLast().closing)
                }
                for frame in wanted where !stack.contains(frame) {
                    stack.append(frame)
                    pieces.append(frame.opening)
                }
                pieces.append(run.style.monospace ? .codeSpan(run.text) : .text(run.text))
            }
        }
        while let frame = stack.popLast() { pieces.append(frame.closing) }
        return pieces
    }

    private static func render(_ pieces: [Piece]) -> String {
        let plan = ReferencePlan(pieces)
        var output = ""
        for (index, piece) in pieces.enumerated() {
            switch piece {
            case .text(let text):
                appendEscaped(
                    text, to: &output, referenceFirst: plan.first.contains(index), referenceLast: plan.last.contains(index),
                    startsLine: index == 0 || pieces[index - 1].isLineBreak,
                    endsLine: index == pieces.count - 1 || pieces[index + 1].isLineBreak)
            case .delimiter(let delimiter, _): output += delimiter
            case .linkOpen: output += "["
            case .linkClose(let url): output += "](<" + escapedDestination(url) + ">)"
            case .codeSpan(let code): output += codeSpan(code)
            case .lineBreak: output += "\\\n"
            }
        }
        return output
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
    private static func appendEscaped(
        _ text: String, to output: inout String, referenceFirst: Bool, referenceLast: Bool, startsLine: Bool, endsLine: Bool
    ) {
        let scalars = text.unicodeScalars
        let lastIndex = scalars.index(before: scalars.endIndex)
        for index in scalars.indices {
            let scalar = scalars[index]
            let atStart = index == scalars.startIndex
            let atEnd = index == lastIndex
            let needsReference = (atStart && (referenceFirst || (startsLine && isWhitespace(scalar))))
                || (atEnd && (referenceLast || (endsLine && isWhitespace(scalar))))
            if needsReference {
                output += "&#\(scalar.value);"
            } else if needsBackslash(scalar) {
                output += "\\"
                output.unicodeScalars.append(scalar)
            } else {
                output.unicodeScalars.append(scalar)
            }
        }
    }

    /// ASCII punctuation that could start or end markup somewhere. The rest (`, ; ? / ' " % @`) is inert.
    private static func needsBackslash(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "!", "#", "$", "&", "(", ")", "*", "+", "-", ".", ":", "<", "=", ">", "[", "\\", "]", "^", "_", "`",
            "{", "|", "}", "~":
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
        scalar == " " || scalar == "\t" || scalar.properties.generalCategory == .spaceSeparator
    }

    /// A link destination inside `<...>`: backslash and `&` (which would start an entity) are escaped.
    private static func escapedDestination(_ url: String) -> String {
        var result = ""
        for scalar in url.unicodeScalars {
            if scalar == "\\" || scalar == "&" { result += "\\" }
            result.unicodeScalars.append(scalar)
        }
        return result
    }

    /// A code span whose fence is longer than any backtick run inside, padded with a space on each side when
    /// the content starts or ends with a backtick or with a space (parsers strip one space from each side).
    private static func codeSpan(_ code: String) -> String {
        let fence = String(repeating: "`", count: longestRun(of: "`", in: code) + 1)
        let first = code.unicodeScalars.first!
        let last = code.unicodeScalars.last!
        let allSpaces = code.unicodeScalars.allSatisfy { $0 == " " }
        let pad = first == "`" || last == "`" || (!allSpaces && (first == " " || last == " "))
        return pad ? fence + " " + code + " " + fence : fence + code + fence
    }
}
