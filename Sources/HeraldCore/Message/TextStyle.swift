/// How a run of text looks: emphasis flags, an optional color and an optional link.
public struct TextStyle: Hashable, Sendable {
    /// Bold.
    public var bold: Bool
    /// Italic.
    public var italic: Bool
    /// Struck through.
    public var strikethrough: Bool
    /// Monospace (inline code).
    public var monospace: Bool
    /// Text color; `nil` is the service's default.
    public var color: TextColor?
    /// Where the text links to.
    public var link: Link?

    /// Creates a style; the default is plain text.
    public init(
        bold: Bool = false, italic: Bool = false, strikethrough: Bool = false, monospace: Bool = false,
        color: TextColor? = nil, link: Link? = nil
    ) {
        self.bold = bold
        self.italic = italic
        self.strikethrough = strikethrough
        self.monospace = monospace
        self.color = color
        self.link = link
    }

    /// Plain text: no emphasis, default color, no link.
    public static let plain = TextStyle()

    /// Whether nothing sets this style apart from plain text.
    public var isPlain: Bool { self == .plain }
}
