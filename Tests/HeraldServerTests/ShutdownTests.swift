import AsyncHTTPClient
import Foundation
import HeraldCore
import HeraldDelivery
import HeraldTestSupport
import Logging
import NIOCore
import Synchronization
import Testing

/// Graceful shutdown: SIGTERM stops accepting, lets attempts under way finish (or gives their leases back), exits 0,
/// and a restart delivers what is left.
@Suite("SIGTERM and restart lose nothing")
struct ShutdownTests {
    /// A directory with a destinations file for `herald serve` (one Markdown scope at `url`, a notify token, no rate
    /// limit to speak of) and its notifier, with `PrintDone` routed to the scope.
    private static func setUp(
        url: String, grace: Double, leaseMargin: Double, scopes: [String] = ["chat"]
    ) async throws -> (directory: URL, configPath: String, variables: [String: String], notifier: Notifier) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("herald-shutdown-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let configPath = directory.appendingPathComponent("herald.yaml").path
        try """
            outbox: outbox.sqlite
            delivery: {request_timeout: 20, concurrency: 4, lease_margin: \(leaseMargin), poll_interval: 0.05, initial_backoff: 0.01, maximum_backoff: 0.05}
            services:
              markdown:
                scopes: {\(scopes.map { "\($0): {url_env: HERALD_SHUTDOWN_TEST_URL}" }.joined(separator: ", "))}
            server:
              tokens: [{name: burst, token_env: HERALD_SHUTDOWN_TEST_TOKEN, role: notify}]
              rate_limit: {requests: 100000, per: 1}
              shutdown_grace_period: \(grace)
            """.write(toFile: configPath, atomically: true, encoding: .utf8)
        let variables = ["HERALD_SHUTDOWN_TEST_URL": url, "HERALD_SHUTDOWN_TEST_TOKEN": "burst-" + UUID().uuidString]
        let configuration = try DeliveryConfiguration(contentsOf: configPath)
        let notifier = Notifier(
            configuration: configuration, outbox: try Outbox(path: try #require(configuration.outboxPath)),
            environment: DeliveryEnvironment(variables), logger: Logger(label: "herald.test", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await notifier.setAutoNotifications(event: .printDone, service: .markdown, enabled: true, scopes: scopes)
        return (directory, configPath, variables, notifier)
    }

    /// Starts `herald serve` with standard output and error in files of `directory` (the logs are long: a pipe
    /// nobody reads would fill), and returns it with its base URL once it prints that it listens.
    private static func serve(_ configPath: String, variables: [String: String], in directory: URL, run: Int) async throws -> (Process, String, URL) {
        let output = directory.appendingPathComponent("serve-\(run).out")
        let errors = directory.appendingPathComponent("serve-\(run).err")
        for file in [output, errors] { _ = FileManager.default.createFile(atPath: file.path, contents: nil) }
        let process = try HeraldProcess.start(
            ["serve", "--config", configPath, "--listen", "127.0.0.1:0"], variables: variables,
            output: try FileHandle(forWritingTo: output), errors: try FileHandle(forWritingTo: errors))
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline, process.isRunning {
            let text = String(decoding: try Data(contentsOf: output), as: UTF8.self)
            if let line = text.split(separator: "\n").first, line.hasPrefix("listening on ") {
                return (process, String(line.dropFirst("listening on ".count)), errors)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        kill(process.processIdentifier, SIGKILL)
        throw HeraldProcess.DidNotFinish(limit: .seconds(60))
    }

    /// What the burst's clients saw.
    private actor Burst {
        private(set) var acknowledged: [String] = []
        private(set) var posted = 0
        private(set) var refused = 0
        /// Whether the server was sent SIGTERM.
        private(set) var signalled = false

        /// Records a request about to be sent.
        func post() { posted += 1 }

        /// Records an acknowledged notification; returns how many there are now.
        func acknowledge(_ id: String) -> Int {
            acknowledged.append(id)
            return acknowledged.count
        }

        /// Records a request that was not acknowledged (refused, cut off, or no connection).
        func refuse() { refused += 1 }

        func signal() { signalled = true }
    }

    @Test("SIGTERM during a burst of 500: exit 0; after a restart every 202-acknowledged notification arrived exactly once")
    func sigtermDuringBurst() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Receivers.slow(ledger, answeringAfter: .milliseconds(20))) { base in
            let (directory, configPath, variables, notifier) = try await Self.setUp(url: base + "/hooks/burst", grace: 30, leaseMargin: 30)
            let token = try #require(variables["HERALD_SHUTDOWN_TEST_TOKEN"])
            let (first, url, firstLog) = try await Self.serve(configPath, variables: variables, in: directory, run: 1)

            let burst = Burst()
            let total = 500
            let signalAfter = 150
            await withTaskGroup(of: Void.self) { group in
                for client in 0..<16 {
                    group.addTask {
                        for number in stride(from: client, to: total, by: 16) {
                            // Once the server stopped, a client stops too: the HTTP client would try to connect
                            // until its timeout.
                            let signalled = await burst.signalled
                            if signalled, !first.isRunning { return }
                            await burst.post()
                            var request = HTTPClientRequest(url: url + "/v1/notifications")
                            request.method = .POST
                            request.headers.add(name: "Authorization", value: "Bearer \(token)")
                            request.headers.add(name: "Content-Type", value: "application/json")
                            request.body = .bytes(ByteBuffer(bytes: JSONWriter().bytes(["event": "PrintDone", "message": .string("print \(number) done")])))
                            do {
                                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(signalled ? 5 : 60))
                                let body = try await response.body.collect(upTo: 1 << 20)
                                guard response.status == .accepted, case .object(let receipt) = try JSONReader().read(Array(buffer: body)),
                                    case .string(let id)? = receipt["id"]
                                else {
                                    await burst.refuse()
                                    continue
                                }
                                if await burst.acknowledge(id) == signalAfter {
                                    await burst.signal()
                                    kill(first.processIdentifier, SIGTERM)
                                }
                            } catch {
                                await burst.refuse()
                                if signalled { return }
                            }
                        }
                    }
                }
            }
            try await HeraldProcess.waitForExit(first)
            #expect(first.terminationReason == .exit)
            #expect(first.terminationStatus == 0)
            let acknowledged = Set(await burst.acknowledged)
            #expect(acknowledged.count >= signalAfter)
            #expect(acknowledged.count < total, "the SIGTERM came before the burst's end")
            let posted = await burst.posted
            let atStop = try await notifier.outbox.deliveries()
            #expect(atStop.allSatisfy { $0.state != .sending && $0.state != .interrupted }, "every attempt under way finished within the grace period")
            let deliveredBeforeRestart = atStop.filter { $0.state == .delivered }.count

            let (second, _, secondLog) = try await Self.serve(configPath, variables: variables, in: directory, run: 2)
            let deadline = ContinuousClock.now + .seconds(120)
            while try await notifier.outbox.deliveries(states: [.pending, .sending, .interrupted, .failed]).count > 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            kill(second.processIdentifier, SIGTERM)
            try await HeraldProcess.waitForExit(second)
            #expect(second.terminationStatus == 0)

            let final = try await notifier.outbox.deliveries()
            let byNotification = Dictionary(grouping: final, by: \.notificationID)
            for id in acknowledged {
                #expect(byNotification[id]?.map(\.state) == [.delivered], "acknowledged notification \(id)")
            }
            let keys = Set(final.map(\.idempotencyKey))
            let counts = await ledger.counts
            #expect(Set(counts.keys) == keys, "the receiver got exactly the outbox's deliveries")
            #expect(counts.values.allSatisfy { $0 == 1 }, "no delivery arrived twice")
            let logs = try [firstLog, secondLog].map { String(decoding: try Data(contentsOf: $0), as: UTF8.self) }
            #expect(logs[0].contains("POST /v1/notifications 202"))
            // Under load the first server may deliver everything within its grace period; the second then has nothing to do.
            if deliveredBeforeRestart < final.count { #expect(logs[1].contains("delivered")) }
            for log in logs { #expect(!log.contains(token) && !log.contains("/hooks/burst"), "a secret in a log line") }
            print("""
                shutdown test: \(posted) of \(total) posted before the clients saw the server stop, \(acknowledged.count) acknowledged (202), \
                \(await burst.refused) refused or cut off; \
                \(final.count) recorded, \(deliveredBeforeRestart) delivered before the restart; the receiver counted \(counts.count) \
                distinct deliveries, \(await ledger.duplicates) duplicates; acknowledged and delivered exactly once: \
                \(acknowledged.filter { id in byNotification[id].map { $0.allSatisfy { counts[$0.idempotencyKey] == 1 } } ?? false }.count)
                """)
        }
    }

    @Test("the grace period over: attempts still under way are cut short and their leases given back, so the next worker resends them at once")
    func leasesGivenBack() async throws {
        let ledger = KeyLedger()
        let slow = Mutex(true)
        let handler: @Sendable (ReceivedRequest) async -> TestReply = { request in
            await ledger.saw()
            await ledger.accept(request)
            return .respond(status: 200, after: slow.withLock { $0 } ? .seconds(600) : .zero)
        }
        try await TestHTTPServer.with(handler) { base in
            // A lease margin of ten minutes: without being given back, the cut attempts would wait that long. Six
            // destinations, since each destination has one attempt under way at a time.
            let (_, _, _, notifier) = try await Self.setUp(
                url: base + "/hooks/slow", grace: 0.1, leaseMargin: 600, scopes: (1...6).map { "chat\($0)" })
            try await notifier.notify(.printDone, "print 1 done")
            let (stop, stopper) = AsyncStream.makeStream(of: Void.self)
            let worker = Task { try await notifier.run(gracePeriod: .milliseconds(100)) { for await _ in stop { return } } }
            while await ledger.seen < 4 { try await Task.sleep(for: .milliseconds(5)) }
            stopper.yield()
            try await worker.value

            let stopped = try await notifier.outbox.deliveries()
            let cut = stopped.filter { $0.state == .interrupted }
            #expect(cut.count == 4, "the four attempts under way (concurrency 4) are interrupted at once")
            #expect(stopped.filter { $0.state == .pending }.count == 2, "nothing more was claimed after the stop")

            slow.withLock { $0 = false }
            try await notifier.deliverPending()
            let final = try await notifier.outbox.deliveries()
            #expect(final.allSatisfy { $0.state == .delivered })
            #expect(final.filter { $0.interruptedAttempts == 1 }.map(\.id).sorted() == cut.map(\.id).sorted())
            #expect(await ledger.duplicateKeys == Set(cut.map(\.idempotencyKey)))
        }
    }
}
