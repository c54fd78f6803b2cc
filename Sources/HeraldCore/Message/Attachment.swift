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
        guard !data.isEmpty else { throw MessageError(path: "data", reason: "attachment \(quoted(filename, limit: echoedValueLimit)) is empty") }
        guard data.count <= maximumBytes else {
            throw MessageError(
                path: "data",
                reason: "attachment \(quoted(filename, limit: echoedValueLimit)) has \(data.count) bytes; the limit is \(maximumBytes)")
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

    /// Decodes base64 `encoded` (RFC 4648, padded, no line breaks) and validates the attachment. A string too long
    /// to decode to at most `maximumBytes` is refused before it is decoded.
    public init(
        base64 encoded: String, filename: String, mimeType: String, width: Int? = nil, height: Int? = nil,
        maximumBytes: Int = Attachment.defaultMaximumBytes
    ) throws(MessageError) {
        // Four characters encode three bytes, less up to two of padding.
        let characters = encoded.utf8.count
        let leastBytes = characters / 4 * 3 - 2
        guard leastBytes <= maximumBytes else {
            throw MessageError(
                path: "data",
                reason: "has \(characters) characters of base64, which decode to at least \(leastBytes) bytes; the limit is \(maximumBytes)")
        }
        guard let data = Data(base64Encoded: encoded) else {
            throw MessageError(path: "data", reason: "is not valid base64")
        }
        try self.init(filename: filename, mimeType: mimeType, data: data, width: width, height: height, maximumBytes: maximumBytes)
    }

    /// Reads the file at `path`; the MIME type comes from its extension. It must be a regular file (not a
    /// directory, device, FIFO or socket) of 1 to `maximumBytes` bytes; it is opened once, and checked before it
    /// is read.
    public init(
        contentsOf path: String, width: Int? = nil, height: Int? = nil,
        maximumBytes: Int = Attachment.defaultMaximumBytes
    ) throws(MessageError) {
        try self.init(contentsOf: path, as: path, insideAnyOf: nil, width: width, height: height, maximumBytes: maximumBytes)
    }

    /// Reads the file at `path` like ``init(contentsOf:width:height:maximumBytes:)``, naming it `written` (the
    /// path as the sender wrote it) in errors; with `directories`, the file, once every symbolic link and `..` is
    /// resolved, must also lie inside one of them. That is checked before the file is opened (so nothing outside
    /// is ever opened) and again on the opened file (so a link changed in between does not count).
    init(
        contentsOf path: String, as written: String, insideAnyOf directories: [String]?, width: Int?, height: Int?,
        maximumBytes: Int
    ) throws(MessageError) {
        let shown = quoted(written, limit: echoedValueLimit)
        let allowed = directories?.compactMap(realPath)
        func requireInside(_ resolved: String?) throws(MessageError) {
            guard let allowed else { return }
            guard let resolved, allowed.contains(where: resolved.isInside(directory:)) else {
                throw MessageError(
                    path: "path",
                    reason: "attachment file \(shown) is outside the directories attachments may come from (the message's directory and the attachment roots)")
            }
        }
        if allowed != nil {
            guard let resolved = realPath(path) else { throw Self.readError(.noSuchFile, shown: shown) }
            try requireInside(resolved)
        }
        let file: OpenedFile
        do throws(OpenedFile.Failure) {
            file = try OpenedFile(path: path, nonBlocking: true)
        } catch {
            throw Self.readError(error, shown: shown)
        }
        guard file.isRegularFile else {
            throw MessageError(path: "path", reason: "attachment \(shown) is not a regular file (a device, FIFO or socket)")
        }
        try requireInside(file.realPath)
        let bytes: [UInt8]
        do throws(OpenedFile.Failure) {
            // At most one byte more than the limit: a file that grew after `fstat` is still refused, and bounded.
            bytes = file.size > maximumBytes ? [] : try file.read(atMost: maximumBytes + 1)
        } catch {
            throw Self.readError(error, shown: shown)
        }
        guard file.size <= maximumBytes, bytes.count <= maximumBytes else {
            throw MessageError(
                path: "path", reason: "attachment file \(shown) has \(max(file.size, bytes.count)) bytes; the limit is \(maximumBytes)")
        }
        guard !bytes.isEmpty else { throw MessageError(path: "path", reason: "attachment file \(shown) is empty") }
        let url = URL(fileURLWithPath: path)
        try self.init(
            filename: url.lastPathComponent, mimeType: MIMEType.forFileExtension(url.pathExtension), data: Data(bytes),
            width: width, height: height, maximumBytes: maximumBytes)
    }

    private static func readError(_ failure: OpenedFile.Failure, shown: String) -> MessageError {
        switch failure {
        case .noSuchFile: MessageError(path: "path", reason: "cannot read attachment file \(shown): no such file")
        case .isDirectory: MessageError(path: "path", reason: "attachment \(shown) is a directory, not a file")
        case .unreadable(let reason): MessageError(path: "path", reason: "cannot read attachment file \(shown): \(reason)")
        }
    }

    /// Whether this is a raster image that chat and logbook services can show inline (PNG, JPEG, GIF).
    public var isInlineImage: Bool { MIMEType.inlineImages.contains(mimeType) }

    private static func validate(filename: String) throws(MessageError) {
        guard !filename.isEmpty else { throw MessageError(path: "filename", reason: "must not be empty") }
        guard filename.utf8.count <= 255 else {
            throw MessageError(path: "filename", reason: "has \(filename.utf8.count) UTF-8 bytes; the limit is 255")
        }
        guard filename != ".", filename != ".." else {
            throw MessageError(path: "filename", reason: "\(quoted(filename, limit: echoedValueLimit)) is not a file name")
        }
        if let bad = filename.unicodeScalars.first(where: { $0 == "/" || $0 == "\\" || $0.isForbiddenInName }) {
            throw MessageError(path: "filename", reason: "\(quoted(filename, limit: echoedValueLimit)) contains \(describe(bad)); a file name has no directories, control characters or noncharacters")
        }
    }

    private static func validate(mimeType: String) throws(MessageError) {
        let parts = mimeType.split(separator: "/", omittingEmptySubsequences: false)
        let isToken = { (part: Substring) in
            !part.isEmpty && part.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || "!#$&^_.+-".unicodeScalars.contains($0)) }
        }
        guard parts.count == 2, isToken(parts[0]), isToken(parts[1]) else {
            throw MessageError(path: "mime_type", reason: "\(quoted(mimeType, limit: echoedValueLimit)) is not a MIME type like image/png")
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
