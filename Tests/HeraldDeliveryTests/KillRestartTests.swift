import Foundation
import Herald
import HeraldDelivery
import HeraldTestSupport
import Testing

/// The real `herald` executable, killed with SIGKILL in the middle of delivering, then started again.
@Suite("a killed sender loses nothing")
struct KillRestartTests {
    /// A destinations file in a fresh directory routing `PrintDone` to one Markdown webhook at `url` (through
    /// `HERALD_KILL_TEST_URL`), with two deliveries at a time and short backoffs; its path, the variables a `herald`
    /// process needs, and a notifier on its outbox.
    static func destination(
        _ url: String, requestTimeout: Double, leaseMargin: Double
    ) async throws -> (configPath: String, variables: [String: String], notifier: Notifier) {
        let configPath = try temporaryDirectory().appendingPathComponent("herald.yaml").path
        try """
            outbox: outbox.sqlite
            delivery: {request_timeout: \(requestTimeout), concurrency: 2, lease_margin: \(leaseMargin), poll_interval: 0.05, initial_backoff: 0.01, maximum_backoff: 0.05}
            services:
              markdown:
                scopes:
                  chat: {url_env: HERALD_KILL_TEST_URL}
            """.write(toFile: configPath, atomically: true, encoding: .utf8)
        let variables = ["HERALD_KILL_TEST_URL": url]
        let configuration = try DeliveryConfiguration(contentsOf: configPath)
        let notifier = Notifier(
            configuration: configuration, outbox: try Outbox(path: try #require(configuration.outboxPath)),
            environment: DeliveryEnvironment(variables))
        try await notifier.setAutoNotifications(event: .printDone, service: .markdown, enabled: true, scopes: ["chat"])
        return (configPath, variables, notifier)
    }

    @Test("SIGKILL mid-delivery, then `herald outbox retry`: every notification arrives, duplicates only for sends cut short")
    func killAndRestart() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Receivers.slow(ledger, answeringAfter: .milliseconds(150))) { base in
            let (configPath, variables, notifier) = try await Self.destination(base + "/hooks/kill-test", requestTimeout: 5, leaseMargin: 0.2)
            let count = 30
            for number in 1...count { try await notifier.notify(.printDone, try sampleMessage(number)) }

            let firstErrors = Pipe()
            let first = try HeraldProcess.start(["outbox", "retry", "--config", configPath], variables: variables, errors: firstErrors)
            while await ledger.seen < 9, first.isRunning { try await Task.sleep(for: .milliseconds(5)) }
            kill(first.processIdentifier, SIGKILL)
            try await HeraldProcess.waitForExit(first)
            #expect(first.terminationReason == .uncaughtSignal)

            let atKill = try await notifier.outbox.deliveries()
            let unknown = Set(atKill.filter { $0.state == .sending || $0.state == .interrupted }.map(\.idempotencyKey))
            #expect(atKill.contains { $0.state != .delivered }, "the kill came before the end")
            #expect(!unknown.isEmpty, "the kill left sends in flight")

            let secondErrors = Pipe()
            let second = try HeraldProcess.start(["outbox", "retry", "--config", configPath], variables: variables, errors: secondErrors)
            try await HeraldProcess.waitForExit(second)
            #expect(second.terminationStatus == 0)
            #expect(String(decoding: secondErrors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) == "")

            let final = try await notifier.outbox.deliveries()
            #expect(final.count == count && final.allSatisfy { $0.state == .delivered })
            #expect(await ledger.distinctKeys == count)
            #expect(await ledger.duplicateKeys.isSubset(of: unknown))
            #expect(final.filter { unknown.contains($0.idempotencyKey) }.allSatisfy { $0.interruptedAttempts == 1 })
            print("kill test: \(count) notifications; \(unknown.count) in flight at SIGKILL; received \(await ledger.distinctKeys) distinct keys, \(await ledger.duplicates) duplicates")
        }
    }
}
