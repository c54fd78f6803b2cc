import Foundation

/// A `multipart/form-data` body (RFC 7578) holding one file.
struct MultipartFile {
    /// The boundary between parts.
    let boundary: String
    /// The encoded body.
    let body: [UInt8]

    /// Encodes `data` as form field `field` with a file name and a content type. `"`, CR and LF in the file name
    /// are percent-encoded, as browsers do.
    init(field: String, filename: String, contentType: String, data: Data) {
        boundary = "herald-" + UUID().uuidString
        var escaped = ""
        for scalar in filename.unicodeScalars {
            switch scalar {
            case "\"": escaped += "%22"
            case "\r": escaped += "%0D"
            case "\n": escaped += "%0A"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        var body = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"\(escaped)\"\r\nContent-Type: \(contentType)\r\n\r\n".utf8)
        body += data
        body += Array("\r\n--\(boundary)--\r\n".utf8)
        self.body = body
    }

    /// The request's `Content-Type`.
    var contentType: String { "multipart/form-data; boundary=\(boundary)" }
}
