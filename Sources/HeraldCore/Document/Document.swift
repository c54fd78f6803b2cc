/// The intermediate representation every renderer works from: blocks of inline runs, plus metadata.
///
/// A document made by ``Document/init(lowering:)`` is normalized: runs are non-empty, neighbouring runs with equal
/// style and origin kind are merged, and paragraphs neither start nor end with a line break.
public struct Document: Hashable, Sendable {
    /// The event the message reports, if any.
    public var event: String?
    /// Tags for the whole document: ordered, without duplicates.
    public var tags: [String]
    /// The content, in reading order.
    public var blocks: [Block]

    /// Creates a document.
    public init(event: String? = nil, tags: [String] = [], blocks: [Block] = []) {
        self.event = event
        self.tags = tags
        self.blocks = blocks
    }
}

/// A block of a ``Document``.
public enum Block: Hashable, Sendable {
    /// A heading of `level` 1 (the message title) to 3.
    case heading(level: Int, content: [TextRun])
    /// A paragraph of text runs.
    case paragraph([TextRun])
    /// A table.
    case table(Table, origin: Origin)
    /// A block of code.
    case codeBlock(CodeSnippet, origin: Origin)
    /// A file.
    case attachment(Attachment, origin: Origin)
    /// A Signal sticker.
    case sticker(Sticker, origin: Origin)
}

/// A run of text with one style.
///
/// A line feed in the text is a line break, which no style reaches: renderers end the line unstyled. In a
/// normalized paragraph (see ``Swift/Array/normalized()``) a line break between two runs ends the run before it,
/// so runs never start with a line feed; no run holds a carriage return or two line feeds in a row (a blank
/// line ends the paragraph). The lines of a long text of one style are thus one run, not one run each.
public struct TextRun: Hashable, Sendable {
    /// The text.
    public var text: String
    /// Its style.
    public var style: TextStyle
    /// Where in the message it came from.
    public var origin: Origin

    /// Creates a run.
    public init(_ text: String, style: TextStyle = .plain, origin: Origin = .generated) {
        self.text = text
        self.style = style
        self.origin = origin
    }
}

/// Where a node came from in the ``NotificationMessage``, so that reports can name it the way the sender wrote it.
public enum Origin: Hashable, Sendable, CustomStringConvertible {
    /// The message title.
    case title
    /// One part, or several merged neighbouring parts, by index.
    case parts(ClosedRange<Int>)
    /// Made by Herald (for example the text that replaces an attachment a service cannot carry).
    case generated

    /// The part at `index`.
    public static func part(_ index: Int) -> Origin { .parts(index...index) }

    /// A JSON-path-like name: `title`, `parts[3]`, `parts[3...5]`, or `document`.
    public var description: String {
        switch self {
        case .title: "title"
        case .parts(let range): range.count == 1 ? "parts[\(range.lowerBound)]" : "parts[\(range.lowerBound)...\(range.upperBound)]"
        case .generated: "document"
        }
    }

    /// The smallest origin covering both.
    func merged(with other: Origin) -> Origin {
        switch (self, other) {
        case (.parts(let first), .parts(let second)):
            .parts(min(first.lowerBound, second.lowerBound)...max(first.upperBound, second.upperBound))
        case (.generated, _): other
        default: self
        }
    }
}

extension Block {
    /// The runs of a paragraph or heading; empty for other blocks.
    public var runs: [TextRun] {
        switch self {
        case .heading(_, let content), .paragraph(let content): content
        case .table, .codeBlock, .attachment, .sticker: []
        }
    }
}

extension Array where Element == TextRun {
    /// Normalizes the runs of a paragraph: drops empty runs, moves a line feed that starts a run to the end of the
    /// run before it (once: line breaks next to each other are one), merges neighbouring runs of equal style, and
    /// removes line breaks at the start and at the end.
    ///
    /// Only the ends of runs are looked at: the text inside a run is taken to hold no carriage return and no two
    /// line feeds in a row, as lowering makes it.
    public func normalized() -> [TextRun] {
        var runs = self
        runs.normalize()
        return runs
    }

    /// Normalizes the runs in place; see ``normalized()``.
    public mutating func normalize() {
        guard needsNormalizing else { return }  // the common case
        var kept = 0  // the runs before `kept` are normalized
        for index in indices {
            var run = self[index]
            while run.text.utf8.first == UInt8(ascii: "\n") {
                run.text.removeFirst()
                if kept > 0, self[kept - 1].text.utf8.last != UInt8(ascii: "\n") { self[kept - 1].text += "\n" }
            }
            guard !run.text.isEmpty else { continue }
            if kept > 0, self[kept - 1].style == run.style {
                self[kept - 1].text += run.text
                self[kept - 1].origin = self[kept - 1].origin.merged(with: run.origin)
            } else {
                self[kept] = run
                kept += 1
            }
        }
        removeLast(count - kept)
        if last?.text.utf8.last == UInt8(ascii: "\n") { self[count - 1].text.removeLast() }
    }

    /// Whether ``normalize()`` would change anything.
    private var needsNormalizing: Bool {
        for index in indices {
            let run = self[index]
            if run.text.isEmpty || run.text.utf8.first == UInt8(ascii: "\n") { return true }
            if index > 0, self[index - 1].style == run.style { return true }
        }
        return last?.text.utf8.last == UInt8(ascii: "\n")
    }

    /// The lines of the runs: each line break ends one, and the runs of a line hold no line feed.
    ///
    /// A run that crosses a line break is cut into one run per line, with the same style and origin; the others
    /// are kept as they are. For renderers that lay out or reason about one line at a time.
    public var lines: [[TextRun]] {
        var lines: [[TextRun]] = []
        var line: [TextRun] = []
        for run in self {
            guard run.text.containsLineFeed else {
                line.append(run)
                continue
            }
            for (index, text) in run.text.lineFeedSeparated().enumerated() {
                if index > 0 {
                    lines.append(line)
                    line = []
                }
                if !text.isEmpty { line.append(TextRun(String(text), style: run.style, origin: run.origin)) }
            }
        }
        lines.append(line)
        return lines
    }

    /// Runs made of `lines` (as ``lines`` gives them), with a line break between each two, normalized.
    public init(lines: [[TextRun]]) {
        var runs: [TextRun] = []
        runs.reserveCapacity(lines.reduce(lines.count) { $0 + $1.count })
        for (index, line) in lines.enumerated() {
            if index > 0 { runs.append(TextRun("\n")) }
            runs += line
        }
        self = runs.normalized()
    }
}
