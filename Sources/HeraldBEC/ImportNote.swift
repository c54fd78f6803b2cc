/// Something an importer wants the sender to know about how it read a message, though the message is valid: for
/// example that a text which looked like formatted HTML is kept as literal text.
///
/// A note is not a ``Degradation``: it concerns reading the input, before any service is involved.
public struct ImportNote: Hashable, Sendable, CustomStringConvertible {
    /// Where in the input, as a JSON path (`message[2].content`).
    public var path: String
    /// What the importer did, as a sentence.
    public var message: String

    /// Creates a note.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// `path: message`.
    public var description: String { "\(path): \(message)" }
}
