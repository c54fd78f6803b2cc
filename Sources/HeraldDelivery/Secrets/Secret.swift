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
