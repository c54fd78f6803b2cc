import Foundation

/// A MIME entity (RFC 2045, 2046): header fields and a body, which is text (quoted-printable), binary data
/// (base64) or further entities.
///
/// Every line the writer makes ends in CRLF and has at most 78 characters (a header field holding one long
/// parameter section or address at most about 260), so the message passes any SMTP server's 998-octet limit without
/// relying on the server.
struct MIMEEntity {
    /// What the entity holds.
    enum Body {
        /// UTF-8 text, lines separated by line feeds; written as quoted-printable.
        case text(String)
        /// Bytes; written as base64 in lines of 76 characters.
        case binary(Data)
        /// Parts between `--boundary` lines. A boundary starts with `=_`, which neither quoted-printable (whose `=` is
        /// always followed by two hexadecimal digits or a line end) nor base64 nor a header line can contain, so it
        /// never occurs inside a part.
        case multipart(boundary: String, parts: [MIMEEntity])
    }

    /// The header fields, each a name and the tokens of its value (see ``HeaderFields/append(_:_:)``).
    var fields: [(name: String, tokens: [String])]
    /// The body.
    var body: Body

    /// Appends the entity: its header fields, an empty line, and its body, which does not end with a line break
    /// unless its content does (the line break before a boundary belongs to the boundary, RFC 2046 §5.1.1).
    func write(into output: inout [UInt8]) {
        output += headerBytes
        switch body {
        case .text(let text):
            QuotedPrintable.encode(text, into: &output)
        case .binary(let data):
            output += data.base64EncodedData(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        case .multipart(let boundary, let parts):
            for (index, part) in parts.enumerated() {
                output += Array(((index == 0 ? "" : "\r\n") + "--\(boundary)\r\n").utf8)
                part.write(into: &output)
            }
            output += Array("\r\n--\(boundary)--".utf8)
        }
    }

    /// The header fields and the empty line after them.
    private var headerBytes: [UInt8] {
        var header = HeaderFields()
        for field in fields { header.append(field.name, field.tokens) }
        return header.bytes + [13, 10]
    }

    /// The number of bytes ``write(into:)`` appends, without encoding binary data.
    var byteCount: Int {
        switch body {
        case .binary(let data):
            let characters = (data.count + 2) / 3 * 4
            let lines = (characters + 75) / 76
            return headerBytes.count + characters + 2 * max(0, lines - 1)
        case .text:
            var output: [UInt8] = []
            write(into: &output)
            return output.count
        case .multipart(let boundary, let parts):
            let delimiters = parts.count * (boundary.utf8.count + 4) + max(0, parts.count - 1) * 2 + boundary.utf8.count + 6
            return headerBytes.count + delimiters + parts.reduce(0) { $0 + $1.byteCount }
        }
    }
}
