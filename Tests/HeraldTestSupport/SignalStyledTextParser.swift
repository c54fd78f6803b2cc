/// A test port of signal-cli-rest-api's styled-text parser (`src/utils/textstyleparser.go`), which turns
/// `text_mode: "styled"` markup into the plain message and signal-cli `textStyle` ranges.
///
/// The upstream source at the revision the vectors come from was not available offline; the port implements
/// the behaviour those vectors pin down (`signal-textstyle-cases.json` in the reference specifications, `HERALD_SPECS`: 21 upstream tests and
/// 14 edge cases from a line-by-line port), and the tests check it against every one of them:
/// - a backslash followed by a run of one marker character (`*`, `` ` ``, `~`, `|`) makes the whole run
///   literal; any other backslash is literal itself;
/// - a run of `*` is one marker: `*` italic, `**` bold, `***` bold and italic; `~` strikethrough and `` ` ``
///   monospace are one character each; `||` is a spoiler marker and a single `|` is literal;
/// - a marker closes the innermost open marker if it is the same marker, otherwise it opens; markers left open
///   at the end style nothing; every marker character is removed from the message;
/// - ranges are emitted as markers close, in UTF-16 code units of the message.
public enum SignalStyledTextParser {
    private enum Marker: Equatable {
        case asterisks(Int), tilde, backtick, spoiler

        var styles: [String] {
            switch self {
            case .asterisks(1): ["ITALIC"]
            case .asterisks(2): ["BOLD"]
            case .asterisks(3): ["BOLD", "ITALIC"]
            case .asterisks: []
            case .tilde: ["STRIKETHROUGH"]
            case .backtick: ["MONOSPACE"]
            case .spoiler: ["SPOILER"]
            }
        }
    }

    /// The plain message and `start:length:STYLE` ranges for `input`.
    public static func parse(_ input: String) -> (message: String, textStyle: [String]) {
        let scalars = Array(input.unicodeScalars)
        var message = String.UnicodeScalarView()
        var offset = 0  // UTF-16 length of `message`
        var open: [(marker: Marker, start: Int)] = []
        var ranges: [String] = []
        var index = 0

        func literal(_ scalar: Unicode.Scalar) {
            message.append(scalar)
            offset += scalar.utf16.count
        }
        func runLength(of scalar: Unicode.Scalar, from start: Int) -> Int {
            var end = start
            while end < scalars.count, scalars[end] == scalar { end += 1 }
            return end - start
        }
        func marker(_ marker: Marker) {
            if let last = open.last, last.marker == marker {
                open.removeLast()
                for style in marker.styles { ranges.append("\(last.start):\(offset - last.start):\(style)") }
            } else {
                open.append((marker, offset))
            }
        }

        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case "\\":
                if index + 1 < scalars.count, ["*", "`", "~", "|"].contains(scalars[index + 1]) {
                    let length = runLength(of: scalars[index + 1], from: index + 1)
                    for _ in 0..<length { literal(scalars[index + 1]) }
                    index += 1 + length
                } else {
                    literal(scalar)
                    index += 1
                }
            case "*":
                let length = runLength(of: "*", from: index)
                marker(.asterisks(length))
                index += length
            case "~":
                marker(.tilde)
                index += 1
            case "`":
                marker(.backtick)
                index += 1
            case "|":
                if index + 1 < scalars.count, scalars[index + 1] == "|" {
                    marker(.spoiler)
                    index += 2
                } else {
                    literal(scalar)
                    index += 1
                }
            default:
                literal(scalar)
                index += 1
            }
        }
        return (String(message), ranges)
    }
}
