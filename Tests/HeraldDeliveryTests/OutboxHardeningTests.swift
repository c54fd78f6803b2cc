import Foundation
import GRDB
import Herald
@testable import HeraldDelivery
import Synchronization
import Testing

/// Leases, interrupted attempts and failed outbox writes, against real outboxes (SQLite files, and PostgreSQL schemas
/// when a test server is there) and real receivers.
@Suite("outbox hardening: leases, interruptions, failed writes")
struct OutboxHardeningTests {
    static let variable = "HARDENING_WEBHOOK_URL"
    static let yaml = "services: {markdown: {scopes: {chat: {url_env: \(variable)}}}}"

    /// A clock that moves `step` forward each time it is read: every read sees the previous leases long expired,
    /// as when reading and rendering a stored message takes longer than the lease.
    static func jumpingClock(step: TimeInterval = 3600) -> @Sendable () -> Date {
        let reads = Mutex(0)
        let start = Date()
        return { start.addingTimeInterval(step * Double(reads.withLock { $0 += 1; return $0 })) }
    }

    /// A notifier on the outbox at `location` with one route to the webhook at `base`, and one notification.
    static func notifier(
        base: String, at location: OutboxLocation, policy: DeliveryPolicy = fastPolicy(), transport: any DeliveryTransport = HTTPDeliveryTransport(),
        clock: @escaping @Sendable () -> Date = Date.init, notify: Bool = true
    ) async throws -> Notifier {
        let notifier = Notifier(
            configuration: try configuration(yaml, policy: policy),
            outbox: try Outbox(location: location), transport: transport,
            environment: DeliveryEnvironment([variable: base + "/hook"]), clock: clock)
        if notify {
            try await notifier.setAutoNotifications(event: .printDone, service: .markdown, enabled: true, scopes: ["chat"])
            try await notifier.notify(.printDone, "Print 3 done")
        }
        return notifier
    }

    @Test("a sender never claims a delivery it is itself attempting, even once the lease has expired", arguments: OutboxBackend.available)
    func claimSkipsOwnRows(backend: OutboxBackend) async throws {
        let notifier = try await Self.notifier(base: "http://127.0.0.1:9", at: backend.location(in: temporaryDirectory()))
        let policy = fastPolicy()
        let start = Date()
        let first = try await notifier.outbox.claim(limit: 4, owner: "sender-a", now: start, policy: policy)
        #expect(first.deliveries.count == 1)
        let later = start.addingTimeInterval(3600)
        let again = try await notifier.outbox.claim(limit: 4, owner: "sender-a", now: later, policy: policy)
        #expect(again.deliveries.isEmpty, "its own row, still being attempted")
        let takeover = try await notifier.outbox.claim(limit: 4, owner: "sender-b", now: later, policy: policy)
        #expect(takeover.deliveries.map(\.attempt) == [2], "another sender takes the expired lease over")
    }

    @Test("an attempt that outlasts its lease while the clock jumps is sent exactly once", arguments: OutboxBackend.available)
    func slowAttemptSentOnce(backend: OutboxBackend) async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Receivers.slow(ledger, answeringAfter: .milliseconds(300))) { base in
            let notifier = try await Self.notifier(base: base, at: backend.location(in: temporaryDirectory()), clock: Self.jumpingClock())
            #expect(try await notifier.deliverPending() == DeliveryRunSummary(delivered: 1))
            #expect(await ledger.seen == 1)
            let delivery = try #require(try await notifier.outbox.deliveries().first)
            #expect(delivery.state == .delivered && delivery.attempts == 1 && delivery.interruptedAttempts == 0)
        }
    }

    /// A transport that says when a request starts and holds it until `gate` yields, like an attempt that outlasts
    /// its lease.
    struct GatedTransport: DeliveryTransport {
        let started: AsyncStream<Void>.Continuation
        let gate: AsyncStream<Void>
        let base = HTTPDeliveryTransport()

        func perform(_ request: OutgoingRequest, timeout: Duration) async throws(TransportError) -> IncomingResponse {
            started.yield()
            for await _ in gate { break }
            return try await base.perform(request, timeout: timeout)
        }
    }

    /// The lease expiry of the only delivery in the outbox file at `path`, read behind Herald's back.
    static func leaseExpiry(_ path: String) throws -> Double? {
        try DatabaseQueue(path: path).read { try Double.fetchOne($0, sql: "SELECT lease_expires_at FROM deliveries") }
    }

    @Test("a live sender renews its lease, so another sender does not take over an attempt that outlasts it")
    func heartbeatKeepsTheLease() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Receivers.markdownWebhook(ledger)) { base in
            let directory = try temporaryDirectory()
            let path = directory.appendingPathComponent("outbox.sqlite").path
            var policy = fastPolicy(requestTimeout: .seconds(3))
            policy.leaseMargin = .zero
            let (started, startedContinuation) = AsyncStream<Void>.makeStream()
            let (gate, gateContinuation) = AsyncStream<Void>.makeStream()
            let live = try await Self.notifier(
                base: base, at: .sqlite(path: path), policy: policy, transport: GatedTransport(started: startedContinuation, gate: gate))
            let first = Task { try await live.deliverPending() }
            var starts = started.makeAsyncIterator()
            _ = await starts.next()
            // The lease the claim took, then a renewal of it while the request is held.
            let claimed = try #require(try Self.leaseExpiry(path))
            let deadline = ContinuousClock.now + .seconds(30)
            while try Self.leaseExpiry(path) == claimed, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            try #require(try Self.leaseExpiry(path) ?? 0 > claimed, "the live sender renewed its lease")
            // Another sender whose clock is past the claimed lease: only the renewal keeps it from taking over.
            let past = Date(timeIntervalSince1970: claimed + 0.001)
            let other = try await Self.notifier(base: base, at: .sqlite(path: path), policy: policy, clock: { past }, notify: false)
            let second = Task { try await other.deliverPending() }
            try await Task.sleep(for: .milliseconds(200))
            gateContinuation.yield()
            #expect(try await first.value == DeliveryRunSummary(delivered: 1))
            #expect(try await second.value == DeliveryRunSummary())
            #expect(await ledger.seen == 1)
            let delivery = try #require(try await live.outbox.deliveries().first)
            #expect(delivery.state == .delivered && delivery.attempts == 1 && delivery.interruptedAttempts == 0)
        }
    }

    @Test("a delivery interrupted maximum_interrupted_attempts times fails instead of being sent again", arguments: OutboxBackend.available)
    func interruptionsAreBounded(backend: OutboxBackend) async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Receivers.markdownWebhook(ledger)) { base in
            var policy = fastPolicy()
            policy.maximumInterruptedAttempts = 3
            let location = try backend.location(in: temporaryDirectory())
            let crashing = try await Self.notifier(base: base, at: location, policy: policy)
            let start = Date()
            // Three senders each take the delivery and die mid-attempt; the next finds it interrupted twice...
            for crash in 0..<3 {
                let batch = try await crashing.outbox.claim(
                    limit: 1, owner: "crashed-\(crash)", now: start.addingTimeInterval(Double(crash) * 3600), policy: policy)
                #expect(batch.deliveries.count == 1)
            }
            // ...and a live sender finds it interrupted for the third time.
            let later = try await Self.notifier(
                base: base, at: location, policy: policy, clock: { start.addingTimeInterval(4 * 3600) }, notify: false)
            #expect(try await later.deliverPending() == DeliveryRunSummary(failed: 1))
            #expect(await ledger.seen == 0)
            let delivery = try #require(try await later.outbox.deliveries().first)
            #expect(delivery.state == .failed)
            #expect(delivery.interruptedAttempts == 3)
            #expect(delivery.lastError == Outbox.interruptedReason(3))
            #expect(try await later.outbox.retryFailed() == 1)
            #expect(try await later.deliverPending() == DeliveryRunSummary(delivered: 1))
        }
    }

    @Test("maximum_interrupted_attempts is read from the destinations file and checked")
    func interruptedAttemptsSetting() throws {
        #expect(try DeliveryConfiguration(yaml: "delivery: {maximum_interrupted_attempts: 5}").policy.maximumInterruptedAttempts == 5)
        #expect(DeliveryPolicy().maximumInterruptedAttempts == 3)
        #expect(throws: ConfigurationError(path: "delivery.maximum_interrupted_attempts", reason: "must be a whole number from 1 to 100")) {
            try DeliveryConfiguration(yaml: "delivery: {maximum_interrupted_attempts: 0}")
        }
    }
}
