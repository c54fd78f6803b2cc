/// A mistake in the destinations file or a plugin's settings, with the path of the offending value
/// (`services.signal.scopes.oncall.recipients[0]`). The reason never quotes a secret or an `_env` value.
public struct ConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file, when the settings came from one.
    public var file: String?
    /// The path of the value, empty for the whole document.
    public var path: String
    /// What is wrong.
    public var reason: String

    /// Creates an error.
    public init(file: String? = nil, path: String, reason: String) {
        self.file = file
        self.path = path
        self.reason = reason
    }

    /// `file: path: reason`, leaving out what is unknown.
    public var description: String {
        [file, path.isEmpty ? nil : path, reason].compactMap { $0 }.joined(separator: ": ")
    }
}
