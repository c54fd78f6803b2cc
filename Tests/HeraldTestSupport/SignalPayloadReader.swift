import Herald

/// Reads a signal-cli `send` payload back: the message, its style ranges, and which styles each UTF-16 unit has.
public struct SignalPayloadReader {
    /// The message text.
    public let message: String
    /// The parsed `textStyle` ranges.
    public let ranges: [SignalStyleRange]

    /// Reads `{"message", "textStyle"}`.
    public init(_ payload: JSONValue) throws {
        guard case .object(let object) = payload, case .string(let message)? = object["message"] else {
            throw ReaderError("not a Signal payload: \(payload)")
        }
        var ranges: [SignalStyleRange] = []
        if case .array(let styles)? = object["textStyle"] {
            for style in styles {
                guard case .string(let text) = style, let range = SignalStyleRange(text) else {
                    throw ReaderError("malformed textStyle entry \(style)")
                }
                ranges.append(range)
            }
        }
        self.message = message
        self.ranges = ranges
    }

    /// For each UTF-16 unit of the message, its styles.
    public var styleMap: [Set<SignalStyle>] { Self.styleMap(ranges, length: message.utf16.count) }

    /// For each of `length` UTF-16 units, the styles `ranges` give it.
    public static func styleMap(_ ranges: [SignalStyleRange], length: Int) -> [Set<SignalStyle>] {
        var map = Array(repeating: Set<SignalStyle>(), count: length)
        for range in ranges where range.start >= 0 && range.start + range.length <= length {
            for unit in range.start..<(range.start + range.length) { map[unit].insert(range.style) }
        }
        return map
    }

    /// The style map a fitted document should produce: runs in order, blocks separated by a blank line, line
    /// breaks as line feeds, code blocks monospace.
    public static func expectedStyleMap(for document: Document) -> [Set<SignalStyle>] {
        var map: [Set<SignalStyle>] = []
        for block in document.blocks {
            var units: [Set<SignalStyle>] = []
            switch block {
            case .heading(_, let content), .paragraph(let content):
                for (index, line) in content.lines.enumerated() {
                    if index > 0 { units.append([]) }
                    for run in line {
                        var styles = Set<SignalStyle>()
                        if run.style.bold { styles.insert(.bold) }
                        if run.style.italic { styles.insert(.italic) }
                        if run.style.strikethrough { styles.insert(.strikethrough) }
                        if run.style.monospace { styles.insert(.monospace) }
                        units += Array(repeating: styles, count: run.text.utf16.count)
                    }
                }
            case .codeBlock(let code, _): units = Array(repeating: [.monospace], count: code.source.utf16.count)
            case .table, .attachment, .sticker: continue
            }
            if !map.isEmpty { map += [[], []] }
            map += units
        }
        return map
    }
}
