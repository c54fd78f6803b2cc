import Foundation

/// A file sent with a message: an image shown inline where the service can, or any other file.
public struct Attachment: Hashable, Sendable {
    /// The file name shown to recipients, without directories.
    public let filename: String
    /// The MIME type, e.g. `image/png`.
    public let mimeType: String
    /// The file's bytes; never empty.
    public let data: Data
    /// The display width in pixels, if the sender chose one.
    public let width: Int?
    /// The display height in pixels, if the sender chose one.
    public let height: Int?

    /// The largest attachment accepted unless a caller allows more: 5 MiB.
    public static let defaultMaximumBytes = 5 * 1024 * 1024

    /// Validates and creates an attachment.
    public init(
        filename: String, mimeType: String, data: Data, width: Int? = nil, height: Int? = nil,
        maximumBytes: Int = Attachment.defaultMaximumBytes
    ) throws(MessageError) {
        try Self.validate(filename: filename)
        try Self.validate(mimeType: mimeType)
        guard !data.isEmpty else { throw MessageError(path: "data", reason: "attachment \(quoted(filename)) is empty") }
        guard data.count <= maximumBytes else {
            throw MessageError(
                path: "data",
                reason: "attachment \(quoted(filename)) has \(data.count) bytes; the limit is \(maximumBytes)")
        }
        for (name, value) in [("width", width), ("height", height)] {
            if let value, !(1...100_000).contains(value) {
                throw MessageError(path: name, reason: "must be a whole number of pixels from 1 to 100000, not \(value)")
            }
        }
        self.filename = filename
        self.mimeType = mimeType.lowercased()
        self.data = data
        self.width = width
        self.height = height
    }

    /// Reads the file at `path`; the MIME type comes from its extension.
    public init(
        contentsOf path: String, width: Int? = nil, height: Int? = nil,
        maximumBytes: Int = Attachment.defaultMaximumBytes
    ) throws(MessageError) {
        let url = URL(fileURLWithPath: path)
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            throw MessageError(path: "path", reason: "cannot read attachment file \(quoted(path)): no such file")
        }
        if attributes[.type] as? FileAttributeType == .typeDirectory {
            throw MessageError(path: "path", reason: "attachment \(quoted(path)) is a directory, not a file")
        }
        if let size = attributes[.size] as? Int, size > maximumBytes {
            throw MessageError(
                path: "path", reason: "attachment file \(quoted(path)) has \(size) bytes; the limit is \(maximumBytes)")
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw MessageError(path: "path", reason: "cannot read attachment file \(quoted(path)): permission denied or unreadable")
        }
        guard !data.isEmpty else { throw MessageError(path: "path", reason: "attachment file \(quoted(path)) is empty") }
        try self.init(
            filename: url.lastPathComponent, mimeType: MIMEType.forFileExtension(url.pathExtension), data: data,
            width: width, height: height, maximumBytes: maximumBytes)
    }

    /// Whether this is a raster image that chat and logbook services can show inline (PNG, JPEG, GIF).
    public var isInlineImage: Bool { MIMEType.inlineImages.contains(mimeType) }

    private static func validate(filename: String) throws(MessageError) {
        guard !filename.isEmpty else { throw MessageError(path: "filename", reason: "must not be empty") }
        guard filename.utf8.count <= 255 else {
            throw MessageError(path: "filename", reason: "has \(filename.utf8.count) UTF-8 bytes; the limit is 255")
        }
        guard filename != ".", filename != ".." else {
            throw MessageError(path: "filename", reason: "\(quoted(filename)) is not a file name")
        }
        if let bad = filename.unicodeScalars.first(where: { $0 == "/" || $0 == "\\" || $0.isForbiddenInName }) {
            throw MessageError(path: "filename", reason: "\(quoted(filename)) contains \(describe(bad)); a file name has no directories, control characters or noncharacters")
        }
    }

    private static func validate(mimeType: String) throws(MessageError) {
        let parts = mimeType.split(separator: "/", omittingEmptySubsequences: false)
        let isToken = { (part: Substring) in
            !part.isEmpty && part.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || "!#$&^_.+-".unicodeScalars.contains($0)) }
        }
        guard parts.count == 2, isToken(parts[0]), isToken(parts[1]) else {
            throw MessageError(path: "mime_type", reason: "\(quoted(mimeType)) is not a MIME type like image/png")
        }
    }
}

/// MIME types Herald knows by file extension.
public enum MIMEType {
    /// Image types every service that shows images inline can display.
    public static let inlineImages: Set<String> = ["image/png", "image/jpeg", "image/gif"]

    /// The MIME type for a file extension (case-insensitive); `application/octet-stream` when unknown.
    public static func forFileExtension(_ fileExtension: String) -> String {
        byExtension[fileExtension.lowercased()] ?? "application/octet-stream"
    }

    private static let byExtension: [String: String] = [
        "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
        "webp": "image/webp", "svg": "image/svg+xml", "tif": "image/tiff", "tiff": "image/tiff",
        "pdf": "application/pdf", "txt": "text/plain", "log": "text/plain", "csv": "text/csv",
        "json": "application/json", "xml": "application/xml", "html": "text/html", "md": "text/markdown",
        "zip": "application/zip", "gz": "application/gzip", "h5": "application/x-hdf5", "hdf5": "application/x-hdf5",
        "nxs": "application/x-hdf5", "yaml": "application/yaml", "yml": "application/yaml",
        "gcode": "text/x-gcode", "stl": "model/stl", "mp4": "video/mp4",
    ]
}
