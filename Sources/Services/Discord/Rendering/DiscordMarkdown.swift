import HeraldCore

/// Writes text as the Markdown Discord reads in embed titles and descriptions, so that every character a sender
/// wrote stays literal and every style reads back as meant.
///
/// Discord's reader (the rules of simple-markdown, which its client is built on, plus Discord's own: mentions,
/// emoji, timestamps, spoilers, headings, lists and quotes) takes a backslash before any character that is neither a
/// letter, a digit nor white space as that character. So the writer puts a backslash before `\ * _ ~ | ` [ ] < @ :`
/// everywhere (emphasis, code, masked links, `<@123>` and `<t:…>`, `@everyone`, `:emoji:` and `https:` links), and
/// before `# - + >` and the `.` of `1.` where they would start a line (headings, lists, quotes). Code is never
/// escaped: an inline code span's backtick fence is one or two backticks that do not occur in it alone.
///
/// Styles nest: at each run the writer closes the open styles the run does not have (innermost first) and opens the
/// ones it lacks; at a line break every style closes. Bold is `**`, italic `_`, strikethrough `~~`, links
/// `[text](<url>)` with `( ) * _ ~ [ ]` backslashed in the URL. A few combinations have no spelling
/// (``conflicts(in:)``); ``DiscordRenderer`` removes the style there and reports it before anything is written.
enum DiscordMarkdown {
    /// A style open while writing, outermost first on the stack.
    enum Frame: Equatable {
        case link(String)
        case strikethrough
        case bold
        case italic

        /// The frames `style` opens, outermost first: the link, then strikethrough, bold and italic.
        static func frames(for style: TextStyle) -> [Frame] {
            let flags: [(Bool, Frame)] = [(style.strikethrough, .strikethrough), (style.bold, .bold), (style.italic, .italic)]
            return (style.link.map { [.link($0.url)] } ?? []) + flags.compactMap { $0.0 ? $0.1 : nil }
        }
    }

    /// One element of a line before escaping.
    enum Piece: Equatable {
        case text(String)
        case open(Frame)
        case close(Frame)
        case code(String)
    }

    /// The runs of one line whose style has no spelling where it stands, by the style to remove.
    struct Conflicts: Equatable {
        /// Monospace runs whose code cannot be fenced there: inside another style and holding one of `* _ ~ [ ] \`
        /// (the other style's delimiter rule would read into the code), or holding backtick runs of both one and
        /// two backticks.
        var monospace: [Int] = []
        /// Italic runs whose `_` cannot close: followed by a letter or digit (the closing `_` must end a word), or
        /// next to a strikethrough's closing `~~` (which must not be followed by `_`).
        var italic: [Int] = []
        /// Strikethrough runs whose text ends with `~` right before the closing `~~` (Discord's strikethrough ends
        /// at the first `~~`, escaped or not).
        var strikethrough: [Int] = []

        var isEmpty: Bool { monospace.isEmpty && italic.isEmpty && strikethrough.isEmpty }
    }

    // MARK: Writing

    /// The Markdown for `content`: its lines joined by line feeds. A style without a spelling is left out and
    /// reported in `degradations`: ``DiscordRenderer/adjusted(_:)`` removed every such style, but a message the limits
    /// stage cut can end in a new one (a strikethrough cut after a `~`, code cut inside a run of backticks).
    static func write(_ content: [TextRun], degradations: inout [Degradation]) -> String {
        var output = ""
        for (index, line) in content.lines.enumerated() {
            if index > 0 { output += "\n" }
            let resolved = resolvingConflicts(in: line)
            degradations += resolved.degradations
            write(line: resolved.line, into: &output)
        }
        return output
    }

    /// Appends the Markdown for one line (runs without line feeds) whose styles all have a spelling.
    private static func write(line: [TextRun], into output: inout String) {
        var state = LineStart()
        for piece in pieces(for: line).pieces {
            switch piece {
            case .text(let text): appendEscaped(text, state: &state, to: &output)
            case .open(let frame): output += opening(frame)
            case .close(let frame): output += closing(frame)
            case .code(let code): appendCode(code, to: &output)
            }
        }
    }

    private static func opening(_ frame: Frame) -> String {
        switch frame {
        case .link: "["
        case .strikethrough: "~~"
        case .bold: "**"
        case .italic: "_"
        }
    }

    private static func closing(_ frame: Frame) -> String {
        switch frame {
        case .link(let url): "](<" + escapedURL(url) + ">)"
        case .strikethrough: "~~"
        case .bold: "**"
        case .italic: "_"
        }
    }

    /// The pieces of one line, and for each the index of the run it belongs to (for a closing piece the run before
    /// it, for an opening one the run after it).
    static func pieces(for line: [TextRun]) -> (pieces: [Piece], runs: [Int]) {
        var pieces: [Piece] = []
        var runs: [Int] = []
        var stack: [Frame] = []
        var previousRun = 0
        for (index, run) in line.enumerated() where !run.text.isEmpty {
            let wanted = Frame.frames(for: run.style)
            while stack.contains(where: { !wanted.contains($0) }) {
                pieces.append(.close(stack.removeLast()))
                runs.append(previousRun)
            }
            for frame in wanted where !stack.contains(frame) {
                stack.append(frame)
                pieces.append(.open(frame))
                runs.append(index)
            }
            pieces.append(run.style.monospace ? .code(run.text) : .text(run.text))
            runs.append(index)
            previousRun = index
        }
        while let frame = stack.popLast() {
            pieces.append(.close(frame))
            runs.append(previousRun)
        }
        return (pieces, runs)
    }

    /// The runs of one line (runs without line feeds) whose style Discord cannot show where it stands.
    static func conflicts(in line: [TextRun]) -> Conflicts {
        let (pieces, runs) = pieces(for: line)
        var conflicts = Conflicts()
        var openFrames = 0
        var italicOpening: Int?
        for (index, piece) in pieces.enumerated() {
            switch piece {
            case .open(let frame):
                openFrames += 1
                if frame == .italic { italicOpening = index }
            case .close(let frame):
                openFrames -= 1
                let next = pieces[safe: index + 1]
                if frame == .italic, let opening = italicOpening, next.map(startsWithLetterOrDigit) == true {
                    conflicts.italic += runs[opening...index].filter { line[$0].style.italic && !conflicts.italic.contains($0) }.uniqued()
                }
                if frame == .strikethrough {
                    if case .text(let text)? = pieces[safe: index - 1], text.unicodeScalars.last == "~" {
                        conflicts.strikethrough.append(runs[index])
                    }
                    if let next, isItalicDelimiter(next), !conflicts.italic.contains(runs[index + 1]) {
                        conflicts.italic.append(runs[index + 1])
                    }
                }
            case .code(let code):
                let nested = openFrames > 0 && code.unicodeScalars.contains { "*_~[]\\".unicodeScalars.contains($0) }
                if nested || fence(for: code) == nil { conflicts.monospace.append(runs[index]) }
            case .text:
                continue
            }
        }
        return conflicts
    }

    /// The line with the styles of ``conflicts(in:)`` removed, one kind at a time until none is left (removing one
    /// can make or end another), and a report of each removal.
    static func resolvingConflicts(in line: [TextRun]) -> (line: [TextRun], degradations: [Degradation]) {
        var line = line
        var degradations: [Degradation] = []
        var conflicts = Self.conflicts(in: line)
        while !conflicts.isEmpty {
            let (feature, indices, reason): (StyleFeature, [Int], String) =
                if !conflicts.monospace.isEmpty {
                    (.monospace, conflicts.monospace, "its backticks or the style around it cannot be written there")
                } else if !conflicts.strikethrough.isEmpty {
                    (.strikethrough, conflicts.strikethrough, "a strikethrough ends at the first ~~, and this text ends with ~")
                } else {
                    (.italic, conflicts.italic, "its closing _ would touch a letter, a digit or a strikethrough's ~~")
                }
            for index in indices where feature.isSet(in: line[index].style) {
                line[index].style = feature.removed(from: line[index].style)
                degradations.append(Degradation(
                    kind: .styleNotShown, origin: line[index].origin, subject: line[index].text,
                    message: "\(feature.rawValue) not shown on Discord: \(reason)"))
            }
            line = line.normalized()
            conflicts = Self.conflicts(in: line)
        }
        return (line, degradations)
    }

    private static func isItalicDelimiter(_ piece: Piece) -> Bool {
        piece == .open(.italic) || piece == .close(.italic)
    }

    /// Whether `piece` is written starting with an ASCII letter or digit (text starting with one; escaped text starts
    /// with a backslash).
    private static func startsWithLetterOrDigit(_ piece: Piece) -> Bool {
        guard case .text(let text) = piece, let first = text.unicodeScalars.first else { return false }
        return isASCIILetterOrDigit(first)
    }

    /// Whether `scalar` is `A`-`Z`, `a`-`z` or `0`-`9`.
    static func isASCIILetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }

    // MARK: Escaping

    /// What has been written on the current line, for the characters that are markup only at a line's start.
    private struct LineStart {
        /// Nothing but spaces and delimiters yet: `#`, `-`, `+` and `>` would start a heading, list or quote.
        var atStart = true
        /// Nothing but spaces, delimiters and digits: after a digit, a `.` would make an ordered list.
        var onlyDigits = true
        var sawDigit = false
    }

    /// Characters backslashed wherever they stand.
    private static let alwaysEscaped: Set<Unicode.Scalar> = ["\\", "*", "_", "~", "|", "`", "[", "]", "<", "@", ":"]
    /// Characters backslashed at the start of a line.
    private static let escapedAtLineStart: Set<Unicode.Scalar> = ["#", "-", "+", ">"]

    /// Appends `text` with every character that could be read as markup backslashed.
    private static func appendEscaped(_ text: String, state: inout LineStart, to output: inout String) {
        var escaped = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let isEscaped = alwaysEscaped.contains(scalar)
                || (state.atStart && escapedAtLineStart.contains(scalar))
                || (scalar == "." && state.sawDigit && state.onlyDigits)
            if isEscaped { escaped.append("\\") }
            escaped.append(scalar)
            if scalar == " " || scalar == "\t" { continue }
            state.atStart = false
            if ("0"..."9").contains(scalar) { state.sawDigit = true } else { state.onlyDigits = false }
        }
        output.unicodeScalars.append(contentsOf: escaped)
    }

    /// A link target inside `<…>`: the characters Discord's link rule or the emphasis around the link would read
    /// (`( ) * _ ~ [ ]`) backslashed; Discord removes the backslashes. A ``Link`` holds no space, `<`, `>` or `\`.
    private static func escapedURL(_ url: String) -> String {
        var escaped = String.UnicodeScalarView()
        for scalar in url.unicodeScalars {
            if "()*_~[]".unicodeScalars.contains(scalar) { escaped.append("\\") }
            escaped.append(scalar)
        }
        return String(escaped)
    }

    // MARK: Code

    /// The backtick fence for an inline code span holding `code`: one backtick if no lone backtick occurs in it,
    /// else two if no pair does; `nil` when both do (three backticks would open a code block).
    static func fence(for code: String) -> String? {
        var lengths: Set<Int> = []
        var run = 0
        for scalar in code.unicodeScalars {
            if scalar == "`" {
                run += 1
            } else {
                if run > 0 { lengths.insert(run) }
                run = 0
            }
        }
        if run > 0 { lengths.insert(run) }
        if !lengths.contains(1) { return "`" }
        if !lengths.contains(2) { return "``" }
        return nil
    }

    /// Appends an inline code span, which ``resolvingConflicts(in:)`` made fenceable. Discord drops one space at the
    /// start of the code when spaces and a backtick follow it, and one at the end after a backtick and spaces; such a
    /// space is added, so that the code's own spaces stay (and a leading backtick never touches the fence).
    private static func appendCode(_ code: String, to output: inout String) {
        guard let fence = fence(for: code) else { preconditionFailure("resolvingConflicts(in:) removes unfenceable code") }
        let scalars = code.unicodeScalars
        let leadingPad = scalars.first { $0 != " " } == "`"
        let trailingPad = scalars.last { $0 != " " } == "`"
        output += fence
        if leadingPad { output += " " }
        output += code
        if trailingPad { output += " " }
        output += fence
    }

    /// A fenced code block: ```` ```language ````, a line feed, the code, a line feed and ```` ``` ````. Discord ends
    /// the block at the first three backticks and drops line feeds at the code's start and end; the renderer sees
    /// to both beforehand.
    static func codeBlock(_ source: String, language: String?) -> String {
        "```" + (language ?? "") + "\n" + source + "\n```"
    }
}

extension Array {
    /// The element at `index`, or `nil` outside the array.
    fileprivate subscript(safe index: Int) -> Element? {
        indices.contains(index) ? self[index] : nil
    }
}

extension Sequence where Element: Hashable {
    /// The elements without repeats, in order.
    fileprivate func uniqued() -> [Element] {
        var seen: Set<Element> = []
        return filter { seen.insert($0).inserted }
    }
}
