import HeraldCore

/// Why a routing, configuration or outbox operation failed. Descriptions never contain a secret.
public enum DeliveryError: Error, Hashable, Sendable, CustomStringConvertible {
    /// An event name is not valid.
    case invalidEvent(String)
    /// The destinations file or a plugin's settings are wrong.
    case invalidConfiguration(ConfigurationError)
    /// A route names an unknown service or scope.
    case invalidRoute(String)
    /// A route or a toggle names a feature (or an event of a feature) the service does not support.
    case unsupportedFeature(String)
    /// A toggle names an unknown feature or a destination the destinations file does not define.
    case invalidToggle(String)
    /// The outbox database cannot be opened, read or written.
    case storage(String)

    /// One line for an `error:` message.
    public var description: String {
        switch self {
        case .invalidEvent(let reason), .invalidRoute(let reason), .unsupportedFeature(let reason), .invalidToggle(let reason): reason
        case .invalidConfiguration(let error): error.description
        case .storage(let reason): "outbox: \(reason)"
        }
    }
}
