import Foundation
import Herald
@testable import HeraldDelivery
import HeraldTestSupport
import Logging
import Testing

/// A running worker claims what its own process queues at once, not at its next poll.
@Suite("work signal: a notification queued in-process wakes the waiting worker")
struct WorkSignalTests {
    @Test("a worker polling once an hour delivers a notification queued by its notifier", .timeLimit(.minutes(1)))
    func queuedWorkWakesTheWorker() async throws {
        let (arrivals, arrived) = AsyncStream.makeStream(of: String.self)
        try await TestHTTPServer.with({ request in
            arrived.yield(request.text)
            return .respond(status: 200, body: Array("ok".utf8))
        }) { base in
            var policy = fastPolicy()
            policy.pollInterval = .seconds(3600)
            let notifier = Notifier(
                configuration: try configuration("services: {markdown: {scopes: {chat: {url_env: HOOK}}}}", policy: policy),
                outbox: try Outbox(path: temporaryDirectory().appendingPathComponent("outbox.sqlite").path),
                environment: DeliveryEnvironment(["HOOK": "\(base)/chat"]),
                logger: Logger(label: "herald.test", factory: { _ in SwiftLogNoOpLogHandler() }))
            try await notifier.setAutoNotifications(event: .printDone, service: .markdown, enabled: true, scopes: ["chat"])
            let (stop, stopping) = AsyncStream.makeStream(of: Void.self)
            async let worker: Void = notifier.run(gracePeriod: .seconds(5)) { for await _ in stop {} }
            var texts = arrivals.makeAsyncIterator()
            for number in 1...2 {
                try await notifier.notify(.printDone, "Print \(number) done")
                #expect(await texts.next()?.contains("Print \(number) done") == true)
                while try await notifier.outbox.deliveries().last?.state != .delivered { await Task.yield() }
            }
            stopping.finish()
            try await worker
            #expect(try await notifier.outbox.deliveries().map(\.state) == [.delivered, .delivered])
        }
    }

    @Test("a wait ends at once for work queued since the generation it was given")
    func generation() async {
        let signal = WorkSignal()
        let seen = signal.generation
        signal.signal()
        await signal.wait(upTo: .seconds(3600), since: seen)
        #expect(signal.generation == seen + 1)
    }
}
