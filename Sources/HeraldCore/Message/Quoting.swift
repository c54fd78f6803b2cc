/// `text` in double quotes, with quotes, backslashes and invisible characters escaped, for messages: nothing from
/// outside can move the cursor, retitle a terminal or reorder the line. `limit` (in characters) shortens a long value
/// to its start, `…` and the number of characters left out.
package func quoted(_ text: some StringProtocol, limit: Int = .max) -> String {
    "\"" + escapingInvisibles(text, limit: limit, escapingQuotes: true) + "\""
}

/// How many characters of a sender's value an error or a note quotes: enough to recognise it, never a flood.
package let echoedValueLimit = 80

/// `text` made safe to echo on one line of a terminal or a log: line breaks, tabs, control characters (ESC and the
/// rest of C0 and C1), format characters such as bidi overrides, line and paragraph separators and noncharacters
/// written as escapes (`\n`, `\u{1B}`), shortened to `limit` characters like ``quoted(_:limit:)``.
package func displayable(_ text: some StringProtocol, limit: Int = .max) -> String {
    escapingInvisibles(text, limit: limit, escapingQuotes: false)
}

private func escapingInvisibles(_ text: some StringProtocol, limit: Int, escapingQuotes: Bool) -> String {
    var result = ""
    var count = 0
    for character in text {
        guard count < limit else {
            return result + "… (\(text.count - count) more characters)"
        }
        count += 1
        for scalar in character.unicodeScalars {
            switch scalar {
            case "\"" where escapingQuotes: result += "\\\""
            case "\\" where escapingQuotes: result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.isEscapedInMessages {
                    result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
    }
    return result
}

/// A scalar named for a message: `U+0000`, or `'<'` for a visible character.
func describe(_ scalar: Unicode.Scalar) -> String {
    let code = String(scalar.value, radix: 16, uppercase: true)
    let padded = String(repeating: "0", count: max(0, 4 - code.count)) + code
    if scalar.isInvisibleOrUnassignable { return "U+\(padded)" }
    return "'\(scalar)' (U+\(padded))"
}

extension Unicode.Scalar {
    /// Control and format characters, white space and noncharacters: named by code point in messages.
    var isInvisibleOrUnassignable: Bool {
        properties.generalCategory == .control || properties.generalCategory == .format || properties.isWhitespace
            || properties.isNoncharacterCodePoint
    }

    /// Control characters and noncharacters, which names (tags, file names) must not contain.
    var isForbiddenInName: Bool {
        properties.generalCategory == .control || properties.isNoncharacterCodePoint
    }

    /// What ``quoted(_:limit:)`` and ``displayable(_:limit:)`` escape: characters that are invisible or act on the
    /// terminal (controls, format characters, line and paragraph separators, noncharacters). Spaces stay.
    var isEscapedInMessages: Bool {
        switch properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator: true
        default: properties.isNoncharacterCodePoint
        }
    }
}
