import HeraldCore

/// A message document as `herald render`, `herald notify` and `herald serve` read it: a `herald.message/v1`
/// message, or a BEC notification (an object with a `message` array and no `parts`, see ``BECMessageImporter``).
public enum MessageDocument {
    /// Reads `value` as a BEC notification when it has BEC's shape, with the importer's notes, and as a
    /// `herald.message/v1` message otherwise. Errors name the JSON path inside `value`.
    public static func read(_ value: JSONValue, options: MessageDecodingOptions) throws(MessageError) -> BECImport {
        if BECMessageImporter.isBECMessage(value) {
            return try BECMessageImporter(maximumAttachmentBytes: options.maximumAttachmentBytes).importMessage(value)
        }
        return BECImport(message: try NotificationMessage(jsonValue: value, options: options), notes: [])
    }
}
