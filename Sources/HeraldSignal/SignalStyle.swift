/// A text style Signal can apply to a range of a message.
public enum SignalStyle: String, Hashable, Sendable, CaseIterable, Comparable {
    /// Bold.
    case bold = "BOLD"
    /// Italic.
    case italic = "ITALIC"
    /// Strikethrough.
    case strikethrough = "STRIKETHROUGH"
    /// Monospace.
    case monospace = "MONOSPACE"
    /// Hidden until tapped.
    case spoiler = "SPOILER"

    /// Declaration order.
    public static func < (lhs: SignalStyle, rhs: SignalStyle) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One `textStyle` entry of a Signal message: a style over a range counted in UTF-16 code units.
public struct SignalStyleRange: Hashable, Sendable, CustomStringConvertible, Comparable {
    /// Offset of the first styled code unit.
    public var start: Int
    /// Number of styled code units.
    public var length: Int
    /// The style.
    public var style: SignalStyle

    /// Creates a range.
    public init(start: Int, length: Int, style: SignalStyle) {
        self.start = start
        self.length = length
        self.style = style
    }

    /// Parses signal-cli's `start:length:STYLE` form.
    public init?(_ text: String) {
        let fields = text.split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count == 3, let start = Int(fields[0]), let length = Int(fields[1]),
            let style = SignalStyle(rawValue: String(fields[2]))
        else { return nil }
        self.init(start: start, length: length, style: style)
    }

    /// signal-cli's `start:length:STYLE` form.
    public var description: String { "\(start):\(length):\(style.rawValue)" }

    /// By start, then by style.
    public static func < (lhs: SignalStyleRange, rhs: SignalStyleRange) -> Bool {
        (lhs.start, lhs.style) < (rhs.start, rhs.style)
    }
}
