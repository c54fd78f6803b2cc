/// Why creating, replacing or removing a destination at run time failed. Descriptions never contain a secret.
public enum DestinationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The request is not a valid destination: `path` names where (`service`, `name`, `config.webhook_url`).
    case invalid(path: String, reason: String)
    /// The name is taken (by the destinations file or a stored destination), or routes or deliveries still name it.
    case conflict(String)
    /// No such stored destination.
    case notFound(String)
    /// The outbox failed, or its stored destinations cannot be used.
    case delivery(DeliveryError)

    /// One line for an `error:` message.
    public var description: String {
        switch self {
        case .invalid(let path, let reason): path.isEmpty ? reason : "\(path): \(reason)"
        case .conflict(let reason), .notFound(let reason): reason
        case .delivery(let error): error.description
        }
    }
}
