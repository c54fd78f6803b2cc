import HeraldCore

/// Writes Slack `mrkdwn` so that Slack shows exactly the given text and styles, and nothing of the text as markup.
///
/// Slack documents escaping for `&`, `<` and `>` only (`&amp;`, `&lt;`, `&gt;`), which also keeps every link,
/// mention (`<!channel>`, `<@U…>`) and date out of user text. Its formatting characters have no escape; they are
/// neutralised as jsx-slack's `<Escape>` does (the library that documents this best; hand-written here because no
/// Swift library writes mrkdwn):
/// - every run of `*`, `_`, `~`, `` ` `` (and the full-width `＊`, `＿`, `｀` Slack also reads) and every `:` that
///   could open an emoji shortcode (`:name:`) stands as the fallback text of a date Slack cannot format,
///   `<!date^00000000^{_}|*>`, which Slack shows as written, unformatted;
/// - a `>` (or `＞`) that a line's text starts with, which Slack reads as a quote even as `&gt;`, gets a soft hyphen
///   (U+00AD) in front;
/// - code (`` `x` `` and ```` ``` ```` blocks) shows its text unformatted: only `&`, `<`, `>` are escaped there, and
///   a zero-width space (U+200B) follows each backtick of a code block that another backtick or zero-width space
///   follows, so no ```` ``` ```` ends it early.
///
/// Styles are `*bold*`, `_italic_`, `~strikethrough~` and `` `code` ``, closed at every line end (Slack does not
/// carry them across one) and nested with code innermost. Slack only reads a marker as one where it stands at a
/// word's edge, with no space just inside it; where that does not hold, a zero-width space goes between the marker
/// and its neighbour (jsx-slack's "exact mode"): outside, next to any character but white space, and inside, next
/// to white space or another zero-width space. A zero-width space beside a group of markers is thus always
/// Herald's, which is how a reader tells it from the text's own.
enum SlackMrkdwn {
    /// The opening of a date Slack cannot format; its fallback text follows, then `>`.
    static let neutralisingPrefix = "<!date^00000000^{_}|"

    /// A paragraph's runs as `mrkdwn`: styles, links (`<url|text>`), line breaks.
    static func paragraph(_ runs: [TextRun]) -> String {
        var output = String.UnicodeScalarView()
        for (index, line) in runs.lines.enumerated() {
            if index > 0 { output.append("\n") }
            writeLine(line, into: &output)
        }
        return String(output)
    }

    /// Text without styles as `mrkdwn` (the message's `text` fallback): each line neutralised as in a paragraph.
    static func plainText(_ text: String) -> String {
        paragraph([TextRun(text)])
    }

    /// A code block: ```` ```\n<source>\n``` ````.
    static func codeBlock(_ source: String) -> String {
        var output = String.UnicodeScalarView("```\n".unicodeScalars)
        let scalars = Array(source.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            appendEscapingEntities(scalar, to: &output)
            if scalar == "`", index + 1 < scalars.count, scalars[index + 1] == "`" || scalars[index + 1] == zeroWidthSpace {
                output.append(zeroWidthSpace)
            }
        }
        output.append(contentsOf: "\n```".unicodeScalars)
        return String(output)
    }

    /// Whether Slack reads `scalar` as a formatting marker: `*`, `_`, `~`, `` ` `` and their full-width forms.
    static func isFormattingCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "*", "_", "~", "`", "\u{FF0A}", "\u{FF3F}", "\u{FF40}": true
        default: false
        }
    }

    /// Whether a link's text can be written as its label as it is: Slack reads markup in labels, where nothing
    /// can be neutralised, so a label holds at most one of each formatting character (no pair to format with) and
    /// nothing shaped like an emoji shortcode.
    static func isSafeLabel(_ text: String) -> Bool {
        var seen: Set<Unicode.Scalar> = []
        for scalar in text.unicodeScalars where isFormattingCharacter(scalar) {
            guard seen.insert(scalar).inserted else { return false }
        }
        let scalars = Array(text.unicodeScalars)
        return !scalars.indices.contains { scalars[$0] == ":" && opensShortcode(scalars, at: $0) }
    }

    /// Whether the `:` at `index` opens something shaped like an emoji shortcode: one or more characters that are
    /// neither white space nor `:`, then `:`.
    static func opensShortcode(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        var next = index + 1
        while next < scalars.count, scalars[next] != ":", !scalars[next].properties.isWhitespace { next += 1 }
        return next > index + 1 && next < scalars.count && scalars[next] == ":"
    }

    static let zeroWidthSpace: Unicode.Scalar = "\u{200B}"
    static let softHyphen: Unicode.Scalar = "\u{AD}"

    // MARK: Lines

    /// A style marker, outermost first in the order they nest.
    private enum Frame: CaseIterable {
        case strikethrough, bold, italic, code

        var marker: Unicode.Scalar {
            switch self {
            case .strikethrough: "~"
            case .bold: "*"
            case .italic: "_"
            case .code: "`"
            }
        }

        static func frames(for style: TextStyle) -> [Frame] {
            allCases.filter { frame in
                switch frame {
                case .strikethrough: style.strikethrough
                case .bold: style.bold
                case .italic: style.italic
                case .code: style.monospace
                }
            }
        }
    }

    /// One line's runs (no line feed in them), with their markers.
    private static func writeLine(_ runs: [TextRun], into output: inout String.UnicodeScalarView) {
        let texts = runs.map { Array($0.text.unicodeScalars) }
        let quoteGuard = quoteGuardPosition(texts)
        var stack: [Frame] = []
        for index in 0...runs.count {
            let wanted = index < runs.count ? Frame.frames(for: runs[index].style) : []
            var closers: [Frame] = []
            // Close what the next run does not have, and code before anything opens (code is innermost).
            while stack.contains(where: { !wanted.contains($0) }) || (stack.last == .code && wanted.contains { !stack.contains($0) }) {
                closers.append(stack.removeLast())
            }
            let openers = wanted.filter { !stack.contains($0) }
            stack += openers
            writeMarkers(
                closers: closers, openers: openers, after: index > 0 ? texts[index - 1].last : nil,
                before: index < runs.count ? texts[index].first : nil, into: &output)
            guard index < runs.count else { break }
            let guardAt = quoteGuard?.run == index ? quoteGuard?.offset : nil
            if let link = runs[index].style.link {
                writeLink(link, label: texts[index], quoteGuardAt: guardAt, into: &output)
            } else if runs[index].style.monospace {
                for (offset, scalar) in texts[index].enumerated() {
                    if offset == guardAt { output.append(softHyphen) }
                    appendEscapingEntities(scalar, to: &output)
                }
            } else {
                writeNeutralised(texts[index], quoteGuardAt: guardAt, into: &output)
            }
        }
    }

    /// Where a line's text first holds something other than white space, zero-width spaces and soft hyphens, if
    /// that is a `>` or `＞`, which would start a quote.
    private static func quoteGuardPosition(_ texts: [[Unicode.Scalar]]) -> (run: Int, offset: Int)? {
        for (run, text) in texts.enumerated() {
            for (offset, scalar) in text.enumerated() where !(scalar.properties.isWhitespace || scalar == zeroWidthSpace || scalar == softHyphen) {
                return scalar == ">" || scalar == "\u{FF1E}" ? (run, offset) : nil
            }
        }
        return nil
    }

    /// The markers between two runs, with the zero-width spaces that let Slack read them (see the type's summary).
    private static func writeMarkers(
        closers: [Frame], openers: [Frame], after left: Unicode.Scalar?, before right: Unicode.Scalar?,
        into output: inout String.UnicodeScalarView
    ) {
        func isSpace(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.isWhitespace || scalar == zeroWidthSpace }
        if !closers.isEmpty {
            if let left, isSpace(left) { output.append(zeroWidthSpace) }
            for frame in closers { output.append(frame.marker) }
            if !openers.isEmpty || right.map({ !$0.properties.isWhitespace }) == true { output.append(zeroWidthSpace) }
        } else if !openers.isEmpty, let left, !left.properties.isWhitespace {
            output.append(zeroWidthSpace)
        }
        guard !openers.isEmpty else { return }
        for frame in openers { output.append(frame.marker) }
        if let right, isSpace(right) { output.append(zeroWidthSpace) }
    }

    /// `<url|label>`, or `<url>` when the text is the URL itself. The label is one that ``isSafeLabel(_:)`` accepts;
    /// like any text, it gets a soft hyphen before the `>` at `quoteGuardAt`.
    private static func writeLink(
        _ link: Link, label: [Unicode.Scalar], quoteGuardAt: Int?, into output: inout String.UnicodeScalarView
    ) {
        output.append("<")
        for scalar in link.url.unicodeScalars { appendEscapingEntities(scalar, to: &output) }
        if String(String.UnicodeScalarView(label)) != link.url {
            output.append("|")
            for (offset, scalar) in label.enumerated() {
                if offset == quoteGuardAt { output.append(softHyphen) }
                appendEscapingEntities(scalar, to: &output)
            }
        }
        output.append(">")
    }

    /// Text outside code: entities for `&<>`, formatting characters and shortcode colons neutralised, and a soft
    /// hyphen before the `>` at `quoteGuardAt`.
    private static func writeNeutralised(_ text: [Unicode.Scalar], quoteGuardAt: Int?, into output: inout String.UnicodeScalarView) {
        var pending = String.UnicodeScalarView()
        func flush() {
            guard !pending.isEmpty else { return }
            output.append(contentsOf: neutralisingPrefix.unicodeScalars)
            output.append(contentsOf: pending)
            output.append(">")
            pending.removeAll()
        }
        for (offset, scalar) in text.enumerated() {
            if isFormattingCharacter(scalar) || (scalar == ":" && opensShortcode(text, at: offset)) {
                pending.append(scalar)
                continue
            }
            flush()
            if offset == quoteGuardAt { output.append(softHyphen) }
            appendEscapingEntities(scalar, to: &output)
        }
        flush()
    }

    private static func appendEscapingEntities(_ scalar: Unicode.Scalar, to output: inout String.UnicodeScalarView) {
        switch scalar {
        case "&": output.append(contentsOf: "&amp;".unicodeScalars)
        case "<": output.append(contentsOf: "&lt;".unicodeScalars)
        case ">": output.append(contentsOf: "&gt;".unicodeScalars)
        default: output.append(scalar)
        }
    }
}
