import HeraldCore

extension AdaptiveCard {
    /// `TextRun`: text in one style inside a ``RichTextBlock``. Its text is shown as written, never as Markdown.
    public struct TextRun: Hashable, Sendable {
        /// A text color of the card's palette; the host decides the shade (Teams: ``attention`` is a crimson red).
        public enum Color: String, Hashable, Sendable {
            /// The accent color (blue-violet in Teams).
            case accent = "Accent"
            /// Success (green).
            case good = "Good"
            /// Warning (yellow).
            case warning = "Warning"
            /// Attention (red).
            case attention = "Attention"
        }

        /// A font size other than the default body size.
        public enum Size: String, Hashable, Sendable {
            /// The body size, stated explicitly.
            case `default` = "Default"
            /// Medium.
            case medium = "Medium"
            /// Large.
            case large = "Large"
        }

        /// The text.
        public var text: String
        /// Bold (`weight: "Bolder"`).
        public var bold: Bool
        /// Italic.
        public var italic: Bool
        /// Struck through.
        public var strikethrough: Bool
        /// Monospace (`fontType: "Monospace"`).
        public var monospace: Bool
        /// The color; `nil` for the default text color.
        public var color: Color?
        /// The size; `nil` for the default size, unstated.
        public var size: Size?
        /// Toned down (`isSubtle`).
        public var isSubtle: Bool
        /// The URL opened when the run is clicked (`selectAction: Action.OpenUrl`).
        public var link: String?

        /// Creates a run.
        public init(
            _ text: String, bold: Bool = false, italic: Bool = false, strikethrough: Bool = false,
            monospace: Bool = false, color: Color? = nil, size: Size? = nil, isSubtle: Bool = false, link: String? = nil
        ) {
            self.text = text
            self.bold = bold
            self.italic = italic
            self.strikethrough = strikethrough
            self.monospace = monospace
            self.color = color
            self.size = size
            self.isSubtle = isSubtle
            self.link = link
        }
    }
}
