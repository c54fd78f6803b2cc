import Foundation

/// Options for reading a message from JSON: where attachment files may come from, and the caps on input.
///
/// An attachment `path` is resolved against ``baseDirectory`` (the message file's directory); the file it names
/// must, once every symbolic link and `..` is resolved, be a regular file inside ``baseDirectory`` or inside one of
/// ``attachmentRoots``. Anything else (an absolute path elsewhere, `..` or a symbolic link leading out, a device,
/// FIFO or `/proc` file outside them) is refused, naming the part, before the file is read.
public struct MessageDecodingOptions: Sendable {
    /// The largest JSON message read unless a caller allows more: 32 MiB.
    public static let defaultMaximumMessageBytes = 32 * 1024 * 1024

    /// The directory that relative attachment `path`s are resolved against, and that attachment files must lie in
    /// unless they lie in one of ``attachmentRoots``; `nil` refuses `path` attachments.
    public var baseDirectory: String?
    /// More directories (absolute) that attachment files may lie in, e.g. the ones an operator lists in the
    /// destinations file.
    public var attachmentRoots: [String]
    /// The largest attachment accepted, in bytes.
    public var maximumAttachmentBytes: Int
    /// The largest JSON message accepted, in bytes; checked before the message is parsed.
    public var maximumMessageBytes: Int

    /// Creates options.
    public init(
        baseDirectory: String? = nil, attachmentRoots: [String] = [],
        maximumAttachmentBytes: Int = Attachment.defaultMaximumBytes,
        maximumMessageBytes: Int = MessageDecodingOptions.defaultMaximumMessageBytes
    ) {
        self.baseDirectory = baseDirectory
        self.attachmentRoots = attachmentRoots
        self.maximumAttachmentBytes = maximumAttachmentBytes
        self.maximumMessageBytes = maximumMessageBytes
    }
}

/// Why a JSON document is not a message: malformed JSON (with line and column) or a refused value (with path).
public enum MessageInputError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The bytes are not JSON.
    case malformedJSON(JSONSyntaxError)
    /// The JSON is not a valid message.
    case invalidMessage(MessageError)
    /// The message has more bytes than the limit, and was not read.
    case tooLarge(byteCount: Int, limit: Int)

    /// `malformed JSON at line 3, column 7: ...`, `parts[2].color: ...` or `the message has ... bytes; the limit is ...`.
    public var description: String {
        switch self {
        case .malformedJSON(let error): "malformed JSON at line \(error.line), column \(error.column): \(error.reason)"
        case .invalidMessage(let error): error.description
        case .tooLarge(let count, let limit): "the message has \(count) bytes; the limit is \(limit)"
        }
    }
}

extension NotificationMessage {
    /// The format name this version of Herald reads and writes.
    public static let formatName = "herald.message/v1"

    /// Reads a `herald.message/v1` document of at most ``MessageDecodingOptions/maximumMessageBytes``.
    public init(json bytes: some Collection<UInt8>, options: MessageDecodingOptions = .init()) throws(MessageInputError) {
        guard bytes.count <= options.maximumMessageBytes else {
            throw .tooLarge(byteCount: bytes.count, limit: options.maximumMessageBytes)
        }
        let value: JSONValue
        do throws(JSONSyntaxError) { value = try JSONReader().read(bytes) } catch { throw .malformedJSON(error) }
        do throws(MessageError) { try self.init(jsonValue: value, options: options) } catch { throw .invalidMessage(error) }
    }

    /// Reads a message from an already parsed JSON value.
    public init(jsonValue: JSONValue, options: MessageDecodingOptions = .init()) throws(MessageError) {
        let root = try JSONObjectReader(jsonValue, path: "")
        try root.allowOnly(["format", "event", "title", "parts"])
        if let format = try root.string("format"), format != Self.formatName {
            throw MessageError(path: "format", reason: "unsupported format \(quoted(format, limit: echoedValueLimit)); expected \(quoted(Self.formatName))")
        }
        try self.init(title: root.string("title"), event: root.string("event"))
        for (index, element) in try root.array("parts").enumerated() {
            try decodePart(element, path: "parts[\(index)]", options: options)
        }
    }

    private mutating func decodePart(_ value: JSONValue, path: String, options: MessageDecodingOptions) throws(MessageError) {
        let part = try JSONObjectReader(value, path: path)
        guard let type = try part.string("type") else {
            throw MessageError(path: path, reason: "missing member \"type\"; expected one of \(Self.partTypes.joined(separator: ", "))")
        }
        switch type {
        case "text":
            try part.allowOnly(["type", "text", "bold", "italic", "strikethrough", "monospace", "color", "link"])
            let color = try part.string("color").map { name throws(MessageError) in
                try within("\(path).color") { () throws(MessageError) in try TextColor(validating: name) }
            }
            try addText(
                part.required(part.string("text"), "text"), bold: part.bool("bold"), italic: part.bool("italic"),
                strikethrough: part.bool("strikethrough"), monospace: part.bool("monospace"), color: color,
                link: part.string("link"))
        case "tags":
            try part.allowOnly(["type", "tags"])
            try addTags(part.required(part.stringArray("tags"), "tags"))
        case "attachment":
            try part.allowOnly(["type", "filename", "mime_type", "data", "path", "width", "height"])
            try decodeAttachment(part, path: path, options: options)
        case "table":
            try part.allowOnly(["type", "title", "columns", "rows"])
            let rowValues = try part.required(part.optionalArray("rows"), "rows")
            var rows: [[String]] = []
            for (index, row) in rowValues.enumerated() {
                rows.append(try JSONObjectReader.strings(row, path: "\(path).rows[\(index)]"))
            }
            try addTable(title: part.string("title"), columns: part.required(part.stringArray("columns"), "columns"), rows: rows)
        case "code":
            try part.allowOnly(["type", "language", "source"])
            try addCode(part.required(part.string("source"), "source"), language: part.string("language"))
        case "sticker":
            try part.allowOnly(["type", "sticker_id"])
            try addSticker(part.required(part.string("sticker_id"), "sticker_id"))
        default:
            throw MessageError(
                path: "\(path).type",
                reason: "unknown part type \(quoted(type, limit: echoedValueLimit)); expected one of \(Self.partTypes.joined(separator: ", "))")
        }
    }

    private mutating func decodeAttachment(_ part: JSONObjectReader, path: String, options: MessageDecodingOptions) throws(MessageError) {
        let width = try part.integer("width")
        let height = try part.integer("height")
        if let filePath = try part.string("path") {
            for key in ["data", "filename", "mime_type"] where part.has(key) {
                throw MessageError(path: "\(path).\(key)", reason: "an attachment has either \"path\" or \"data\" with \"filename\" and \"mime_type\", not both")
            }
            guard let baseDirectory = options.baseDirectory else {
                throw MessageError(path: "\(path).path", reason: "attachments by path are not allowed here; send the bytes as base64 \"data\"")
            }
            let resolved = filePath.hasPrefix("/") ? filePath : URL(fileURLWithPath: baseDirectory).appendingPathComponent(filePath).path
            try addAttachment(
                path: resolved, as: filePath, insideAnyOf: [baseDirectory] + options.attachmentRoots, width: width, height: height,
                maximumBytes: options.maximumAttachmentBytes)
            return
        }
        let encoded = try part.required(part.string("data"), "data", or: "an attachment needs \"data\" (base64) or \"path\"")
        let filename = try part.required(part.string("filename"), "filename")
        let mimeType = try part.required(part.string("mime_type"), "mime_type")
        try addAttachment(
            base64: encoded, filename: filename, mimeType: mimeType, width: width, height: height,
            maximumBytes: options.maximumAttachmentBytes)
    }

    private static let partTypes = ["text", "tags", "attachment", "table", "code", "sticker"]

    /// The message as a `herald.message/v1` JSON value; attachments carry their bytes as base64 `data`.
    public var jsonValue: JSONValue {
        var root: [String: JSONValue] = ["format": .string(Self.formatName)]
        if let title { root["title"] = .string(title) }
        if let event { root["event"] = .string(event) }
        root["parts"] = .array(parts.map(\.jsonValue))
        return .object(root)
    }

    /// The message as `herald.message/v1` JSON text (sorted keys, two-space indentation).
    public func jsonString() -> String {
        JSONWriter(prettyPrinted: true).string(jsonValue)
    }
}

extension NotificationMessage.Part {
    /// This part as a JSON value of `herald.message/v1`.
    var jsonValue: JSONValue {
        switch self {
        case .text(let text, let style):
            var object: [String: JSONValue] = ["type": "text", "text": .string(text)]
            if style.bold { object["bold"] = true }
            if style.italic { object["italic"] = true }
            if style.strikethrough { object["strikethrough"] = true }
            if style.monospace { object["monospace"] = true }
            if let color = style.color { object["color"] = .string(color.rawValue) }
            if let link = style.link { object["link"] = .string(link.url) }
            return .object(object)
        case .tags(let tags):
            return ["type": "tags", "tags": .array(tags.map(JSONValue.string))]
        case .attachment(let attachment):
            var object: [String: JSONValue] = [
                "type": "attachment", "filename": .string(attachment.filename),
                "mime_type": .string(attachment.mimeType), "data": .string(attachment.data.base64EncodedString()),
            ]
            if let width = attachment.width { object["width"] = .integer(width) }
            if let height = attachment.height { object["height"] = .integer(height) }
            return .object(object)
        case .table(let table):
            var object: [String: JSONValue] = [
                "type": "table", "columns": .array(table.columns.map(JSONValue.string)),
                "rows": .array(table.rows.map { .array($0.map(JSONValue.string)) }),
            ]
            if let title = table.title { object["title"] = .string(title) }
            return .object(object)
        case .code(let code):
            var object: [String: JSONValue] = ["type": "code", "source": .string(code.source)]
            if let language = code.language { object["language"] = .string(language) }
            return .object(object)
        case .sticker(let sticker):
            return ["type": "sticker", "sticker_id": .string(sticker.id)]
        }
    }
}
