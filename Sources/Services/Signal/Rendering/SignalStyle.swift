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
        lhs.order < rhs.order
    }

    /// The position in declaration order, from 0.
    var order: Int {
        switch self {
        case .bold: 0
        case .italic: 1
        case .strikethrough: 2
        case .monospace: 3
        case .spoiler: 4
        }
    }
}

/// A set of ``SignalStyle``s as bits: a message has a style set per segment, and a `Set` would allocate each one.
struct SignalStyleSet: Hashable, ExpressibleByArrayLiteral {
    private var bits: UInt8 = 0

    /// A set of `styles`.
    init(arrayLiteral styles: SignalStyle...) {
        for style in styles { insert(style) }
    }

    /// Whether the set holds `style`.
    func contains(_ style: SignalStyle) -> Bool { bits & (1 << style.order) != 0 }

    /// Adds `style`.
    mutating func insert(_ style: SignalStyle) { bits |= 1 << style.order }

    /// Whether the set is empty.
    var isEmpty: Bool { bits == 0 }
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
