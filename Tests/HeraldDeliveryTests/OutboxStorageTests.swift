import Foundation
import Herald
@testable import HeraldDelivery
import HeraldTestSupport
import Testing

/// The outbox's contract, the same for every storage: states, idempotency keys, leases and their fencing, interrupted
/// sends, messages-sent resume, routes, per-destination order, and the copy from one outbox to another.
@Suite("outbox storage: one contract for SQLite and PostgreSQL")
struct OutboxStorageTests {
    static let yaml = "services: {markdown: {scopes: {a: {url_env: HOOK_A}, b: {url_env: HOOK_B}}}}"

    /// A notifier on a fresh outbox of `backend`, routing `print_done` to scopes a and b of a Markdown webhook that
    /// is never called.
    static func notifier(_ backend: OutboxBackend, scopes: [String] = ["a", "b"]) async throws -> Notifier {
        let notifier = Notifier(
            configuration: try configuration(yaml), outbox: try backend.makeOutbox(in: temporaryDirectory()),
            environment: DeliveryEnvironment(["HOOK_A": "http://127.0.0.1:9/a", "HOOK_B": "http://127.0.0.1:9/b"]))
        try await notifier.setAutoNotifications(event: .printDone, service: .markdown, enabled: true, scopes: scopes)
        return notifier
    }

    @Test("the PostgreSQL runs have a server", .requires(.postgres))
    func postgresServerAnswers() async throws {
        try await OutboxBackend.postgres.makeOutbox(in: temporaryDirectory()).checkReadable()
    }

    @Test("a PostgreSQL outbox that cannot be reached or opened says why, naming it and no password")
    func unreachablePostgres() async throws {
        let outbox = try Outbox(
            location: try OutboxLocation("postgres://herald@127.0.0.1:9/queue"), environment: DeliveryEnvironment(["PGPASSWORD": "pw-marker-7"]))
        let error = try await #require(throws: DeliveryError.self) { try await outbox.checkReadable() }
        guard case .storage(let reason) = error else { Issue.record("not a storage error: \(error)"); return }
        #expect(reason.hasPrefix("postgres://herald@127.0.0.1:9/queue: PostgreSQL: connectionError"))
        #expect(reason.contains("Connection refused") && !reason.contains("pw-marker-7"))
        guard Prerequisite.postgres.isAvailable else { return }
        let missing = try PostgresOutboxSettings(url: try OutboxBackend.serverURL())
        let noDatabase = try Outbox(location: try OutboxLocation(
            "postgres://\(missing.user)@\(missing.host):\(missing.port)/herald_no_such_database"))
        await #expect(throws: DeliveryError.storage(
            "postgres://\(missing.user)@\(missing.host):\(missing.port)/herald_no_such_database: PostgreSQL error 3D000: database \"herald_no_such_database\" does not exist"
        )) { try await noDatabase.checkReadable() }
    }

    @Test("enqueue writes one pending delivery per routed destination, each with its own idempotency key", arguments: OutboxBackend.available)
    func enqueueAndRoutes(backend: OutboxBackend) async throws {
        let notifier = try await Self.notifier(backend)
        #expect(try await notifier.routes() == [Route(event: .printDone, service: .markdown, scopes: ["a", "b"])])
        let receipt = try await notifier.notify(.printDone, "Print 1 done")
        #expect(receipt.deliveries.map(\.scope) == ["a", "b"])
        #expect(receipt.deliveries.allSatisfy { $0.state == .pending && $0.attempts == 0 })
        #expect(Set(receipt.deliveries.map(\.idempotencyKey)).count == 2)
        #expect(try await notifier.notify(.printCancelled, "no route").deliveries.isEmpty)
        try await notifier.setAutoNotifications(event: .printDone, service: .markdown, enabled: false, scopes: ["a"])
        #expect(try await notifier.routes() == [Route(event: .printDone, service: .markdown, scopes: ["b"])])
        let counts = try await notifier.outbox.deliveryCounts()
        #expect(counts == [DeliveryCount(service: .markdown, state: .pending, count: 2)])
    }

    @Test("a claim takes only the head of each destination's queue; the next is claimable once the head is done", arguments: OutboxBackend.available)
    func destinationOrder(backend: OutboxBackend) async throws {
        let notifier = try await Self.notifier(backend, scopes: ["a"])
        let outbox = notifier.outbox
        let policy = fastPolicy()
        let first = try await notifier.notify(.printDone, "Print 1 done").deliveries[0]
        let second = try await notifier.notify(.printDone, "Print 2 done").deliveries[0]
        let now = Date()
        let claimed = try await outbox.claim(limit: 10, owner: "w1", now: now, policy: policy)
        #expect(claimed.deliveries.map(\.id) == [first.id])
        #expect(try await outbox.claim(limit: 10, owner: "w2", now: now, policy: policy).deliveries.isEmpty, "the second waits behind the first")
        #expect(try await outbox.nextDueDate(excludingOwner: "w1") == nil, "nothing is due for the head's own sender")
        // A retry of the head holds the second too, until the retry is due.
        let retryAt = now.addingTimeInterval(60)
        #expect(try await outbox.record(.retry(reason: "HTTP 503", at: retryAt), of: claimed.deliveries[0], owner: "w1", now: now))
        #expect(try await outbox.claim(limit: 10, owner: "w2", now: now, policy: policy).deliveries.isEmpty)
        #expect(try await outbox.nextDueDate(excludingOwner: "w2")?.timeIntervalSince1970 == retryAt.timeIntervalSince1970)
        let retried = try await outbox.claim(limit: 10, owner: "w2", now: retryAt, policy: policy)
        #expect(retried.deliveries.map(\.id) == [first.id])
        #expect(try await outbox.record(.delivered(reference: "r1"), of: retried.deliveries[0], owner: "w2", now: retryAt))
        #expect(try await outbox.claim(limit: 10, owner: "w3", now: retryAt, policy: policy).deliveries.map(\.id) == [second.id])
    }

    @Test("recording an outcome can claim the next delivery in the same write: the destination's new head", arguments: OutboxBackend.available)
    func recordAndClaim(backend: OutboxBackend) async throws {
        let notifier = try await Self.notifier(backend, scopes: ["a"])
        let outbox = notifier.outbox
        let policy = fastPolicy()
        var queued: [Int64] = []
        for print in 1...3 { queued.append(try await notifier.notify(.printDone, "Print \(print) done").deliveries[0].id) }
        let now = Date()
        let first = try #require(try await outbox.claim(limit: 10, owner: "w1", now: now, policy: policy).deliveries.first)
        let stale = try await outbox.recordAndClaim(.delivered(reference: nil), of: first, owner: "w2", now: now, limit: 1, policy: policy)
        #expect(!stale.recorded && stale.next.deliveries.isEmpty, "an outcome not recorded claims nothing")
        let recorded = try await outbox.recordAndClaim(.delivered(reference: nil), of: first, owner: "w1", now: now, limit: 1, policy: policy)
        #expect(recorded.recorded && recorded.next.deliveries.map(\.id) == [queued[1]])
        let second = try #require(recorded.next.deliveries.first)
        #expect(try await outbox.deliveries(now: now).map(\.state) == [.delivered, .sending, .pending])
        let last = try await outbox.recordAndClaim(.retry(reason: "HTTP 503", at: now.addingTimeInterval(60)), of: second, owner: "w1", now: now, limit: 1, policy: policy)
        #expect(last.recorded && last.next.deliveries.isEmpty, "the third waits behind the second's retry")
    }

    @Test("delivered rows older than kept are pruned, a notification once none of its deliveries is left", arguments: OutboxBackend.available)
    func pruneDelivered(backend: OutboxBackend) async throws {
        let notifier = try await Self.notifier(backend)
        let outbox = notifier.outbox
        let policy = fastPolicy()
        let old = try await notifier.notify(.printDone, "Print 1 done")
        let recent = try await notifier.notify(.printDone, "Print 2 done")
        let start = Date()
        let heads = try await outbox.claim(limit: 1, owner: "w", now: start, policy: policy).deliveries
        #expect(heads.map(\.id) == [old.deliveries[0].id], "scope a's delivery of the first notification")
        try await outbox.record(.delivered(reference: nil), of: heads[0], owner: "w", now: start)
        #expect(try await outbox.pruneDelivered(before: start) == 0, "delivered at `start`, not before")
        #expect(try await outbox.pruneDelivered(before: start.addingTimeInterval(1)) == 1)
        #expect(try await outbox.entries(notificationID: old.notificationID).compactMap(\.status).map(\.scope) == ["b"], "scope b's is still pending")
        let rest = try await outbox.claim(limit: 10, owner: "w", now: start, policy: policy).deliveries
        #expect(Set(rest.map(\.id)) == [old.deliveries[1].id, recent.deliveries[0].id])
        for delivery in rest { try await outbox.record(.delivered(reference: nil), of: delivery, owner: "w", now: start.addingTimeInterval(2)) }
        #expect(try await outbox.pruneDelivered(before: start.addingTimeInterval(3), batch: 1) == 2, "in two transactions of one row")
        #expect(try await outbox.entries(notificationID: old.notificationID).isEmpty)
        #expect(try await outbox.entries().map(\.status?.id) == [recent.deliveries[1].id], "the pending one stays")
        #expect(try await outbox.exportUnfinished().notifications.map(\.id) == [recent.notificationID])
    }

    @Test("a worker prunes what was delivered longer ago than delivery.keep_delivered when it starts", arguments: OutboxBackend.available)
    func workerPrunes(backend: OutboxBackend) async throws {
        let notifier = Notifier(
            configuration: try DeliveryConfiguration(yaml: "delivery: {keep_delivered: 600}\n" + Self.yaml), outbox: try backend.makeOutbox(in: temporaryDirectory()),
            environment: DeliveryEnvironment(["HOOK_A": "http://127.0.0.1:9/a", "HOOK_B": "http://127.0.0.1:9/b"]))
        try await notifier.setAutoNotifications(event: .printDone, service: .markdown, enabled: true, scopes: ["a"])
        let policy = fastPolicy()
        for (print, age) in [(1, 601.0), (2, 300.0)] {
            let id = try #require(try await notifier.notify(.printDone, "Print \(print) done").notificationID)
            let claimed = try #require(try await notifier.outbox.claim(limit: 1, owner: "w", now: Date(), policy: policy).deliveries.first)
            try await notifier.outbox.record(.delivered(reference: nil), of: claimed, owner: "w", now: Date().addingTimeInterval(-age))
            #expect(try await notifier.outbox.entries(notificationID: id).count == 1)
        }
        #expect(try await notifier.deliverPending() == DeliveryRunSummary())
        #expect(try await notifier.outbox.entries().compactMap(\.status?.state) == [.delivered], "the one delivered 5 minutes ago stays")
    }

    @Test("outcomes are fenced by owner and attempt; an interrupted delivery resumes after the messages already sent", arguments: OutboxBackend.available)
    func fencingAndResume(backend: OutboxBackend) async throws {
        let notifier = try await Self.notifier(backend, scopes: ["a"])
        let outbox = notifier.outbox
        let policy = fastPolicy()
        let queued = try await notifier.notify(.printDone, "Print 1 done").deliveries[0]
        let start = Date()
        let attempt = try #require(try await outbox.claim(limit: 1, owner: "crashed", now: start, policy: policy).deliveries.first)
        #expect(try await outbox.recordMessagesSent(2, of: attempt, owner: "crashed", now: start))
        #expect(try await outbox.renewLease(of: attempt, owner: "crashed", now: start, duration: .seconds(5)))
        #expect(try await outbox.deliveries(now: start)[0].state == .sending)
        let later = start.addingTimeInterval(3600)
        #expect(try await outbox.deliveries(now: later)[0].state == .interrupted)
        let takeover = try #require(try await outbox.claim(limit: 1, owner: "live", now: later, policy: policy).deliveries.first)
        #expect(takeover.attempt == 2 && takeover.countedAttempts == 1 && takeover.messagesSent == 2)
        #expect(takeover.idempotencyKey == queued.idempotencyKey)
        #expect(try await !outbox.record(.delivered(reference: nil), of: attempt, owner: "crashed", now: later), "the old attempt lost its lease")
        #expect(try await !outbox.renewLease(of: attempt, owner: "crashed", now: later, duration: .seconds(5)))
        #expect(try await outbox.record(.failed(reason: "HTTP 400: no"), of: takeover, owner: "live", now: later))
        let failed = try await outbox.deliveries()[0]
        #expect(failed.state == .failed && failed.lastError == "HTTP 400: no" && failed.interruptedAttempts == 1)
        #expect(try await outbox.retryFailed(ids: [failed.id]) == 1)
        let retried = try await outbox.deliveries()[0]
        #expect(retried.state == .pending && retried.attempts == 0 && retried.idempotencyKey == queued.idempotencyKey)
        #expect(try await outbox.drop(ids: [retried.id, 999_999]) == [retried.id])
        #expect(try await outbox.entries().isEmpty)
    }

    @Test("concurrent claims never take the same delivery", arguments: OutboxBackend.available)
    func concurrentClaims(backend: OutboxBackend) async throws {
        let scopes = (0..<20).map { "s\($0)" }
        let yaml = "services: {markdown: {scopes: {" + scopes.map { "\($0): {url_env: HOOK}" }.joined(separator: ", ") + "}}}"
        let location = try backend.location(in: temporaryDirectory())
        let notifier = Notifier(configuration: try configuration(yaml), outbox: try Outbox(location: location), environment: DeliveryEnvironment(["HOOK": "http://127.0.0.1:9"]))
        try await notifier.setAutoNotifications(event: .printDone, service: .markdown, enabled: true, scopes: scopes)
        for number in 0..<3 { try await notifier.notify(.printDone, "Print \(number) done") }
        let now = Date()
        let claims = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for worker in 0..<4 {
                let outbox = try Outbox(location: location)
                group.addTask {
                    var ids: [Int64] = []
                    while true {
                        let batch = try await outbox.claim(limit: 3, owner: "w\(worker)", now: now, policy: fastPolicy())
                        if batch.deliveries.isEmpty { return ids }
                        for delivery in batch.deliveries {
                            ids.append(delivery.id)
                            try await outbox.record(.delivered(reference: nil), of: delivery, owner: "w\(worker)", now: now)
                        }
                    }
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(claims.count == 60)
        #expect(Set(claims).count == 60)
        #expect(try await notifier.outbox.deliveries(states: [.delivered]).count == 60)
    }

    @Test("migrating copies pending, interrupted and failed deliveries with their keys, once", arguments: OutboxBackend.available)
    func migrateUnfinished(backend: OutboxBackend) async throws {
        let source = try await Self.notifier(.sqlite, scopes: ["a"])
        let policy = fastPolicy()
        var keys: [String] = []
        for number in 1...4 { keys.append(try await source.notify(.printDone, "Print \(number) done").deliveries[0].idempotencyKey) }
        let start = Date()
        // 1 delivered, 2 failed, 3 interrupted (its sender died mid-attempt), 4 pending behind them.
        for outcome in [AttemptOutcome.delivered(reference: nil), .failed(reason: "HTTP 400: no")] {
            let claim = try #require(try await source.outbox.claim(limit: 1, owner: "old", now: start, policy: policy).deliveries.first)
            #expect(try await source.outbox.record(outcome, of: claim, owner: "old", now: start))
        }
        let interrupted = try #require(try await source.outbox.claim(limit: 1, owner: "crashed", now: start, policy: policy).deliveries.first)
        #expect(try await source.outbox.recordMessagesSent(1, of: interrupted, owner: "crashed", now: start))
        let later = start.addingTimeInterval(3600)
        let transfer = try await source.outbox.exportUnfinished(now: later)
        #expect(transfer.deliveryCount == 3 && transfer.inFlight == 0)

        let target = try backend.makeOutbox(in: temporaryDirectory())
        #expect(try await target.importTransfer(transfer) == 3)
        #expect(try await target.importTransfer(transfer) == 0, "a second copy adds nothing")
        #expect(try await target.routes() == [Route(event: .printDone, service: .markdown, scopes: ["a"])])
        let copied = try await target.deliveries(now: later)
        #expect(copied.map(\.idempotencyKey) == Array(keys[1...]))
        #expect(copied.map(\.state) == [.failed, .interrupted, .pending])
        // The interrupted one is taken over as such, after the message already sent, with its key.
        let takeover = try #require(try await target.claim(limit: 5, owner: "new", now: later, policy: policy).deliveries.first)
        #expect(takeover.idempotencyKey == keys[2] && takeover.attempt == 2 && takeover.countedAttempts == 1 && takeover.messagesSent == 1)
        #expect(try await target.deliveries(now: later).map(\.state) == [.failed, .sending, .pending])
    }
}
