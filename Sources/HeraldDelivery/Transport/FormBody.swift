import Foundation

/// A form request body in one of the two encodings of HTML forms, for the plugins that post forms (Pushover,
/// Twilio's SMS) or upload files (SciLog, Pushbullet, Discord): `application/x-www-form-urlencoded` for text fields,
/// `multipart/form-data` (RFC 7578) when a file goes along.
struct FormBody: Sendable {
    /// A part of a multipart form with a content type: a file, or a typed field such as Discord's `payload_json`.
    struct File: Sendable {
        /// The field's name.
        var field: String
        /// The file name sent with it; `nil` for a typed field.
        var filename: String?
        /// The file's MIME type.
        var contentType: String
        /// The file's bytes.
        var data: Data
    }

    /// The request's `Content-Type`.
    let contentType: String
    /// The encoded body.
    let body: [UInt8]

    /// `fields` in order, `name=value` joined by `&`, each name and value percent-encoded as UTF-8 but for the
    /// unreserved characters of RFC 3986 (letters, digits, `-`, `.`, `_`, `~`): a space is `%20` and `+` is
    /// `%2B`, which every form decoder reads back alike.
    static func urlEncoded(_ fields: [(name: String, value: String)]) -> FormBody {
        let text = fields.map { percentEncoded($0.name) + "=" + percentEncoded($0.value) }.joined(separator: "&")
        return FormBody(contentType: "application/x-www-form-urlencoded", body: Array(text.utf8))
    }

    /// `fields`, then `files` (in order), as `multipart/form-data` with a random boundary. `"`, CR and LF in a file
    /// name are percent-encoded, as browsers do.
    static func multipart(fields: [(name: String, value: String)] = [], files: [File]) -> FormBody {
        let boundary = "herald-" + UUID().uuidString
        var body: [UInt8] = []
        for (name, value) in fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        for file in files {
            var disposition = "form-data; name=\"\(file.field)\""
            if let filename = file.filename {
                var escaped = ""
                for scalar in filename.unicodeScalars {
                    switch scalar {
                    case "\"": escaped += "%22"
                    case "\r": escaped += "%0D"
                    case "\n": escaped += "%0A"
                    default: escaped.unicodeScalars.append(scalar)
                    }
                }
                disposition += "; filename=\"\(escaped)\""
            }
            body += Array("--\(boundary)\r\nContent-Disposition: \(disposition)\r\nContent-Type: \(file.contentType)\r\n\r\n".utf8)
            body += file.data
            body += Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        return FormBody(contentType: "multipart/form-data; boundary=\(boundary)", body: body)
    }

    /// `text` with every byte of its UTF-8 but RFC 3986's unreserved characters written `%XX`.
    static func percentEncoded(_ text: String) -> String {
        var encoded = ""
        encoded.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                encoded += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]], as: UTF8.self)
            }
        }
        return encoded
    }
}
