import Foundation
import Herald

/// Where an outbox keeps its rows: a SQLite file (``SQLiteOutboxStorage``) or a PostgreSQL database
/// (``PostgresOutboxStorage``). ``Outbox`` is the façade everything uses; a storage only reads and writes rows, each
/// method in one transaction, and the rules (what is due, when an interrupted delivery fails, how a row reads) are
/// the façade's, shared by both.
///
/// Adding a table is a migration in each storage's list and the methods that read and write it here.
///
/// Ordering: only the head of each destination's queue can be claimed, the delivery with the lowest id among that
/// destination's unfinished ones (pending, due or not, and in flight). So a destination's notifications are sent
/// one at a time in the order the outbox accepted them, whichever worker sends them; a delivery waiting for a
/// retry holds the ones behind it. The cost: one destination is sent to by one request at a time, and a
/// destination whose head keeps failing delays the rest of its queue until the head is delivered or fails for good.
protocol OutboxStorage: Sendable {
    /// Every route as stored, sorted by event, service and scope.
    func storedRoutes() async throws(DeliveryError) -> [StoredRoute]
    /// Replaces or removes scopes of a route, as ``Outbox/setRoute(event:service:enabled:scopes:)`` says.
    func setRoute(event: String, service: String, enabled: Bool, scopes: [String]) async throws(DeliveryError)
    /// In one transaction: answers the earlier publication of the request's key if there is one; otherwise reads
    /// the routes of the notification's event and the toggles of its feature, and records the notification and one
    /// pending delivery per routed destination whose toggle is on (each with a fresh idempotency key) with the key,
    /// or only the key when no destination remains.
    func enqueue(_ request: EnqueueRequest, now: Date) async throws(DeliveryError) -> Enqueueing
    /// Every delivery row, in id order, optionally of one notification.
    func rows(notificationID: String?) async throws(DeliveryError) -> [DeliveryRow]
    /// The newest `limit` rows of `destination`, newest first.
    func newestRows(of destination: Destination, limit: Int) async throws(DeliveryError) -> [DeliveryRow]
    /// Deletes the deliveries `ids` not in flight under a live lease, and notifications left without any; returns
    /// the ids deleted.
    func drop(ids: [Int64], now: Date) async throws(DeliveryError) -> [Int64]
    /// How many rows are in each shown state (`interrupted` and `sending` for rows in flight), per service name.
    func stateCounts(now: Date) async throws(DeliveryError) -> [StateCount]
    /// Reads the database once.
    func checkReadable() async throws(DeliveryError)
    /// Ends `owner`'s leases at `now`; returns how many.
    func releaseLeases(owner: String, now: Date) async throws(DeliveryError) -> Int
    /// Puts failed deliveries (all, or those in `ids`) back to pending with a fresh budget; returns how many.
    func retryFailed(ids: [Int64]?, now: Date) async throws(DeliveryError) -> Int
    /// Deletes up to `limit` delivered rows delivered before `before` (seconds since 1970), oldest first, and their
    /// notifications when no other delivery of them is left; returns how many rows it deleted.
    func pruneDelivered(before: Double, limit: Int) async throws(DeliveryError) -> Int
    /// Takes up to `request.limit` claimable rows of the services this version knows (pending and due, or in flight
    /// elsewhere under an expired lease; each the head of its destination's queue) in due order, and applies
    /// ``ClaimDecision/decide`` to each.
    func claim(_ request: ClaimRequest) async throws(DeliveryError) -> ClaimBatch
    /// Moves the lease of attempt `attempt` of delivery `id` to `expiry`, if `owner` holds it.
    func renewLease(id: Int64, attempt: Int, owner: String, expiry: Double) async throws(DeliveryError) -> Bool
    /// Records that `count` messages of attempt `attempt` went out, if `owner` holds it.
    func recordMessagesSent(_ count: Int, id: Int64, attempt: Int, owner: String, now: Date) async throws(DeliveryError) -> Bool
    /// Records the outcome of attempt `attempt`, if `owner` holds it, then claims as `claim(_:)` does when
    /// `thenClaim` asks, in the same transaction.
    func record(
        _ outcome: AttemptOutcome, id: Int64, attempt: Int, owner: String, now: Date, thenClaim: ClaimRequest?
    ) async throws(DeliveryError) -> (recorded: Bool, next: ClaimBatch)
    /// In one transaction: takes a send's slot under every one of `rules` at `now` when each has one free (fewer
    /// sends than its count in its window, and not held by a `Retry-After` answer), returning `nil`; otherwise
    /// takes nothing and returns the earliest time (seconds since 1970) they may all be free.
    func takeRateLimitSlots(_ rules: [RateLimitRule], now: Date) async throws(DeliveryError) -> (at: Double, taken: Bool)
    /// Moves the sends taken under `rules` at `slot` to `answered`, the time the service answered.
    func settleRateLimitSlots(_ rules: [RateLimitRule], slot: Double, answered: Double) async throws(DeliveryError)
    /// The earliest time (seconds since 1970) a claimable row becomes due for a sender other than `owner`.
    func nextDueTime(excludingOwner owner: String) async throws(DeliveryError) -> Double?
    /// Every toggle override, optionally of one service or scope, sorted by service, scope and feature.
    func toggleOverrides(service: String?, scope: String?) async throws(DeliveryError) -> [StoredToggle]
    /// Applies `changes` to the toggles of `service`/`scope`.
    func setToggles(_ changes: [ToggleChange], service: String, scope: String) async throws(DeliveryError)
    /// Every stored destination and their version, or `nil` when the version is still `known`.
    func storedDestinations(unlessVersion known: Int?) async throws(DeliveryError) -> (version: Int, rows: [StoredDestination])?
    /// Inserts `destination` as ``Outbox/insert(_:limit:)`` says, bumping the destinations' version when it does.
    func insert(_ destination: StoredDestination, limit: Int) async throws(DeliveryError) -> DestinationWrite
    /// Replaces a destination's config as ``Outbox/replace(_:)`` says, bumping the destinations' version when it does.
    func replace(_ destination: StoredDestination) async throws(DeliveryError) -> DestinationWrite
    /// Deletes a destination as ``Outbox/deleteDestination(service:name:)`` says, bumping the destinations' version
    /// when it does.
    func deleteDestination(service: String, name: String) async throws(DeliveryError) -> DestinationWrite
    /// The unfinished deliveries not being attempted by a live sender (pending, interrupted, failed), their
    /// notifications and every route.
    func exportUnfinished(now: Date) async throws(DeliveryError) -> OutboxTransfer
    /// Adds what `transfer` holds that is not here yet (a delivery is known by its idempotency key); returns how
    /// many deliveries it added.
    func importTransfer(_ transfer: OutboxTransfer) async throws(DeliveryError) -> Int
}

/// A notification as stored.
struct StoredNotification: Sendable {
    /// Its id.
    var id: String
    /// Its event's name.
    var event: String
    /// The `herald.message/v1` JSON.
    var message: [UInt8]
    /// How many attachments it carries.
    var attachmentCount: Int
    /// When it was accepted, in seconds since 1970.
    var createdAt: Double
}

/// What ``OutboxStorage/enqueue(_:now:)`` is asked to record.
struct EnqueueRequest: Sendable {
    /// The notification.
    var notification: StoredNotification
    /// The event's feature, whose toggles pick the destinations; `nil`: every routed destination.
    var feature: Feature?
    /// The sender's idempotency key.
    var key: PublicationKey?
}

/// One delivery row joined with its notification's event and creation time, unparsed.
struct DeliveryRow: Sendable {
    var id: Int64
    var notificationID: String
    var service: String
    var scope: String
    var idempotencyKey: String
    var state: String
    var attempts: Int
    var interruptedAttempts: Int
    var messagesSent: Int
    var nextAttemptAt: Double?
    var leaseOwner: String?
    var leaseExpiresAt: Double?
    var lastError: String?
    var reference: String?
    var deliveredAt: Double?
    var updatedAt: Double
    var event: String
    var createdAt: Double
}

/// A number of rows in one shown state for one service name.
struct StateCount: Sendable {
    var service: String
    var state: String
    var count: Int
}

/// A claimable row as a claim reads it.
struct ClaimCandidate: Sendable {
    var id: Int64
    var service: String
    var scope: String
    var idempotencyKey: String
    var state: String
    var attempts: Int
    var interruptedAttempts: Int
    var messagesSent: Int
    var event: String
    var message: [UInt8]
    var attachmentCount: Int
}

/// What a claim does with one candidate; the same rule for every storage.
enum ClaimDecision: Sendable {
    /// Fail it: interrupted too often.
    case abandon(interruptions: Int, reason: String)
    /// Take it for `owner` until `leaseExpiry`; `lastError` replaces the stored one when set.
    case take(ClaimedDelivery, interruptions: Int, leaseExpiry: Double, lastError: String?)

    /// A delivery interrupted for the `policy.maximumInterruptedAttempts`th time fails instead of being taken; any
    /// other is taken with a lease of `policy.lease(forRequests:)` (one request per attachment, plus one).
    static func decide(_ row: ClaimCandidate, now: Date, policy: DeliveryPolicy) -> ClaimDecision? {
        guard let service = Service(id: row.service) else { return nil }
        let wasInterrupted = row.state == "in_flight"
        let interruptions = row.interruptedAttempts + (wasInterrupted ? 1 : 0)
        if wasInterrupted, interruptions >= policy.maximumInterruptedAttempts {
            return .abandon(interruptions: interruptions, reason: Outbox.interruptedReason(interruptions))
        }
        let expiry = now.timeIntervalSince1970 + policy.lease(forRequests: row.attachmentCount + 1).seconds
        let claimed = ClaimedDelivery(
            id: row.id, service: service, scope: row.scope, event: row.event, idempotencyKey: row.idempotencyKey,
            attempt: row.attempts + 1, countedAttempts: row.attempts + 1 - interruptions,
            attachmentCount: row.attachmentCount, messagesSent: row.messagesSent, message: row.message)
        return .take(
            claimed, interruptions: interruptions, leaseExpiry: expiry,
            lastError: wasInterrupted ? "interrupted: the sender stopped during an attempt; outcome unknown" : nil)
    }
}

/// What `herald outbox migrate` copies from one outbox to another: unfinished deliveries (their idempotency keys,
/// attempts, messages sent and retry times kept), their notifications, the routes, the destinations created at run
/// time (their secrets still sealed: the target needs the same destinations' key) and the toggle overrides. Rows
/// the target already holds are kept as they are there. Publication keys are not copied: each answers for a
/// notification of the source, most of them delivered and left behind, and they lapse within 24 hours.
public struct OutboxTransfer: Sendable {
    var routes: [StoredRoute] = []
    var notifications: [StoredNotification] = []
    var deliveries: [DeliveryRow] = []
    var destinations: [StoredDestination] = []
    var toggles: [StoredToggle] = []
    /// Deliveries left behind because a live sender is attempting them.
    public internal(set) var inFlight = 0

    /// How many deliveries it holds.
    public var deliveryCount: Int { deliveries.count }
}
