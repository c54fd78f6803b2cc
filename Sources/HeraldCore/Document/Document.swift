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
    case heading(level: Int, content: [Inline])
    /// A paragraph of inline content.
    case paragraph([Inline])
    /// A table.
    case table(Table, origin: Origin)
    /// A block of code.
    case codeBlock(CodeSnippet, origin: Origin)
    /// A file.
    case attachment(Attachment, origin: Origin)
    /// A Signal sticker.
    case sticker(Sticker, origin: Origin)
}

/// Inline content of a paragraph or heading.
public enum Inline: Hashable, Sendable {
    /// Styled text; never empty, never containing a line feed.
    case text(TextRun)
    /// A line break within the paragraph.
    case lineBreak
}

/// A run of text with one style.
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
    /// The inline content of a paragraph or heading; empty for other blocks.
    public var inlines: [Inline] {
        switch self {
        case .heading(_, let content), .paragraph(let content): content
        case .table, .codeBlock, .attachment, .sticker: []
        }
    }
}

extension Array where Element == Inline {
    /// Normalizes inline content: drops empty runs, merges neighbouring runs of equal style, and removes line
    /// breaks at the start, at the end and next to each other.
    public func normalized() -> [Inline] {
        guard needsNormalizing else { return self }  // the common case, without a copy
        var result: [Inline] = []
        result.reserveCapacity(count)
        for inline in self {
            switch inline {
            case .text(let run):
                guard !run.text.isEmpty else { continue }
                if case .text(var previous) = result.last, previous.style == run.style {
                    // Removed first, so that `previous` holds the only reference to its text, which then grows in
                    // place instead of being copied for every merged run.
                    result.removeLast()
                    previous.text += run.text
                    previous.origin = previous.origin.merged(with: run.origin)
                    result.append(.text(previous))
                } else {
                    result.append(inline)
                }
            case .lineBreak:
                if let last = result.last, last != .lineBreak { result.append(.lineBreak) }
            }
        }
        while result.last == .lineBreak { result.removeLast() }
        return result
    }

    /// Whether ``normalized()`` would change anything.
    private var needsNormalizing: Bool {
        for index in indices {
            switch self[index] {
            case .text(let run):
                if run.text.isEmpty { return true }
                if index > 0, case .text(let previous) = self[index - 1], previous.style == run.style { return true }
            case .lineBreak:
                if index == 0 || self[index - 1] == .lineBreak { return true }
            }
        }
        return last == .lineBreak
    }
}
