import Foundation
import Herald
import HeraldDelivery
import HeraldTestSupport
import Logging
import Synchronization
import Testing

/// Several workers sharing one PostgreSQL outbox: every delivery is sent exactly once, and each destination gets its
/// notifications in the order they were accepted.
@Suite("multi-worker: workers sharing a PostgreSQL outbox", .requires(.postgres))
struct MultiWorkerTests {
    /// What a run sends: `notifications` notifications, each routed to all `destinations`, drained by `workers`
    /// notifiers. The kill-and-restart load test grows from here (more of each, a fault-injecting receiver).
    struct Load: Sendable {
        var workers: Int
        var notifications: Int
        var destinations: Int
    }

    /// One request the receiver accepted.
    struct Arrival: Sendable {
        var destination: String
        var number: Int
        var key: String
    }

    /// Queues the notifications of `load`, then runs its workers, each a notifier on its own connection pool, until
    /// the outbox is drained; returns the requests the receiver accepted in arrival order, the outbox's deliveries
    /// and each worker's summary.
    static func drain(_ load: Load) async throws -> (arrivals: [Arrival], deliveries: [DeliveryStatus], summaries: [DeliveryRunSummary]) {
        let log = Mutex<[Arrival]>([])
        let receiver: @Sendable (ReceivedRequest) async -> TestReply = { request in
            let number = request.text.firstMatch(of: /Notification (\d+)/).flatMap { Int($0.1) } ?? -1
            log.withLock { $0.append(Arrival(destination: request.path, number: number, key: request.idempotencyKey ?? "")) }
            return .respond(status: 200, body: Array("ok".utf8))
        }
        return try await TestHTTPServer.with(receiver) { base in
            let scopes = (0..<load.destinations).map { "d\($0)" }
            let yaml = "services: {markdown: {scopes: {" + scopes.map { "\($0): {url_env: HOOK_\($0.uppercased())}" }.joined(separator: ", ") + "}}}"
            let environment = DeliveryEnvironment(Dictionary(uniqueKeysWithValues: scopes.map { ("HOOK_\($0.uppercased())", "\(base)/\($0)") }))
            let location = try OutboxBackend.postgres.location(in: temporaryDirectory())
            let config = try configuration(yaml, policy: fastPolicy(concurrency: 8))
            let notifiers = try (0..<load.workers).map { _ in
                Notifier(
                    configuration: config, outbox: try Outbox(location: location), environment: environment,
                    logger: Logger(label: "herald.test", factory: { _ in SwiftLogNoOpLogHandler() }))
            }
            try await notifiers[0].setAutoNotifications(event: .printDone, service: .markdown, enabled: true, scopes: scopes)
            for number in 0..<load.notifications { try await notifiers[0].notify(.printDone, "Notification \(number)") }
            let summaries = try await withThrowingTaskGroup(of: DeliveryRunSummary.self) { group in
                for notifier in notifiers { group.addTask { try await notifier.deliverPending() } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            return (log.withLock { $0 }, try await notifiers[0].outbox.deliveries(), summaries)
        }
    }

    @Test("3 workers drain 300 deliveries: each sent exactly once, each destination's in order")
    func threeWorkersDrainOnce() async throws {
        let load = Load(workers: 3, notifications: 100, destinations: 3)
        let (arrivals, deliveries, summaries) = try await Self.drain(load)
        let total = load.notifications * load.destinations
        #expect(deliveries.count == total)
        #expect(deliveries.allSatisfy { $0.state == .delivered && $0.attempts == 1 })
        #expect(summaries.map(\.delivered).reduce(0, +) == total)
        #expect(summaries.allSatisfy { $0.retried == 0 && $0.failed == 0 })
        #expect(arrivals.count == total, "no request sent twice")
        #expect(Set(arrivals.map(\.key)) == Set(deliveries.map(\.idempotencyKey)))
        for destination in 0..<load.destinations {
            let numbers = arrivals.filter { $0.destination == "/d\(destination)" }.map(\.number)
            #expect(numbers == Array(0..<load.notifications), "destination d\(destination) got its notifications in order")
        }
    }
}
