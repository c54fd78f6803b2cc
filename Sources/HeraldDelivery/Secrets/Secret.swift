import Foundation

/// A secret value (an API token, a webhook URL) read from an environment variable.
///
/// A `Secret` never shows its value: `description`, `debugDescription`, string interpolation, `dump` and
/// reflection all print `<secret>`. Only the plugins in this module read ``value``, to put it on the wire.
public struct Secret: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The value, for building a request.
    let value: String

    /// Wraps a value.
    init(_ value: String) { self.value = value }

    /// `<secret>`.
    public var description: String { "<secret>" }
    /// `<secret>`.
    public var debugDescription: String { "<secret>" }
    /// A mirror without children.
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}

/// Replaces every known secret value in a text with `<secret>`, so that nothing Herald logs, stores or shows
/// can carry one: services sometimes echo a request's URL or headers back in their error text.
///
/// A secret URL (a webhook) is also redacted by its path and query, and by each path segment of eight characters
/// or more, since a service may echo only those.
public struct SecretRedactor: Sendable {
    private let secrets: [String]

    /// A redactor for `secrets` (empty values are ignored).
    public init(secrets: some Sequence<Secret>) {
        var fragments: Set<String> = []
        for secret in secrets where !secret.value.isEmpty {
            fragments.insert(secret.value)
            if let url = URLComponents(string: secret.value), url.scheme != nil, url.host != nil {
                let tail = url.percentEncodedPath + (url.percentEncodedQuery.map { "?" + $0 } ?? "")
                if tail.count >= 8 { fragments.insert(tail) }
                for segment in url.percentEncodedPath.split(separator: "/") where segment.count >= 8 {
                    fragments.insert(String(segment))
                }
                if let query = url.percentEncodedQuery, query.count >= 8 { fragments.insert(query) }
            }
        }
        // Longest first, so that a secret containing another is replaced whole.
        self.secrets = fragments.sorted { $0.count > $1.count }
    }

    /// `text` with every secret replaced by `<secret>`.
    public func redact(_ text: String) -> String {
        secrets.reduce(text) { $0.replacingOccurrences(of: $1, with: "<secret>") }
    }
}
