/// Quoted-printable (RFC 2045 §6.7), the transfer encoding of the e-mail's text and HTML parts: printable ASCII
/// stays readable, every other byte becomes `=XX`, and lines are at most 76 characters, broken with a soft line
/// break (`=` at the end of a line) where the text's own line is longer.
enum QuotedPrintable {
    /// The longest encoded line, soft line break included.
    static let maximumLineLength = 76

    /// Appends `text` to `output`, each line feed written as a CRLF hard line break.
    ///
    /// White space at the end of a line is encoded (`=20`, `=09`), so that no transport can strip it, and so is the
    /// `F` of a line starting with `From `, which mailbox files would otherwise mangle into `>From `.
    static func encode(_ text: String, into output: inout [UInt8]) {
        var lineLength = 0
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") {
                output += [13, 10]
                lineLength = 0
                index += 1
                continue
            }
            let endsLine = index + 1 == bytes.count || bytes[index + 1] == UInt8(ascii: "\n")
            var width = isLiteral(bytes, at: index, endsLine: endsLine, startsLine: lineLength == 0) ? 1 : 3
            // A soft line break leaves room for its `=`, unless this is the line's last character.
            if lineLength + width > maximumLineLength - (endsLine ? 0 : 1) {
                output += [UInt8(ascii: "="), 13, 10]
                lineLength = 0
                width = isLiteral(bytes, at: index, endsLine: endsLine, startsLine: true) ? 1 : 3
            }
            if width == 1 {
                output.append(byte)
            } else {
                output += [UInt8(ascii: "="), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
            }
            lineLength += width
            index += 1
        }
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// Whether the byte at `index` may stand for itself.
    private static func isLiteral(_ bytes: [UInt8], at index: Int, endsLine: Bool, startsLine: Bool) -> Bool {
        switch bytes[index] {
        case UInt8(ascii: " "), UInt8(ascii: "\t"):
            return !endsLine
        case UInt8(ascii: "F") where startsLine:
            return !bytes[index...].starts(with: "From ".utf8)
        case 0x21...0x3C, 0x3E...0x7E:
            return true
        default:
            return false
        }
    }
}
