import HeraldCore

/// Text with the styles a reader of a payload sees on it (cmark-gfm reading Markdown, libxml2 reading SciLog's HTML),
/// and the same for a fitted document's runs, so that the two compare.
public struct ReadSpan: Hashable, Sendable, CustomStringConvertible {
    /// The literal text (`"\n"` for a line break).
    public var text: String
    /// Strong emphasis (`strong`).
    public var bold = false
    /// Emphasis (`em`).
    public var italic = false
    /// Strikethrough (`s`).
    public var strikethrough = false
    /// A code span (`code`).
    public var code = false
    /// The link destination.
    public var link: String?
    /// The highlight color (SciLog); never black, the default.
    public var color: TextColor?
    /// A hard line break (`br`).
    public var isLineBreak = false

    /// Creates a span.
    public init(
        text: String, bold: Bool = false, italic: Bool = false, strikethrough: Bool = false, code: Bool = false,
        link: String? = nil, color: TextColor? = nil, isLineBreak: Bool = false
    ) {
        self.text = text
        self.bold = bold
        self.italic = italic
        self.strikethrough = strikethrough
        self.code = code
        self.link = link
        self.color = color
        self.isLineBreak = isLineBreak
    }

    /// The text and its styles, for failure messages.
    public var description: String {
        var flags = [bold ? "bold" : nil, italic ? "italic" : nil, strikethrough ? "strike" : nil, code ? "code" : nil].compactMap { $0 }
        if let link { flags.append("link=\(link)") }
        if let color { flags.append("color=\(color.rawValue)") }
        return "\(text.debugDescription)\(flags.isEmpty ? "" : "[" + flags.joined(separator: ",") + "]")"
    }

    /// The spans a reader should see for `content`: one per run of each line, a line break between lines.
    public static func expected(for content: [TextRun]) -> [ReadSpan] {
        normalized(content.lines.enumerated().flatMap { index, line in
            (index > 0 ? [ReadSpan(text: "\n", isLineBreak: true)] : []) + line.map { run in
                ReadSpan(
                    text: run.text, bold: run.style.bold, italic: run.style.italic, strikethrough: run.style.strikethrough,
                    code: run.style.monospace, link: run.style.link?.url, color: run.style.color == .black ? nil : run.style.color)
            }
        })
    }

    /// Spans without empty text and with neighbours of equal style merged.
    public static func normalized(_ spans: [ReadSpan]) -> [ReadSpan] {
        var result: [ReadSpan] = []
        for span in spans where !span.text.isEmpty {
            if var last = result.last, !last.isLineBreak, !span.isLineBreak, last.sameStyle(as: span) {
                last.text += span.text
                result[result.count - 1] = last
            } else {
                result.append(span)
            }
        }
        return result
    }

    private func sameStyle(as other: ReadSpan) -> Bool {
        bold == other.bold && italic == other.italic && strikethrough == other.strikethrough && code == other.code
            && link == other.link && color == other.color
    }
}
