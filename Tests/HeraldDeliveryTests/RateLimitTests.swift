import Foundation
import Herald
@testable import HeraldDelivery
import HeraldTestSupport
import Logging
import Synchronization
import Testing

/// Per-destination and per-credential rate limits: the plugins' documented defaults, the destinations file's
/// overrides, slots counted in the outbox for every worker sharing it, waits that count no attempt, and
/// `Retry-After` answers holding a key.
@Suite("rate limits: declared, overridden, counted in the outbox across workers")
struct RateLimitTests {
    static let telegram = """
        services: {telegram: {token_env: TG_TOKEN, rate_limit: {count: 5, per_seconds: 2}, scopes: {
            ops: {chat_id: "-100", rate_limit: false}, lab: {chat_id: "-200"}}}}
        """

    @Test("Telegram declares 1 per second per chat and 30 per second per bot; the file overrides either, or turns it off")
    func declaredAndOverridden() throws {
        let plain = try configuration("services: {telegram: {token_env: TG_TOKEN, scopes: {ops: {chat_id: \"-100\"}}}}")
        #expect(plain.services[.telegram]?.rateLimits(for: "ops") == [
            RateLimitRule(key: "telegram:chat:-100", extent: .destination, limit: RateLimit(count: 1, per: .seconds(1))),
            RateLimitRule(key: "telegram:bot:TG_TOKEN", extent: .credential, limit: RateLimit(count: 30, per: .seconds(1))),
        ])
        let service = try #require(try configuration(Self.telegram).services[.telegram])
        let bot = RateLimitRule(key: "telegram:bot:TG_TOKEN", extent: .credential, limit: RateLimit(count: 5, per: .seconds(2)))
        #expect(service.rateLimits(for: "ops") == [bot])
        #expect(service.rateLimits(for: "lab") == [
            RateLimitRule(key: "telegram:chat:-200", extent: .destination, limit: RateLimit(count: 1, per: .seconds(1))), bot,
        ])
        let markdown = try configuration("services: {markdown: {scopes: {a: {url_env: HOOK, rate_limit: {count: 2, per_seconds: 1}}}}}")
        #expect(markdown.services[.markdown]?.rateLimits(for: "a") == [
            RateLimitRule(key: "markdown:scope:a", extent: .destination, limit: RateLimit(count: 2, per: .seconds(1))),
        ])
    }

    @Test("a bad rate_limit is one error naming where", arguments: [
        ("services: {markdown: {rate_limit: {count: 0, per_seconds: 1}, scopes: {a: {url_env: HOOK}}}}", "services.markdown.rate_limit.count"),
        ("services: {markdown: {scopes: {a: {url_env: HOOK, rate_limit: {count: 2}}}}}", "services.markdown.scopes.a.rate_limit.per_seconds"),
        ("services: {markdown: {scopes: {a: {url_env: HOOK, rate_limit: {count: 2, per_seconds: 0}}}}}", "services.markdown.scopes.a.rate_limit.per_seconds"),
        ("services: {markdown: {scopes: {a: {url_env: HOOK, rate_limit: {count: 2, per_seconds: 1, burst: 3}}}}}", "services.markdown.scopes.a.rate_limit.burst"),
        ("services: {markdown: {rate_limit: 3, scopes: {a: {url_env: HOOK}}}}", "services.markdown.rate_limit"),
    ])
    func badOverride(yaml: String, path: String) {
        #expect { try DeliveryConfiguration(yaml: yaml) } throws: { ($0 as? ConfigurationError)?.path == path }
    }

    /// Whether `date` is `expected` to a microsecond: times go through the database as seconds since 1970.
    static func near(_ date: Date?, _ expected: Date) -> Bool {
        date.map { abs($0.timeIntervalSince(expected)) < 1e-6 } ?? false
    }

    static let twoPerSecond = RateLimitRule(key: "k:dest", extent: .destination, limit: RateLimit(count: 2, per: .seconds(1)))
    static let threePerTen = RateLimitRule(key: "k:cred", extent: .credential, limit: RateLimit(count: 3, per: .seconds(10)))

    @Test("slots: at most count per window (plus the jitter allowance), every key at once or none, never before a newer send", arguments: OutboxBackend.available)
    func slots(backend: OutboxBackend) async throws {
        let outbox = try backend.makeOutbox(in: temporaryDirectory())
        let rules = [Self.twoPerSecond, Self.threePerTen]
        func at(_ seconds: Double) -> Date { Date(timeIntervalSince1970: 1_000_000 + seconds) }
        #expect(try await outbox.takeRateLimitSlots(rules, now: at(0)).isTaken)
        #expect(try await outbox.takeRateLimitSlots(rules, now: at(0.1)).isTaken)
        #expect(Self.near(try await outbox.takeRateLimitSlots(rules, now: at(0.2)).waitUntil, at(1.1)), "the destination's two are taken")
        #expect(try await outbox.takeRateLimitSlots([Self.threePerTen], now: at(0.3)).isTaken, "a refused take took nothing")
        #expect(Self.near(try await outbox.takeRateLimitSlots(rules, now: at(1.15)).waitUntil, at(10.1)), "the credential's three are taken")
        #expect(try await outbox.takeRateLimitSlots([Self.twoPerSecond], now: at(1.15)).isTaken, "the destination's window moved on")
        #expect(Self.near(try await outbox.takeRateLimitSlots([Self.twoPerSecond], now: at(1.17)).waitUntil, at(1.2)))
        #expect(try await outbox.takeRateLimitSlots(rules, now: at(10.6)).isTaken, "the credential's window moved on")
        // A worker whose clock read earlier than a send it waited behind records its own after that send.
        #expect(try await outbox.takeRateLimitSlots([Self.threePerTen], now: at(10.5)).isTaken)
        #expect(try await outbox.takeRateLimitSlots([Self.threePerTen], now: at(10.55)).isTaken)
        #expect(Self.near(try await outbox.takeRateLimitSlots([Self.threePerTen], now: at(10.56)).waitUntil, at(20.7)), "all three recorded at 10.6")
        #expect(try await outbox.takeRateLimitSlots([], now: at(10.5)).isTaken)
        // A send counts from when it was answered: the time it took to arrive never lets the next into its window.
        let onePerSecond = RateLimitRule(key: "k:answered", extent: .destination, limit: RateLimit(count: 1, per: .seconds(1)))
        let slot = try await outbox.takeRateLimitSlots([onePerSecond], now: at(30))
        guard case .taken(let taken) = slot else { Issue.record("not taken: \(slot)"); return }
        try await outbox.settleRateLimitSlots([onePerSecond], slot: taken, answeredAt: at(30.5))
        #expect(Self.near(try await outbox.takeRateLimitSlots([onePerSecond], now: at(31.2)).waitUntil, at(31.6)))
    }

    @Test("workers on separate connections racing for one key's slots take exactly its count", arguments: OutboxBackend.available)
    func racingWorkers(backend: OutboxBackend) async throws {
        let location = try backend.location(in: temporaryDirectory())
        let outboxes = try (0..<3).map { _ in try Outbox(location: location) }
        let rule = RateLimitRule(key: "k:race", extent: .destination, limit: RateLimit(count: 5, per: .seconds(1)))
        let now = Date(timeIntervalSince1970: 2_000_000)
        let taken = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<30 {
                group.addTask { try await outboxes[index % 3].takeRateLimitSlots([rule], now: now).isTaken }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(taken == 5)
    }

    @Test("a wait for a slot and a Retry-After answer count no attempt; the answer holds its keys", arguments: OutboxBackend.available)
    func waitsAreUncounted(backend: OutboxBackend) async throws {
        let notifier = try await OutboxStorageTests.notifier(backend, scopes: ["a"])
        let outbox = notifier.outbox
        let policy = fastPolicy()
        let id = try await notifier.notify(.printDone, "Print 1 done").deliveries[0].id
        let now = Date().addingTimeInterval(1)
        var claim = try #require(try await outbox.claim(limit: 1, owner: "w1", now: now, policy: policy).deliveries.first)
        #expect(try await outbox.record(.rateLimited(reason: nil, at: now.addingTimeInterval(1), holding: []), of: claim, owner: "w1", now: now))
        var row = try #require(try await outbox.deliveries().first { $0.id == id })
        #expect(row.state == .pending && row.attempts == 0 && Self.near(row.nextAttemptAt, now.addingTimeInterval(1)))
        for answer in 1...(RateLimit.uncountedAnswers + 1) {
            let time = now.addingTimeInterval(Double(answer) * 10)
            claim = try #require(try await outbox.claim(limit: 1, owner: "w1", now: time, policy: policy).deliveries.first)
            #expect(try await outbox.record(
                .rateLimited(reason: "HTTP 429", at: time.addingTimeInterval(5), holding: [Self.twoPerSecond.key]), of: claim, owner: "w1", now: time))
        }
        row = try #require(try await outbox.deliveries().first { $0.id == id })
        #expect(row.attempts == 1, "only the answer after the first \(RateLimit.uncountedAnswers) counts")
        #expect(row.lastError == "HTTP 429")
        let lastAnswer = now.addingTimeInterval(Double(RateLimit.uncountedAnswers + 1) * 10)
        #expect(Self.near(try await outbox.takeRateLimitSlots([Self.twoPerSecond], now: lastAnswer).waitUntil, lastAnswer.addingTimeInterval(5)))
    }

    @Test("a worker keeps a destination's sends within its limit on the outbox's clock, and waits count no attempt", arguments: OutboxBackend.available)
    func workerHonoursLimit(backend: OutboxBackend) async throws {
        // The clock moves 50 ms at every reading, so waits pass without sleeping on a slot.
        let ticks = Mutex(0)
        let clock: @Sendable () -> Date = { Date(timeIntervalSince1970: 4_000_000 + Double(ticks.withLock { $0 += 1; return $0 }) * 0.05) }
        let arrivals = Mutex<[Date]>([])
        let answered = Mutex(0)
        try await TestHTTPServer.with({ _ in
            arrivals.withLock { $0.append(clock()) }
            // The third request is asked to wait: it holds the key, and is not counted.
            return answered.withLock { $0 += 1; return $0 } == 3
                ? .respond(status: 429, headers: [("Retry-After", "1")]) : .respond(status: 200)
        }) { base in
            let yaml = "services: {markdown: {scopes: {a: {url_env: HOOK, rate_limit: {count: 2, per_seconds: 1}}}}}"
            let notifier = Notifier(
                configuration: try configuration(yaml), outbox: try backend.makeOutbox(in: temporaryDirectory()),
                environment: DeliveryEnvironment(["HOOK": "\(base)/a"]),
                logger: Logger(label: "herald.test", factory: { _ in SwiftLogNoOpLogHandler() }), clock: clock)
            try await notifier.setAutoNotifications(event: .printDone, service: .markdown, enabled: true, scopes: ["a"])
            for number in 0..<6 { try await notifier.notify(.printDone, "Print \(number) done") }
            let summary = try await notifier.deliverPending()
            #expect(summary == DeliveryRunSummary(delivered: 6, retried: 1))
            let deliveries = try await notifier.outbox.deliveries()
            #expect(deliveries.allSatisfy { $0.state == .delivered && $0.attempts == 1 })
        }
        let times = arrivals.withLock { $0 }.map(\.timeIntervalSince1970)
        #expect(times.count == 7)
        for (index, time) in times.enumerated() {
            #expect(times[index...].prefix { $0 < time + 1 }.count <= 2, "at most 2 requests in the second from request \(index)")
        }
        #expect(times[3] >= times[2] + 1, "the Retry-After answer held the key for its second")
    }
}

extension RateLimitSlot {
    var isTaken: Bool { if case .taken = self { true } else { false } }
    var waitUntil: Date? { if case .wait(let until) = self { until } else { nil } }
}
