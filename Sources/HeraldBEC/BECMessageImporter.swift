import Foundation
import HeraldCore

/// Reads the notifications BEC (the beamline control system) publishes today: its pydantic `NotificationMessage`
/// as JSON, `{"metadata": {}, "event": "scan_completed", "message": [parts]}`.
///
/// A part is one of
/// - `{"content": "…"}`: text, its own paragraph (as BEC shows it). It is HTML only when BEC's formatter made it:
///   `<p>` around at most one `<mark class="pen-red|pen-green|marker-yellow|marker-pink|marker-blue">`, `<em>` and
///   `<strong>`, nested, around the escaped text, and nothing else; the highlight becomes the run's color. Any other
///   string is literal text, exactly as written; one that starts with `<p>` and ends with `</p>` but is not the
///   formatter's also gets an ``ImportNote`` saying why;
/// - `{"filename", "mime_type", "data", "width", "height"}`: a file, `data` in base64 (BEC's own JSON dump cannot
///   carry bytes), `width` and `height` optional or `null`;
/// - `{"tags": […]}`: tags;
/// - `{"sticker_id": "…"}`: a Signal sticker.
///
/// Message part `i` becomes part `i` of the ``NotificationMessage``, so report paths (`parts[2]`) and errors
/// (`message[2].mime_type: …`) name the same index. `metadata` may hold anything and is not passed on. Unknown
/// members and wrong types are errors with their JSON path; `metadata`, `event`, `width` and `height` may be `null`.
public struct BECMessageImporter: Sendable {
    /// The largest attachment accepted, in bytes.
    public var maximumAttachmentBytes: Int
    /// The largest JSON text ``importMessage(json:)`` reads, in bytes.
    public var maximumMessageBytes: Int

    /// Creates an importer.
    public init(
        maximumAttachmentBytes: Int = Attachment.defaultMaximumBytes,
        maximumMessageBytes: Int = MessageDecodingOptions.defaultMaximumMessageBytes
    ) {
        self.maximumAttachmentBytes = maximumAttachmentBytes
        self.maximumMessageBytes = maximumMessageBytes
    }

    /// Whether `value` has BEC's shape rather than `herald.message/v1`'s: an object with a `message` array and
    /// no `parts`.
    public static func isBECMessage(_ value: JSONValue) -> Bool {
        guard case .object(let members) = value, case .array? = members["message"] else { return false }
        return members["parts"] == nil
    }

    /// Reads a BEC notification from JSON text of at most ``maximumMessageBytes``.
    public func importMessage(json bytes: some Collection<UInt8>) throws(MessageInputError) -> BECImport {
        guard bytes.count <= maximumMessageBytes else { throw .tooLarge(byteCount: bytes.count, limit: maximumMessageBytes) }
        let value: JSONValue
        do throws(JSONSyntaxError) { value = try JSONReader().read(bytes) } catch { throw .malformedJSON(error) }
        do throws(MessageError) { return try importMessage(value) } catch { throw .invalidMessage(error) }
    }

    /// Reads a BEC notification from a parsed JSON value.
    public func importMessage(_ value: JSONValue) throws(MessageError) -> BECImport {
        let root = try members(of: value, at: "")
        try allowOnly(["metadata", "event", "message"], in: root, at: "")
        switch root["metadata"] {
        case nil, .null?, .object?: break
        case let other?: throw MessageError(path: "metadata", reason: "expected an object, found \(other.typeDescription)")
        }
        let parts: [JSONValue]
        switch root["message"] {
        case .array(let elements)?: parts = elements
        case nil: throw MessageError(path: "", reason: "missing member \"message\"")
        case let other?: throw MessageError(path: "message", reason: "expected an array, found \(other.typeDescription)")
        }
        var message = try NotificationMessage(event: optionalString("event", in: root, at: ""))
        var notes: [ImportNote] = []
        var hasText = false
        for (index, part) in parts.enumerated() {
            do throws(MessageError) {
                try add(part, index: index, to: &message, hasText: &hasText, notes: &notes)
            } catch {
                throw error.path.hasPrefix("parts[") ? MessageError(path: "message" + error.path.dropFirst("parts".count), reason: error.reason) : error
            }
        }
        return BECImport(message: message, notes: notes)
    }

    /// Adds the part at `message[index]` as the message's part `index`.
    private func add(
        _ value: JSONValue, index: Int, to message: inout NotificationMessage, hasText: inout Bool, notes: inout [ImportNote]
    ) throws(MessageError) {
        let path = "message[\(index)]"
        let part = try members(of: value, at: path)
        if part["content"] != nil {
            try allowOnly(["content"], in: part, at: path)
            let content = try optionalString("content", in: part, at: path) ?? ""
            // Every text part is its own paragraph: a paragraph break before all but the first.
            let separator = hasText ? "\n\n" : ""
            hasText = true
            switch BECFormattedText.read(content) {
            case .formatted(let text, let style):
                message.addText(separator + text, style: style)
            case .literal:
                message.addText(separator + content, style: .plain)
            case .literalDespiteMarkup(let reason):
                notes.append(ImportNote(
                    path: "\(path).content", message: "starts and ends like BEC's formatted HTML but \(reason); kept as literal text"))
                message.addText(separator + content, style: .plain)
            }
        } else if let tags = part["tags"] {
            try allowOnly(["tags"], in: part, at: path)
            guard case .array(let elements) = tags else {
                throw MessageError(path: "\(path).tags", reason: "expected an array of strings, found \(tags.typeDescription)")
            }
            var tags: [String] = []
            for (tagIndex, element) in elements.enumerated() {
                guard case .string(let tag) = element else {
                    throw MessageError(path: "\(path).tags[\(tagIndex)]", reason: "expected a string, found \(element.typeDescription)")
                }
                tags.append(tag)
            }
            try message.addTags(tags)
        } else if part["sticker_id"] != nil {
            try allowOnly(["sticker_id"], in: part, at: path)
            try message.addSticker(optionalString("sticker_id", in: part, at: path) ?? "")
        } else if ["filename", "mime_type", "data"].contains(where: { part[$0] != nil }) {
            try allowOnly(["filename", "mime_type", "data", "width", "height"], in: part, at: path)
            func required(_ key: String) throws(MessageError) -> String {
                guard let value = try optionalString(key, in: part, at: path) else {
                    throw MessageError(path: path, reason: "an attachment needs \"filename\", \"mime_type\" and \"data\"; \"\(key)\" is missing")
                }
                return value
            }
            let filename = try required("filename")
            let mimeType = try required("mime_type")
            try message.addAttachment(
                base64: required("data"), filename: filename, mimeType: mimeType,
                width: optionalInteger("width", in: part, at: path), height: optionalInteger("height", in: part, at: path),
                maximumBytes: maximumAttachmentBytes)
        } else {
            throw MessageError(
                path: path,
                reason: "not a BEC message part; expected {\"content\"}, {\"tags\"}, {\"sticker_id\"} or a file {\"filename\", \"mime_type\", \"data\"}")
        }
    }

    private func members(of value: JSONValue, at path: String) throws(MessageError) -> [String: JSONValue] {
        guard case .object(let members) = value else {
            throw MessageError(path: path, reason: "expected an object, found \(value.typeDescription)")
        }
        return members
    }

    private func allowOnly(_ allowed: [String], in members: [String: JSONValue], at path: String) throws(MessageError) {
        if let unknown = members.keys.sorted().first(where: { !allowed.contains($0) }) {
            let shown = displayable(unknown, limit: echoedValueLimit)
            throw MessageError(
                path: path.isEmpty ? shown : "\(path).\(shown)",
                reason: "unknown member; expected \(allowed.count == 1 ? allowed[0] : "one of " + allowed.joined(separator: ", "))")
        }
    }

    /// A string member; `null` or absent is `nil`.
    private func optionalString(_ key: String, in members: [String: JSONValue], at path: String) throws(MessageError) -> String? {
        switch members[key] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        case let other?: throw MessageError(path: path.isEmpty ? key : "\(path).\(key)", reason: "expected a string, found \(other.typeDescription)")
        }
    }

    /// A whole-number member; `null` or absent is `nil`.
    private func optionalInteger(_ key: String, in members: [String: JSONValue], at path: String) throws(MessageError) -> Int? {
        switch members[key] {
        case nil, .null?: return nil
        case .integer(let number)?: return number
        case let other?: throw MessageError(path: "\(path).\(key)", reason: "expected a whole number, found \(other.typeDescription)")
        }
    }
}

/// A message read from BEC's JSON, with what the reader noticed.
public struct BECImport: Hashable, Sendable {
    /// The message.
    public var message: NotificationMessage
    /// Notes about how parts were read, e.g. HTML-like text kept literal.
    public var notes: [ImportNote]

    /// Creates an import result.
    public init(message: NotificationMessage, notes: [ImportNote]) {
        self.message = message
        self.notes = notes
    }
}
