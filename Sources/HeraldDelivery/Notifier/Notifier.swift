import Foundation
import Herald
import Logging
import Metrics

/// Publishes events to the services their routes name, durably.
///
/// ```swift
/// let configuration = try DeliveryConfiguration(contentsOf: "herald.yaml")
/// let notifier = Notifier(configuration: configuration, outbox: try Outbox(path: "herald-outbox.sqlite"))
/// try await notifier.setAutoNotifications(event: .scanCompleted, service: .signal, enabled: true, scopes: ["oncall"])
/// try await notifier.notify(.scanCompleted, "Scan 12 done")
/// try await notifier.deliverPending()      // or keep `run()` going in a task
/// ```
///
/// `notify` only writes to the outbox (one delivery per routed destination, in one transaction); workers
/// (``deliverPending()``, ``run()``) send. Anything not yet delivered when the process stops is sent by the next
/// worker on the same outbox file.
///
/// Where deliveries can go is the ``DestinationDirectory``: the destinations file (``configuration``, immutable)
/// merged with the destinations created at run time and stored in the outbox (``addDestination(_:config:)``).
/// Routes, workers and test messages use the current directory (``directory()``), which is read again from the
/// outbox only when another change has been made there, by this process or another.
public struct Notifier: Sendable {
    /// The validated destinations file: the part of the destinations that does not change while running.
    public let configuration: DeliveryConfiguration
    /// The outbox.
    public let outbox: Outbox
    /// The current merged view of the file's and the stored destinations.
    let destinations: DestinationCache
    private let transport: any DeliveryTransport
    let environment: DeliveryEnvironment
    let logger: Logger
    let clock: @Sendable () -> Date
    private let metrics: any MetricsFactory
    /// Wakes this notifier's waiting workers when it queues a notification.
    let workQueued = WorkSignal()

    /// A notifier on `outbox`, sending through `transport` with secrets from `environment`; the times it records
    /// (enqueueing, leases, retries) come from `clock`, and each attempt's duration goes to `metrics` (the timer
    /// `herald_delivery_attempt_duration_seconds`, dimensions `service` and `outcome`).
    public init(
        configuration: DeliveryConfiguration, outbox: Outbox, transport: any DeliveryTransport = HTTPDeliveryTransport(),
        environment: DeliveryEnvironment = .process, logger: Logger = Logger(label: "herald.delivery"),
        clock: @escaping @Sendable () -> Date = Date.init, metrics: any MetricsFactory = NOOPMetricsHandler.instance
    ) {
        self.configuration = configuration
        self.outbox = outbox
        self.transport = transport
        self.environment = environment
        self.logger = logger
        self.clock = clock
        self.metrics = metrics
        self.destinations = DestinationCache(file: configuration, outbox: outbox, environment: environment)
    }

    // MARK: Routes

    /// Routes `event` on `service` to `scopes` (replacing the scopes it had) when `enabled`; otherwise stops
    /// routing it to `scopes`, or to any scope of the service when `scopes` is empty. Atomic.
    ///
    /// Enabling checks that the service is configured, supports the event's feature and defines every scope.
    public func setAutoNotifications(event: NotificationEvent, service: Service, enabled: Bool, scopes: [String]) async throws(DeliveryError) {
        if enabled {
            guard !scopes.isEmpty else { throw .invalidRoute("name at least one scope of \(service.id) to route \(event) to") }
            let directory = try await self.directory()
            for scope in scopes {
                let configured = try directory.deliveryTarget(for: Destination(service: service, scope: scope)).service
                if let feature = configuration.features.feature(of: event), !configuration.supports(feature, on: configured) {
                    throw .unsupportedFeature(
                        "\(service.id) does not support feature \(feature.id), which event \(event) belongs to; it supports "
                            + configuration.supportedFeatureList(of: configured))
                }
            }
        }
        try await outbox.setRoute(event: event, service: service, enabled: enabled, scopes: scopes)
        logger.info("route changed", metadata: ["event": "\(event)", "service": "\(service.id)", "enabled": "\(enabled)", "scopes": "\(scopes.sorted())"])
    }

    /// Every route, sorted by event and service.
    public func routes() async throws(DeliveryError) -> [Route] {
        try await outbox.routes()
    }

    /// The routes and the deliveries not yet delivered that name a destination neither the destinations file nor
    /// the stored destinations define (a scope or service removed since): they can never be delivered.
    public func orphans() async throws(DeliveryError) -> Orphans {
        let directory = try await self.directory()
        func isConfigured(_ service: String, _ scope: String) -> Bool { directory.defines(service: service, scope: scope) }
        let routes = try await outbox.storedRoutes().filter { !isConfigured($0.service, $0.scope) }
        let deliveries = try await outbox.deliveries(states: [.pending, .sending, .interrupted, .failed])
            .filter { !isConfigured($0.service.id, $0.scope) }
        return Orphans(routes: routes, deliveries: deliveries)
    }

    // MARK: Publishing

    /// Records `message` for `event` and one pending delivery per routed destination whose toggle of the event's
    /// feature is on, before any attempt. The message's event is set to `event`. Nothing is recorded when no such
    /// destination remains; the receipt names those a toggle left out.
    @discardableResult
    public func notify(_ event: NotificationEvent, _ message: NotificationMessage) async throws(DeliveryError) -> NotificationReceipt {
        // Without a key every call records (never replayed nor refused), so the fallback is never taken.
        try await notify(event, message, key: nil).receipt ?? NotificationReceipt(notificationID: nil, deliveries: [])
    }

    /// Publishes like `notify(event, message)`, once per `key`: a key seen within
    /// ``PublicationKey/window`` for the same request records nothing and answers the earlier publication, and for
    /// another request records nothing and answers ``Publication/keyReused``.
    public func notify(_ event: NotificationEvent, _ message: NotificationMessage, key: PublicationKey?) async throws(DeliveryError) -> Publication {
        var message = message
        do throws(MessageError) { try message.setEvent(event.rawValue) } catch { throw .invalidEvent(error.description) }
        let publication = try await outbox.enqueue(
            event: event, message: message, feature: configuration.features.feature(of: event), now: clock(), key: key)
        switch publication {
        case .recorded(let receipt):
            if !receipt.deliveries.isEmpty { workQueued.signal() }
            if !receipt.toggledOff.isEmpty {
                logger.info("destinations skipped by a toggle", metadata: ["event": "\(event)", "destinations": "\(receipt.toggledOff)"])
            }
            if receipt.deliveries.isEmpty, receipt.toggledOff.isEmpty {
                logger.info("no route for event; nothing to send", metadata: ["event": "\(event)"])
            } else {
                logger.info("notification queued", metadata: [
                    "event": "\(event)", "notification": "\(receipt.notificationID ?? "")",
                    "destinations": "\(receipt.deliveries.map(\.destination))",
                ])
            }
        case .replayed(let receipt):
            logger.info("idempotency key seen before; nothing queued", metadata: [
                "event": "\(event)", "notification": "\(receipt.notificationID ?? "")", "caller": "\(key?.caller ?? "")",
            ])
        case .keyReused:
            logger.info("idempotency key reused for another request; refused", metadata: ["event": "\(event)", "caller": "\(key?.caller ?? "")"])
        }
        return publication
    }

    /// Records a one-run plain-text message for `event`.
    @discardableResult
    public func notify(_ event: NotificationEvent, _ text: String) async throws(DeliveryError) -> NotificationReceipt {
        try await notify(event, NotificationMessage.plainText(text))
    }

    // MARK: Delivering

    /// Delivers everything pending, interrupted or due for a retry, waiting out backoffs, until nothing is left
    /// pending or in flight (every delivery is delivered or failed). Each wait is told to `progress` once it is
    /// recorded. Throws ``DeliveryError/storage(_:)`` as soon as an outbox write fails.
    @discardableResult
    public func deliverPending(progress: @escaping @Sendable (DeliveryProgress) -> Void = { _ in }) async throws(DeliveryError) -> DeliveryRunSummary {
        try await worker(progress: progress).run(untilIdle: true)
    }

    /// Delivers until the task is cancelled, polling the outbox every ``DeliveryPolicy/pollInterval`` and telling
    /// `progress` about each wait. Cancelling leaves attempts under way in flight, to be resumed by the next worker.
    public func run(progress: @escaping @Sendable (DeliveryProgress) -> Void = { _ in }) async throws(DeliveryError) {
        _ = try await worker(progress: progress).run(untilIdle: false)
    }

    /// Delivers like ``run(progress:)`` until `stop` returns, then drains: claims nothing more, lets the attempts
    /// under way finish for up to `gracePeriod`, then cancels those still running and gives their leases back, so
    /// that the next worker on the outbox resends them at once (with the same idempotency key) instead of waiting
    /// for the leases to expire. Returns when drained. `stop` must return when its task is cancelled; cancelling
    /// this task instead is like a crash, as with ``run(progress:)``.
    public func run(
        progress: @escaping @Sendable (DeliveryProgress) -> Void = { _ in }, gracePeriod: Duration,
        until stop: @escaping @Sendable () async -> Void
    ) async throws(DeliveryError) {
        _ = try await worker(progress: progress).run(untilIdle: false, stop: stop, gracePeriod: gracePeriod)
    }

    /// Sends the plugin's test message to one destination once, without the outbox: for checking a destination.
    public func sendTestMessage(to destination: Destination) async throws(DeliveryError) -> Result<SendReceipt, SendFailure> {
        let directory = try await self.directory()
        let target = try directory.deliveryTarget(for: destination)
        let exchange = DeliveryExchange(
            idempotencyKey: UUID().uuidString.lowercased(), transport: transport,
            requestTimeout: configuration.policy.requestTimeout, environment: target.environment, redactor: directory.redactor)
        do throws(SendFailure) {
            return .success(try await target.service.sendTestMessage(to: destination.scope, through: exchange))
        } catch {
            return .failure(error)
        }
    }

    /// The configured service of `destination`, refusing a service or scope neither the destinations file nor a
    /// stored destination defines, or a stored destination that cannot be used.
    public func configuredService(for destination: Destination) async throws(DeliveryError) -> ConfiguredService {
        try await directory().deliveryTarget(for: destination).service
    }

    private func worker(progress: @escaping @Sendable (DeliveryProgress) -> Void) -> DeliveryWorker {
        DeliveryWorker(
            outbox: outbox, configuration: configuration, destinations: destinations, transport: transport, logger: logger,
            clock: clock, progress: progress, metrics: metrics, workQueued: workQueued)
    }
}

/// What names a destination the destinations file no longer defines: see ``Notifier/orphans()``.
public struct Orphans: Hashable, Sendable {
    /// The routes to such destinations.
    public var routes: [StoredRoute]
    /// The deliveries to such destinations that are not delivered.
    public var deliveries: [DeliveryStatus]

    /// Whether there is none.
    public var isEmpty: Bool { routes.isEmpty && deliveries.isEmpty }
}

extension DeliveryEnvironment {
    /// The process's environment variables.
    public static var process: DeliveryEnvironment { DeliveryEnvironment(ProcessInfo.processInfo.environment) }
}
