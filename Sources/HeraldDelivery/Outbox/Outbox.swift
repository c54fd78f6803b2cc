import Foundation
import Herald

/// The durable outbox: routes, notifications and one row per (notification, destination), in a SQLite file or a
/// PostgreSQL database (see ``OutboxLocation``).
///
/// It is the source of truth for delivery. `enqueue` writes a notification and all its deliveries in one
/// transaction before any attempt. A delivery moves `pending → in flight → delivered | failed`; starting an
/// attempt is recorded (with a lease) before the first request goes out, so a sender that crashes leaves the row
/// in flight, and once the lease has expired any sender takes it over as interrupted and sends it again with the
/// same idempotency key. Outcomes are written only by the sender that holds the lease for that attempt number.
///
/// Any number of senders may share one outbox: a SQLite file between processes of one machine (WAL mode, waits up
/// to 30 s for a lock), a PostgreSQL database between machines (claims with `FOR UPDATE SKIP LOCKED`). A
/// destination's deliveries are sent one at a time in the order they were accepted: see ``OutboxStorage``.
public struct Outbox: Sendable {
    let storage: any OutboxStorage

    /// Opens (creating if needed) the SQLite outbox at `path`.
    public init(path: String) throws(DeliveryError) {
        storage = try SQLiteOutboxStorage(path: path)
    }

    /// Opens the outbox at `location`, reading a PostgreSQL password from `environment`. A PostgreSQL outbox
    /// connects and applies its schema migrations on first use.
    public init(location: OutboxLocation, environment: DeliveryEnvironment = .process) throws(DeliveryError) {
        switch location {
        case .sqlite(let path): storage = try SQLiteOutboxStorage(path: path)
        case .postgres(let settings): storage = try PostgresOutboxStorage(settings: settings, environment: environment)
        }
    }

    // MARK: Routes

    /// Every route, sorted by event and service.
    public func routes() async throws(DeliveryError) -> [Route] {
        var grouped: [String: [String: [String]]] = [:]
        for row in try await storage.storedRoutes() { grouped[row.event, default: [:]][row.service, default: []].append(row.scope) }
        var routes: [Route] = []
        for (event, services) in grouped {
            for (service, scopes) in services {
                guard let event = NotificationEvent(rawValue: event), let service = Service(id: service) else {
                    throw .storage("the routes table holds an unknown event or service (\(event), \(service))")
                }
                routes.append(Route(event: event, service: service, scopes: scopes))
            }
        }
        return routes.sorted()
    }

    /// In one transaction: replaces the scopes of `(event, service)` with `scopes` when `enabled`; otherwise removes
    /// `scopes` from it, or the whole route when `scopes` is empty.
    func setRoute(event: NotificationEvent, service: Service, enabled: Bool, scopes: [String]) async throws(DeliveryError) {
        try await storage.setRoute(event: event.rawValue, service: service.id, enabled: enabled, scopes: scopes)
    }

    /// Every route as stored, service and event unparsed: what ``routes()`` would refuse is here too.
    func storedRoutes() async throws(DeliveryError) -> [StoredRoute] {
        try await storage.storedRoutes()
    }

    // MARK: Deliveries

    /// In one transaction: records `message` for `event` and one pending delivery per destination of its routes
    /// whose toggle of `feature` (the event's) is on, each with a fresh idempotency key. Records nothing when no
    /// such destination remains (the receipt names the destinations a toggle left out), or when `key` was seen
    /// within its window (then the earlier publication is answered); otherwise remembers `key` with what it
    /// published.
    func enqueue(
        event: NotificationEvent, message: NotificationMessage, feature: Feature?, now: Date, key: PublicationKey? = nil
    ) async throws(DeliveryError) -> Publication {
        let notification = StoredNotification(
            id: UUID().uuidString.lowercased(), event: event.rawValue, message: JSONWriter().bytes(message.jsonValue),
            attachmentCount: message.parts.count { if case .attachment = $0 { true } else { false } },
            createdAt: now.timeIntervalSince1970)
        let outcome = try await storage.enqueue(EnqueueRequest(notification: notification, feature: feature, key: key), now: now)
        func receipt(_ id: String?, toggledOff: [Destination]) async throws(DeliveryError) -> NotificationReceipt {
            guard let id else { return NotificationReceipt(notificationID: nil, deliveries: [], toggledOff: toggledOff, feature: feature) }
            return NotificationReceipt(
                notificationID: id, deliveries: try await deliveries(notificationID: id, now: now), toggledOff: toggledOff, feature: feature)
        }
        switch outcome {
        case .recorded(let id, let toggledOff): return .recorded(try await receipt(id, toggledOff: toggledOff))
        case .replayed(let id): return .replayed(try await receipt(id, toggledOff: []))
        case .keyReused(let key): return .keyReused(key)
        }
    }

    /// The deliveries in id order, optionally only those of one notification or in some states. Rows this version
    /// cannot read are left out: ``entries(notificationID:states:now:)`` shows them.
    public func deliveries(notificationID: String? = nil, states: Set<DeliveryState>? = nil, now: Date = Date()) async throws(DeliveryError) -> [DeliveryStatus] {
        try await entries(notificationID: notificationID, states: states, now: now).compactMap(\.status)
    }

    /// Every delivery row in id order, optionally only those of one notification or in some states, each read or
    /// marked unreadable (an unknown service, event or state, as a newer version of Herald may write). One bad
    /// row never hides the others. Unreadable rows are in no state: a `states` filter leaves them out.
    public func entries(notificationID: String? = nil, states: Set<DeliveryState>? = nil, now: Date = Date()) async throws(DeliveryError) -> [OutboxEntry] {
        let entries = try await storage.rows(notificationID: notificationID).map { Self.entry($0, now: now) }
        guard let states else { return entries }
        return entries.filter { $0.status.map { states.contains($0.state) } ?? false }
    }

    /// The last `limit` deliveries to `destination`, newest first, each read or marked unreadable as in
    /// ``entries(notificationID:states:now:)``: what a channel's page shows as its recent deliveries.
    public func recentEntries(to destination: Destination, limit: Int, now: Date = Date()) async throws(DeliveryError) -> [OutboxEntry] {
        try await storage.newestRows(of: destination, limit: limit).map { Self.entry($0, now: now) }
    }

    /// Deletes the deliveries `ids` that are not being attempted by a live sender, and notifications left without
    /// deliveries; returns the ids deleted.
    public func drop(ids: [Int64], now: Date = Date()) async throws(DeliveryError) -> [Int64] {
        try await storage.drop(ids: ids, now: now)
    }

    /// Deletes the deliveries delivered before `date`, in transactions of at most `batch` rows so that other
    /// writers wait little, and each notification once none of its deliveries is left; returns how many.
    public func pruneDelivered(before date: Date, batch: Int = 1_000) async throws(DeliveryError) -> Int {
        var pruned = 0
        while true {
            let count = try await storage.pruneDelivered(before: date.timeIntervalSince1970, limit: batch)
            pruned += count
            if count < batch { return pruned }
        }
    }

    /// How many deliveries are in each state, per service, for the services this version knows; unreadable rows
    /// are not counted.
    public func deliveryCounts(now: Date = Date()) async throws(DeliveryError) -> [DeliveryCount] {
        try await storage.stateCounts(now: now).compactMap { row in
            guard let service = Service(id: row.service), let state = DeliveryState(rawValue: row.state) else { return nil }
            return DeliveryCount(service: service, state: state, count: row.count)
        }
    }

    /// Reads the database once, throwing ``DeliveryError/storage(_:)`` when it does not answer.
    public func checkReadable() async throws(DeliveryError) {
        try await storage.checkReadable()
    }

    /// Ends the leases `owner` holds at `now`, so that the next sender takes those deliveries over at once (as
    /// interrupted: their outcome is unknown) instead of waiting for the leases to expire; returns how many.
    func releaseLeases(owner: String, now: Date) async throws(DeliveryError) -> Int {
        try await storage.releaseLeases(owner: owner, now: now)
    }

    /// Puts failed deliveries (all, or those in `ids`) back to pending with a fresh attempt budget; returns how
    /// many. Their idempotency keys stay the same.
    public func retryFailed(ids: [Int64]? = nil, now: Date = Date()) async throws(DeliveryError) -> Int {
        try await storage.retryFailed(ids: ids, now: now)
    }

    /// In one transaction: takes up to `limit` deliveries that are due for `owner`, marking each in flight with a
    /// lease of `policy.lease(forRequests:)` (one request per attachment, plus one).
    ///
    /// Due means pending and due, or in flight for another sender with an expired lease (interrupted), and the
    /// first unfinished delivery of its destination: a sender never takes its own rows over, since it knows it is
    /// still attempting them. A delivery interrupted for the `policy.maximumInterruptedAttempts`th time fails
    /// instead of being taken. Rows of a service this version does not know are left alone.
    func claim(limit: Int, owner: String, now: Date, policy: DeliveryPolicy) async throws(DeliveryError) -> ClaimBatch {
        guard limit > 0 else { return ClaimBatch() }
        return try await storage.claim(Self.claimRequest(limit: limit, owner: owner, now: now, policy: policy))
    }

    private static func claimRequest(limit: Int, owner: String, now: Date, policy: DeliveryPolicy) -> ClaimRequest {
        ClaimRequest(limit: limit, owner: owner, now: now, policy: policy)
    }

    /// Extends the lease of attempt `claim.attempt` to `now + duration`, if `owner` still holds it; returns
    /// whether it did.
    func renewLease(of claim: ClaimedDelivery, owner: String, now: Date, duration: Duration) async throws(DeliveryError) -> Bool {
        try await storage.renewLease(id: claim.id, attempt: claim.attempt, owner: owner, expiry: now.timeIntervalSince1970 + duration.seconds)
    }

    /// Records that the service accepted the first `count` messages of attempt `claim.attempt`, if `owner` still
    /// holds it; returns whether it did. A later attempt starts after them.
    func recordMessagesSent(_ count: Int, of claim: ClaimedDelivery, owner: String, now: Date) async throws(DeliveryError) -> Bool {
        try await storage.recordMessagesSent(count, id: claim.id, attempt: claim.attempt, owner: owner, now: now)
    }

    /// Why a delivery interrupted `count` times failed.
    static func interruptedReason(_ count: Int) -> String {
        "interrupted \(count) times: its sender stopped during each of those attempts, so their outcome is unknown; 'herald outbox retry' sends it again"
    }

    /// Records the outcome of attempt `claim.attempt`, if `owner` still holds it; returns whether it did.
    @discardableResult
    func record(_ outcome: AttemptOutcome, of claim: ClaimedDelivery, owner: String, now: Date) async throws(DeliveryError) -> Bool {
        try await storage.record(outcome, id: claim.id, attempt: claim.attempt, owner: owner, now: now, thenClaim: nil).recorded
    }

    /// Records as ``record(_:of:owner:now:)`` does and then, in the same transaction (one write for both, so that a
    /// worker keeps its pace), claims up to `limit` more as ``claim(limit:owner:now:policy:)`` does, when it
    /// recorded; returns whether it recorded, and what it claimed.
    func recordAndClaim(
        _ outcome: AttemptOutcome, of claim: ClaimedDelivery, owner: String, now: Date, limit: Int, policy: DeliveryPolicy
    ) async throws(DeliveryError) -> (recorded: Bool, next: ClaimBatch) {
        let next = limit > 0 ? Self.claimRequest(limit: limit, owner: owner, now: now, policy: policy) : nil
        return try await storage.record(outcome, id: claim.id, attempt: claim.attempt, owner: owner, now: now, thenClaim: next)
    }

    /// Takes a send's slot under every one of `rules` now, if each has one free; otherwise takes none and says when
    /// they may all be free. Every worker sharing the outbox counts the same slots. An empty `rules` is always free
    /// and reads nothing.
    func takeRateLimitSlots(_ rules: [RateLimitRule], now: Date) async throws(DeliveryError) -> RateLimitSlot {
        guard !rules.isEmpty else { return .taken(at: now.timeIntervalSince1970) }
        let slot = try await storage.takeRateLimitSlots(rules, now: now)
        return slot.taken ? .taken(at: slot.at) : .wait(until: Date(timeIntervalSince1970: slot.at))
    }

    /// Counts the send taken under `rules` at `slot` from `answeredAt`, when the service answered, so that the
    /// time it took to arrive never lets the next ones into its window.
    func settleRateLimitSlots(_ rules: [RateLimitRule], slot: Double, answeredAt: Date) async throws(DeliveryError) {
        guard !rules.isEmpty else { return }
        try await storage.settleRateLimitSlots(rules, slot: slot, answered: max(slot, answeredAt.timeIntervalSince1970))
    }

    /// The earliest time another delivery becomes due: a claimable pending row's next attempt or the lease expiry
    /// of a row in flight for another sender, among the services this version knows. `nil` when nothing is pending
    /// or in flight elsewhere.
    func nextDueDate(excludingOwner owner: String) async throws(DeliveryError) -> Date? {
        try await storage.nextDueTime(excludingOwner: owner)
            .map(Date.init(timeIntervalSince1970:))
    }

    // MARK: Migration

    /// The deliveries not yet delivered and not being attempted by a live sender (pending, interrupted, failed),
    /// with their notifications and every route, to copy into another outbox.
    public func exportUnfinished(now: Date = Date()) async throws(DeliveryError) -> OutboxTransfer {
        try await storage.exportUnfinished(now: now)
    }

    /// Adds the routes, notifications and deliveries of `transfer` that this outbox does not hold yet (a delivery
    /// is known by its idempotency key, so importing twice adds nothing); returns how many deliveries it added.
    public func importTransfer(_ transfer: OutboxTransfer) async throws(DeliveryError) -> Int {
        try await storage.importTransfer(transfer)
    }

    // MARK: Plumbing

    private static func entry(_ row: DeliveryRow, now: Date) -> OutboxEntry {
        guard let service = Service(id: row.service) else {
            return .unreadable(UnreadableDelivery(id: row.id, reason: "unknown service \(quoted(row.service, limit: 80))"))
        }
        guard let event = NotificationEvent(rawValue: row.event) else {
            return .unreadable(UnreadableDelivery(id: row.id, reason: "unknown event \(quoted(row.event, limit: 80))"))
        }
        let state: DeliveryState
        switch row.state {
        case "pending": state = .pending
        case "in_flight": state = (row.leaseExpiresAt ?? 0) <= now.timeIntervalSince1970 ? .interrupted : .sending
        case "delivered": state = .delivered
        case "failed": state = .failed
        default: return .unreadable(UnreadableDelivery(id: row.id, reason: "unknown state \(quoted(row.state, limit: 80))"))
        }
        return .delivery(DeliveryStatus(
            id: row.id, notificationID: row.notificationID, event: event, service: service, scope: row.scope,
            idempotencyKey: row.idempotencyKey, state: state, attempts: row.attempts,
            interruptedAttempts: row.interruptedAttempts, lastError: row.lastError,
            nextAttemptAt: row.nextAttemptAt.map(Date.init(timeIntervalSince1970:)),
            deliveredAt: row.deliveredAt.map(Date.init(timeIntervalSince1970:)),
            reference: row.reference, createdAt: Date(timeIntervalSince1970: row.createdAt)))
    }
}

/// A delivery taken for one attempt.
struct ClaimedDelivery: Sendable {
    /// The delivery's id.
    var id: Int64
    /// The service.
    var service: Service
    /// The scope.
    var scope: String
    /// The notification's event name.
    var event: String
    /// The idempotency key.
    var idempotencyKey: String
    /// This attempt's number, counting interrupted ones: the fencing token for recording its outcome.
    var attempt: Int
    /// This attempt's number, not counting interrupted ones: what the retry budget counts.
    var countedAttempts: Int
    /// The message's attachments: its lease allows one request per attachment, plus one.
    var attachmentCount: Int
    /// How many of the notification's messages the service has accepted in earlier attempts.
    var messagesSent: Int
    /// The stored `herald.message/v1` JSON.
    var message: [UInt8]

    /// The destination.
    var destination: Destination { Destination(service: service, scope: scope) }
}

/// What a claim asks for: up to `limit` deliveries due at `now` for `owner`, under `policy`.
struct ClaimRequest: Sendable {
    var limit: Int
    var owner: String
    var now: Date
    var policy: DeliveryPolicy
}

/// What one claim took: deliveries to attempt, and those it failed for having been interrupted too often.
struct ClaimBatch: Sendable {
    /// The deliveries now in flight for the claiming sender.
    var deliveries: [ClaimedDelivery] = []
    /// The ids of deliveries failed instead, after ``DeliveryPolicy/maximumInterruptedAttempts`` interruptions.
    var abandoned: [Int64] = []
    /// The version of the stored destinations when `deliveries` were claimed (read only when there are some).
    var destinationsVersion = 0
}

/// One route as the outbox stores it: an event's name, a service's name and a scope, none of them checked.
public struct StoredRoute: Hashable, Sendable {
    /// The event name.
    public var event: String
    /// The service name.
    public var service: String
    /// The scope.
    public var scope: String
}

/// How an attempt ended.
enum AttemptOutcome: Sendable {
    /// Accepted, with the service's reference.
    case delivered(reference: String?)
    /// To be tried again at a time.
    case retry(reason: String, at: Date)
    /// Given up.
    case failed(reason: String)
    /// Sent again at a time without counting the attempt: a rate limit's slot was not free (`reason` is `nil`,
    /// nothing was sent), or the service answered with `Retry-After` (`reason` says so; it is not counted for the
    /// first ``RateLimit/uncountedAnswers`` such answers of a delivery), holding the rate-limit keys `holding`
    /// until then.
    case rateLimited(reason: String?, at: Date, holding: [String])

    /// `delivered`, `retry` or `failed`, for metrics.
    var name: String {
        switch self {
        case .delivered: "delivered"
        case .retry: "retry"
        case .failed: "failed"
        case .rateLimited: "rate_limited"
        }
    }
}
