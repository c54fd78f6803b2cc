import Herald

/// Where one event goes on one service: the scopes (configured destinations) that receive it.
public struct Route: Hashable, Sendable, Comparable {
    /// The event.
    public var event: NotificationEvent
    /// The service.
    public var service: Service
    /// The scopes, sorted.
    public var scopes: [String]

    /// Creates a route.
    public init(event: NotificationEvent, service: Service, scopes: [String]) {
        self.event = event
        self.service = service
        self.scopes = scopes.sorted()
    }

    /// The route's destinations.
    public var destinations: [Destination] { scopes.map { Destination(service: service, scope: $0) } }

    /// Orders by event, then service.
    public static func < (lhs: Route, rhs: Route) -> Bool {
        (lhs.event.rawValue, lhs.service.id) < (rhs.event.rawValue, rhs.service.id)
    }
}
