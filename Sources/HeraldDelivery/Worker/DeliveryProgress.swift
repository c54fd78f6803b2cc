import Foundation

/// What a worker reports while it delivers, for a person watching (``Notifier/deliverPending(progress:)``).
/// Reported only after the outbox has recorded it.
public enum DeliveryProgress: Hashable, Sendable {
    /// An attempt failed transiently and the delivery waits before its next attempt.
    case waiting(DeliveryWait)
}

/// A delivery waiting for its next attempt: which, until when, and why.
public struct DeliveryWait: Hashable, Sendable {
    /// The delivery's id in the outbox.
    public var deliveryID: Int64
    /// Where it goes.
    public var destination: Destination
    /// The attempt that failed, not counting interrupted ones.
    public var attempt: Int
    /// When the next attempt is due: the backoff, or what the service asked with `Retry-After` (up to
    /// ``DeliveryPolicy/maximumRetryAfter``).
    public var until: Date
    /// The service's reason (secrets redacted), e.g. `HTTP 429: slow down`.
    public var reason: String
}
