import Foundation
import Herald

/// Where a delivery (one notification to one destination) stands.
public enum DeliveryState: String, Hashable, Sendable, CaseIterable {
    /// Waiting for its first attempt or for a retry.
    case pending
    /// An attempt is under way.
    case sending
    /// An attempt was cut short (its sender stopped) and its outcome is unknown; it will be sent again with the
    /// same idempotency key.
    case interrupted
    /// The service accepted it.
    case delivered
    /// It will not be retried: the service refused it, it could not be rendered, or the attempts ran out.
    /// `herald outbox retry` puts it back.
    case failed
}

/// One delivery as the outbox records it.
public struct DeliveryStatus: Hashable, Sendable {
    /// The delivery's id in the outbox.
    public var id: Int64
    /// The notification it belongs to.
    public var notificationID: String
    /// The notification's event.
    public var event: NotificationEvent
    /// The service.
    public var service: Service
    /// The destination's scope.
    public var scope: String
    /// The key sent as `Idempotency-Key` on every request of every attempt.
    public var idempotencyKey: String
    /// Where it stands.
    public var state: DeliveryState
    /// Attempts started, including interrupted ones.
    public var attempts: Int
    /// Attempts cut short with an unknown outcome.
    public var interruptedAttempts: Int
    /// Why the last attempt did not deliver, if it did not.
    public var lastError: String?
    /// When a pending delivery is next attempted.
    public var nextAttemptAt: Date?
    /// When the service accepted it.
    public var deliveredAt: Date?
    /// The service's reference for what it created, when it gave one.
    public var reference: String?
    /// When the notification was enqueued.
    public var createdAt: Date

    /// The destination as `service/scope`.
    public var destination: String { "\(service.id)/\(scope)" }
}

/// How many deliveries of one service are in one state.
public struct DeliveryCount: Hashable, Sendable {
    /// The service.
    public var service: Service
    /// The state.
    public var state: DeliveryState
    /// How many.
    public var count: Int
}

/// A delivery row this version of Herald cannot read: an unknown service, event or state (a newer version may
/// have written it). It is shown, never attempted, and never stops the other rows from being read.
public struct UnreadableDelivery: Hashable, Sendable {
    /// The delivery's id in the outbox.
    public var id: Int64
    /// What cannot be read.
    public var reason: String
}

/// One row of the outbox's deliveries, read or unreadable.
public enum OutboxEntry: Hashable, Sendable {
    /// A delivery this version reads.
    case delivery(DeliveryStatus)
    /// A row it cannot read.
    case unreadable(UnreadableDelivery)

    /// The delivery, when the row could be read.
    public var status: DeliveryStatus? {
        if case .delivery(let status) = self { status } else { nil }
    }
}

/// What `notify` recorded: the notification's id and one pending delivery per routed destination (none when no
/// route matches the event).
public struct NotificationReceipt: Hashable, Sendable {
    /// The notification's id in the outbox; `nil` when no route matched and nothing was recorded.
    public var notificationID: String?
    /// The deliveries, in destination order.
    public var deliveries: [DeliveryStatus]
    /// The routed destinations left out because their toggle of the event's feature is off, in order.
    public var toggledOff: [Destination] = []
    /// The event's feature; `nil` for an event in none.
    public var feature: Feature?

    /// One sentence per destination a toggle left out, for the notify receipt (the command line's notes, the API's
    /// `notes`): `skipped telegram/farm: feature print_done is off there`.
    public var toggleNotes: [String] {
        guard let feature else { return [] }
        return toggledOff.map { "skipped \($0): feature \(feature.id) is off there" }
    }

    /// Why nothing was recorded for `event` (the receipt has no notification): no route, or every routed
    /// destination has the event's feature off.
    public func nothingSentNote(for event: NotificationEvent) -> String {
        guard let feature, !toggledOff.isEmpty else { return "no route for event \(event); nothing was sent" }
        return "every destination routed for event \(event) has feature \(feature.id) off; nothing was sent"
    }
}

/// A destination: a service and one of its scopes.
public struct Destination: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The service.
    public var service: Service
    /// The scope.
    public var scope: String

    /// Creates a destination.
    public init(service: Service, scope: String) {
        self.service = service
        self.scope = scope
    }

    /// `service/scope`.
    public var description: String { "\(service.id)/\(scope)" }

    /// Orders by service, then scope.
    public static func < (lhs: Destination, rhs: Destination) -> Bool {
        (lhs.service.id, lhs.scope) < (rhs.service.id, rhs.scope)
    }
}
