/// A message value that Herald refuses, with the place it was found.
///
/// `path` names the place as a JSON path into the message (`parts[3].color`, `title`), the same whether the
/// message came from JSON or from the Swift builder, so one error text serves both.
public struct MessageError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Where the value is, e.g. `parts[3].color`; empty for the message as a whole.
    public var path: String
    /// What is wrong with it, e.g. `unknown color "orange"; expected one of red, green, black, yellow, pink, blue`.
    public var reason: String

    /// Creates an error.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// `path: reason`, or just the reason when there is no path.
    public var description: String { path.isEmpty ? reason : "\(path): \(reason)" }

    /// The same error one level deeper, e.g. `link` under `parts[2]` becomes `parts[2].link`.
    package func nested(under prefix: String) -> MessageError {
        guard !prefix.isEmpty else { return self }
        if path.isEmpty { return MessageError(path: prefix, reason: reason) }
        let separator = path.hasPrefix("[") ? "" : "."
        return MessageError(path: prefix + separator + path, reason: reason)
    }
}
