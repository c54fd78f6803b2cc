import Foundation
import Herald

/// A reproducible source of random messages for property tests: the same seed gives the same messages on every
/// machine (SplitMix64), and failures name their seed.
public struct RandomMessages: Sendable {
    private var state: UInt64

    /// Starts the sequence for `seed`.
    public init(seed: UInt64) { state = seed }

    /// Characters chosen to stress escaping: markup of every service, white space, and hard Unicode.
    static let pieces: [String] = [
        "a", "b", "Z", "7", " ", " ", "  ", "\t", "\n", "\n\n", "*", "**", "_", "~", "~~", "`", "``", "|", "||", "\\", "[", "]",
        "(", ")", "<", ">", "&", "&amp;", "&#42;", "#", "!", "-", "+", ".", "1.", "=", ":", "'", "\"", "{{", "}}", "${", "@",
        "www.", "http://", "<script>", "é", "e\u{301}", "👋🏾", "👨‍👩‍👧", "🇨🇭", "\u{00A0}", "\u{200B}", "\u{202E}", "ש", "ع",
        "\u{0}", "\u{7}", "\u{1B}", "\u{85}", "\u{FFFD}", "日本",
    ]

    static let links = ["https://example.org/a_b?c=1&d=(2)", "http://example.org", "mailto:ops@example.org"]

    /// The next pseudo-random number.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound`.
    public mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// True with probability `1/n`.
    public mutating func oneIn(_ n: Int) -> Bool { below(n) == 0 }

    /// Random text of up to `maximumPieces` pieces; a `name` is one line without control characters or slashes.
    public mutating func text(maximumPieces: Int = 8, singleLine: Bool = false, name: Bool = false) -> String {
        var text = ""
        for _ in 0..<below(maximumPieces + 1) {
            var piece = Self.pieces[below(Self.pieces.count)]
            if singleLine || name { piece = piece.replacingOccurrences(of: "\n", with: " ") }
            if name, piece.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != " " }) { continue }
            text += piece
        }
        return text
    }

    /// A random valid message.
    public mutating func message() -> NotificationMessage {
        var message = try! NotificationMessage(title: oneIn(3) ? "T" + text(singleLine: true) : nil)
        for _ in 0..<below(8) {
            switch below(14) {
            case 0:
                try! message.addTags((0..<below(3)).map { _ in "t" + text(maximumPieces: 2, name: true) })
            case 1:
                let columns = 1 + below(3)
                try! message.addTable(
                    title: oneIn(2) ? text(singleLine: true) : nil, columns: (0..<columns).map { _ in text(maximumPieces: 3) },
                    rows: (0..<below(3)).map { _ in (0..<columns).map { _ in text(maximumPieces: 3) } })
            case 2:
                try! message.addCode("x" + text(), language: oneIn(2) ? "python" : nil)
            case 3:
                try! message.addAttachment(
                    data: Data((0..<(1 + below(40))).map { _ in UInt8(below(256)) }), filename: "f" + text(maximumPieces: 2, name: true).replacingOccurrences(of: "\\", with: "").replacingOccurrences(of: "/", with: "") + (oneIn(2) ? ".png" : ".dat"),
                    mimeType: oneIn(2) ? "image/png" : "application/octet-stream", width: oneIn(2) ? 1 + below(1000) : nil)
            case 4:
                try! message.addSticker("ab12:\(below(10))")
            default:
                let style = TextStyle(
                    bold: oneIn(3), italic: oneIn(3), strikethrough: oneIn(5), monospace: oneIn(5),
                    color: oneIn(4) ? TextColor.allCases[below(TextColor.allCases.count)] : nil,
                    link: oneIn(6) ? try! Link(validating: Self.links[below(Self.links.count)]) : nil)
                message.addText(text(), style: style)
            }
        }
        return message
    }

    /// A random valid message long enough to exceed a service's size limit: many styled runs of up to 60 pieces,
    /// long tables and code, a few small attachments anywhere, tags.
    public mutating func longMessage() -> NotificationMessage {
        var message = try! NotificationMessage(title: oneIn(2) ? "T" + text(singleLine: true) : nil)
        for _ in 0..<(20 + below(60)) {
            switch below(20) {
            case 0:
                try! message.addTags((0..<below(3)).map { _ in "t" + text(maximumPieces: 2, name: true) })
            case 1:
                let columns = 1 + below(3)
                try! message.addTable(
                    title: oneIn(2) ? text(singleLine: true) : nil, columns: (0..<columns).map { _ in "c" + text(maximumPieces: 3) },
                    rows: (0..<below(30)).map { _ in (0..<columns).map { _ in text(maximumPieces: 6) } })
            case 2:
                try! message.addCode("x" + text(maximumPieces: 120), language: oneIn(2) ? "python" : nil)
            case 3:
                try! message.addAttachment(
                    data: Data((0..<(1 + below(40))).map { _ in UInt8(below(256)) }), filename: "f\(below(100)).png", mimeType: "image/png")
            default:
                let style = TextStyle(
                    bold: oneIn(3), italic: oneIn(3), strikethrough: oneIn(5), monospace: oneIn(5),
                    color: oneIn(4) ? TextColor.allCases[below(TextColor.allCases.count)] : nil,
                    link: oneIn(6) ? try! Link(validating: Self.links[below(Self.links.count)]) : nil)
                message.addText(text(maximumPieces: 60), style: style)
            }
        }
        return message
    }
}
