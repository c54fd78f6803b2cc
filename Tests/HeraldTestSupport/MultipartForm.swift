import Foundation

/// A `multipart/form-data` body read part by part, as a receiver reads it: its fields and its files, by name.
public struct MultipartForm: Sendable {
    /// An uploaded file.
    public struct File: Sendable {
        /// The part's `filename`.
        public var filename: String
        /// The part's `Content-Type`.
        public var contentType: String
        /// The bytes.
        public var data: [UInt8]
    }

    /// The fields (parts without a file name), by name.
    public var fields: [String: String] = [:]
    /// The files, by field name.
    public var files: [String: File] = [:]

    /// Reads `request`'s body; `nil` when it is not `multipart/form-data` with a boundary.
    public init?(_ request: ReceivedRequest) {
        let contentType = request.header("Content-Type") ?? ""
        guard contentType.hasPrefix("multipart/form-data; boundary="), let boundary = contentType.split(separator: "=").last else { return nil }
        let delimiter = Array("\r\n--\(boundary)".utf8)
        var body = Array("\r\n".utf8) + request.body
        while let start = body.firstRange(of: delimiter) {
            body.removeSubrange(..<start.upperBound)
            guard body.starts(with: Array("\r\n".utf8)), let headerEnd = body.firstRange(of: Array("\r\n\r\n".utf8)),
                let end = body.firstRange(of: delimiter)
            else { break }
            let headers = String(decoding: body[2..<headerEnd.lowerBound], as: UTF8.self)
            let content = Array(body[headerEnd.upperBound..<end.lowerBound])
            let name = headers.firstMatch(of: /name="([^"]*)"/).map { String($0.1) } ?? ""
            if let filename = headers.firstMatch(of: /filename="([^"]*)"/) {
                let type = headers.firstMatch(of: /Content-Type: (.*)/).map { String($0.1) } ?? ""
                files[name] = File(filename: String(filename.1), contentType: type, data: content)
            } else {
                fields[name] = String(decoding: content, as: UTF8.self)
            }
        }
    }
}
