import Foundation

/// A `multipart/form-data` body (RFC 7578) of text fields and files, the form the Bot API takes uploads in.
///
/// Written by hand: async-http-client has no form encoder, and SciLog's one-file form has no fields.
struct TelegramForm {
    /// The boundary between parts.
    let boundary = "herald-" + UUID().uuidString
    /// The parts written so far.
    private var parts: [UInt8] = []

    /// Adds a text field.
    mutating func add(field name: String, value: String) {
        parts += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n".utf8)
        parts += Array(value.utf8) + [0x0D, 0x0A]
    }

    /// Adds a file under field `name`. TDLib reads a parameter of `Content-Disposition` up to the next `;` and
    /// takes quotes only at its ends, so `;`, `"`, `%`, CR and LF in the file name are percent-encoded.
    mutating func add(file name: String, filename: String, contentType: String, data: Data) {
        var escaped = ""
        for scalar in filename.unicodeScalars {
            switch scalar {
            case ";", "\"", "%", "\r", "\n": escaped += String(format: "%%%02X", scalar.value)
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        parts += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(escaped)\"\r\n".utf8)
        parts += Array("Content-Type: \(contentType)\r\n\r\n".utf8)
        parts += data
        parts += [0x0D, 0x0A]
    }

    /// The whole body: the parts and the closing boundary.
    var body: [UInt8] { parts + Array("--\(boundary)--\r\n".utf8) }

    /// The request's `Content-Type`.
    var contentType: String { "multipart/form-data; boundary=\(boundary)" }
}
