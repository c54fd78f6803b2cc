/// `text` in double quotes, with quotes, backslashes and control characters escaped as in JSON, for messages.
package func quoted(_ text: some StringProtocol) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        case "\t": result += "\\t"
        default:
            if scalar.isInvisibleOrUnassignable && !scalar.properties.isWhitespace {
                result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
    }
    return result + "\""
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
}
