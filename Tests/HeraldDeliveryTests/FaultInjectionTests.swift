import Foundation
import Herald
import HeraldDelivery
import Synchronization
import Testing

/// The acceptance test: 1,000 notifications to 3 destinations through a receiver that fails on purpose, with one
/// restart of the sender in the middle.
@Suite("1,000 notifications through faults and a restart")
struct FaultInjectionTests {
    /// Decides, before accepting anything, whether a request meets a fault: 20% 503, 5% 429 (one in five of those
    /// with `Retry-After: 1`), 1% a hang longer than the client's timeout, 1% a dropped connection. A faulted
    /// request is never accepted, so the only way to get a duplicate is to resend a request that was accepted
    /// but whose answer the sender never recorded: a send in flight at the restart.
    final class FaultPlan: Sendable {
        enum Fault { case none, serverError, tooManyRequests(retryAfter: String), hang, drop }
        private let generator = Mutex(SplitMix64(seed: 20_240_601))
        let hang: Duration
        let counts = Mutex([String: Int]())

        init(hang: Duration) { self.hang = hang }

        func next() -> Fault {
            let roll = generator.withLock { Int($0.next() % 1000) }
            let fault: Fault =
                switch roll {
                case 0..<200: .serverError
                case 200..<240: .tooManyRequests(retryAfter: "0")
                case 240..<250: .tooManyRequests(retryAfter: "1")
                case 250..<260: .hang
                case 260..<270: .drop
                default: .none
                }
            counts.withLock { $0["\(fault)".components(separatedBy: "(")[0], default: 0] += 1 }
            return fault
        }

        func wrap(_ accept: @escaping @Sendable (ReceivedRequest) async -> TestReply) -> @Sendable (ReceivedRequest) async -> TestReply {
            { request in
                switch self.next() {
                case .none: return await accept(request)
                case .serverError: return .json(503, #"{"error": "overloaded"}"#)
                case .tooManyRequests(let retryAfter): return .json(429, #"{"error": "slow down"}"#, headers: [("Retry-After", retryAfter)])
                case .hang: return .drop(after: self.hang)
                case .drop: return .drop()
                }
            }
        }
    }

    @Test("every notification reaches every destination; duplicates only for sends in flight at the restart, with the same key")
    func thousandNotificationsThreeDestinations() async throws {
        let notifications = 1000
        // A hang outlasts the timeout; an answer on a machine busy with the other suites does not.
        let timeout = Duration.seconds(3)
        let plan = FaultPlan(hang: timeout + .seconds(1))
        let ledgers = (chat: KeyLedger(), ops: KeyLedger(), signal: KeyLedger())
        try await TestHTTPServer.with(plan.wrap(Receivers.markdownWebhook(ledgers.chat))) { chatBase in
            try await TestHTTPServer.with(plan.wrap(Receivers.markdownWebhook(ledgers.ops))) { opsBase in
                try await TestHTTPServer.with(plan.wrap(Receivers.signalJSONRPC(ledgers.signal))) { signalBase in
                    let directory = try temporaryDirectory()
                    let yaml = """
                        services:
                          markdown:
                            scopes:
                              lab-chat: {url_env: LAB_CHAT_URL}
                              ops-chat: {url_env: OPS_CHAT_URL}
                          signal:
                            url: \(signalBase)
                            scopes:
                              oncall: {recipients: ["+41791234567"]}
                        """
                    var policy = fastPolicy(requestTimeout: timeout, maximumAttempts: 25, concurrency: 24)
                    policy.maximumRetryAfter = .seconds(1)
                    let config = try configuration(yaml, policy: policy)
                    let environment = ["LAB_CHAT_URL": chatBase + "/hooks/lab", "OPS_CHAT_URL": opsBase + "/hooks/ops"]
                    let outboxPath = directory.appendingPathComponent("outbox.sqlite").path
                    let first = Notifier(configuration: config, outbox: try Outbox(path: outboxPath), environment: DeliveryEnvironment(environment))
                    try await first.setAutoNotifications(event: .printDone, service: .markdown, enabled: true, scopes: ["lab-chat", "ops-chat"])
                    try await first.setAutoNotifications(event: .printDone, service: .signal, enabled: true, scopes: ["oncall"])
                    for number in 1...notifications {
                        #expect(try await first.notify(.printDone, try sampleMessage(number)).deliveries.count == 3)
                    }

                    // The first sender works until about a third is delivered, then stops dead, mid-flight.
                    let worker = Task { try await first.deliverPending() }
                    while await ledgers.chat.distinctKeys + ledgers.ops.distinctKeys + ledgers.signal.distinctKeys < notifications {
                        try await Task.sleep(for: .milliseconds(10))
                    }
                    worker.cancel()
                    _ = await worker.result
                    let atCrash = try await first.outbox.deliveries()
                    let unknownAtCrash = Set(atCrash.filter { $0.state == .sending || $0.state == .interrupted }.map(\.idempotencyKey))

                    // A new sender on the same file, as after a restart.
                    let second = Notifier(configuration: config, outbox: try Outbox(path: outboxPath), environment: DeliveryEnvironment(environment))
                    _ = try await second.deliverPending()

                    let final = try await second.outbox.deliveries()
                    #expect(final.count == notifications * 3)
                    #expect(final.allSatisfy { $0.state == .delivered })
                    let keysByDestination = Dictionary(grouping: final, by: \.destination).mapValues { Set($0.map(\.idempotencyKey)) }
                    var distinct = 0
                    var duplicates = 0
                    for (destination, ledger) in [("markdown/lab-chat", ledgers.chat), ("markdown/ops-chat", ledgers.ops), ("signal/oncall", ledgers.signal)] {
                        let counts = await ledger.counts
                        #expect(Set(counts.keys) == keysByDestination[destination], "\(destination) received exactly the outbox's keys")
                        distinct += counts.count
                        duplicates += await ledger.duplicates
                        #expect(await ledger.duplicateKeys.isSubset(of: unknownAtCrash), "\(destination): a duplicate is only a resent unknown outcome")
                    }
                    #expect(distinct == notifications * 3)
                    let interrupted = final.filter { $0.interruptedAttempts > 0 }.count
                    let attempts = final.reduce(0) { $0 + $1.attempts }
                    let faults = plan.counts.withLock { $0 }
                    print("""
                        fault test: \(final.count) deliveries delivered (\(notifications) notifications x 3 destinations); \
                        receivers got \(faults.values.reduce(0, +)) requests \
                        (\(faults.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))); \
                        \(attempts) attempts; distinct keys \(distinct); duplicates \(duplicates); \
                        in flight at the restart \(unknownAtCrash.count), resent as interrupted \(interrupted)
                        """)
                }
            }
        }
    }
}

/// A small deterministic generator, so the faults are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
