import Foundation

/// A `multipart/form-data` request body (RFC 7578): fields and files, in the order appended. Shared by the plugins
/// that upload files (SciLog's uploads, Discord's `files[n]` beside `payload_json`).
struct MultipartForm {
    /// The boundary between parts: random, so that no file's bytes hold it by accident.
    let boundary = "herald-" + UUID().uuidString
    private var parts: [UInt8] = []

    /// Appends a field holding `data` of type `contentType`.
    mutating func appendField(_ name: String, contentType: String, data: some Sequence<UInt8>) {
        appendPart(disposition: "form-data; name=\"\(name)\"", contentType: contentType, data: data)
    }

    /// Appends a file: `data` as field `field`, with a file name and a content type. `"`, CR and LF in the file name are
    /// percent-encoded, as browsers do.
    mutating func appendFile(_ field: String, filename: String, contentType: String, data: Data) {
        var escaped = ""
        for scalar in filename.unicodeScalars {
            switch scalar {
            case "\"": escaped += "%22"
            case "\r": escaped += "%0D"
            case "\n": escaped += "%0A"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        appendPart(disposition: "form-data; name=\"\(field)\"; filename=\"\(escaped)\"", contentType: contentType, data: data)
    }

    private mutating func appendPart(disposition: String, contentType: String, data: some Sequence<UInt8>) {
        parts += Array("--\(boundary)\r\nContent-Disposition: \(disposition)\r\nContent-Type: \(contentType)\r\n\r\n".utf8)
        parts += data
        parts += Array("\r\n".utf8)
    }

    /// The encoded body: the parts and the closing boundary.
    var body: [UInt8] { parts + Array("--\(boundary)--\r\n".utf8) }

    /// The request's `Content-Type`.
    var contentType: String { "multipart/form-data; boundary=\(boundary)" }
}
