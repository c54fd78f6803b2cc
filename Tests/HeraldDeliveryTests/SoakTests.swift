import Foundation
import Herald
import HeraldDelivery
import HeraldTestSupport
import Testing

/// The real `herald` executable delivering messages from 1 KB to 8 MB to a slow receiver, killed with SIGKILL twice
/// in the middle and started again: every notification arrives whole, and the only duplicates are sends that a kill
/// cut short.
///
/// It takes a minute or more of both cores with a debug build, which would starve the other suites' short timeouts
/// if it ran beside them: it runs only with `HERALD_SOAK=1`, and `.ci/run` runs it on its own after the suite.
@Suite(
    "soak: large messages, a slow receiver and two kills",
    .enabled(if: ProcessInfo.processInfo.environment["HERALD_SOAK"] == "1", "runs alone with HERALD_SOAK=1 (as .ci/run does): it needs both cores for a minute"))
struct SoakTests {
    /// A message of about `bytes` UTF-8 bytes: log lines full of non-ASCII units and characters JSON escapes, and a
    /// marker naming the message.
    static func logMessage(_ marker: String, bytes: Int) throws -> NotificationMessage {
        let line = "T=21.5 °C, gap 3.2 µm, d=1.54 Å, \"beam\"\tok\\\n"
        let text = String(repeating: line, count: max(1, bytes / line.utf8.count))
        var message = try NotificationMessage(title: marker)
        try message.addText(marker + "\n", bold: true)
        try message.addText(text)
        return message
    }

    @Test("1 KB to 8 MB, slow receiver, SIGKILL twice: all delivered whole, duplicates only for sends cut short")
    func soak() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Receivers.slow(ledger, answeringAfter: .milliseconds(300))) { base in
            let (configPath, variables, notifier) = try await KillRestartTests.destination(base + "/hooks/soak", requestTimeout: 20, leaseMargin: 0.5)
            defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: configPath).deletingLastPathComponent().path) }
            let sizes = [1_000, 8_000_000, 40_000, 1_000_000, 300_000, 2_000_000, 5_000, 4_000_000, 100_000, 1_000]
            var markers: [String: Int] = [:]
            for (number, size) in sizes.enumerated() {
                let marker = "soak\(number)x\(size)"  // letters and digits only: Markdown escapes punctuation
                markers[marker] = size
                try await notifier.notify(.printDone, try Self.logMessage(marker, bytes: size))
            }

            // Two runs killed after they have sent a few more requests each, then one run to the end.
            var cutShort: Set<String> = []
            for killAfterSeen in [3, 7] {
                let run = try HeraldProcess.start(["outbox", "retry", "--config", configPath], variables: variables, errors: Pipe())
                while await ledger.seen < killAfterSeen, run.isRunning { try await Task.sleep(for: .milliseconds(5)) }
                kill(run.processIdentifier, SIGKILL)
                try await HeraldProcess.waitForExit(run)
                #expect(run.terminationReason == .uncaughtSignal, "the run was killed, not finished")
                let atKill = try await notifier.outbox.deliveries()
                cutShort.formUnion(atKill.filter { $0.state == .sending || $0.state == .interrupted }.map(\.idempotencyKey))
            }
            #expect(!cutShort.isEmpty, "the kills left sends in flight")

            let last = try HeraldProcess.start(["outbox", "retry", "--config", configPath], variables: variables, errors: Pipe())
            try await HeraldProcess.waitForExit(last, limit: .seconds(180))
            #expect(last.terminationReason == .exit && last.terminationStatus == 0)

            let final = try await notifier.outbox.deliveries()
            #expect(final.count == sizes.count)
            #expect(final.allSatisfy { $0.state == .delivered })
            #expect(await ledger.distinctKeys == sizes.count)
            #expect(await ledger.duplicateKeys.isSubset(of: cutShort))
            #expect(final.allSatisfy { $0.interruptedAttempts <= 2 })
            // Each notification arrived whole: its marker, and at least as many bytes as its text.
            for request in await ledger.accepted {
                let text = request.text
                let marker = try #require(markers.first { text.contains($0.key) }, "a request without a marker")
                #expect(request.body.count >= marker.value)
            }
            print("soak: \(sizes.count) notifications (\(sizes.reduce(0, +)) bytes of text); \(cutShort.count) cut short by two kills; \(await ledger.duplicates) duplicates")
        }
    }
}
