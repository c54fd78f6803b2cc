import Foundation
import HeraldCore
import HeraldDelivery
import HeraldTestSupport
import Testing

/// `Idempotency-Key` on `POST /v1/notifications`: a retry after a lost answer never queues a notification twice.
@Suite("idempotency keys on notifications")
struct IdempotencyTests {
    private static let unreachable = TestServer.variables(receiver: "http://127.0.0.1:9")
    private static let body = JSONWriter().bytes(["event": "scan_completed", "message": "Scan 12 done"])

    private static func post(
        _ server: TestServer, key: String, body: [UInt8] = body, token: String = TestServer.notifyToken
    ) async throws -> TestResponse {
        try await server.send(.POST, "/v1/notifications", token: token, body: body, headers: [("Idempotency-Key", key)])
    }

    /// Runs `body` against a server that routes `scan_completed` to Markdown's `chat` (a receiver that is down).
    private static func withRoute(_ body: (TestServer) async throws -> Void) async throws {
        try await TestServer.with(variables: unreachable) { server in
            try await server.notifier.setAutoNotifications(event: .scanCompleted, service: .markdown, enabled: true, scopes: ["chat"])
            try await body(server)
        }
    }

    private static func notificationCount(_ server: TestServer) async throws -> Int {
        Set(try await server.notifier.outbox.deliveries().map(\.notificationID)).count
    }

    @Test("the same key and body again: the first answer's status and id, Idempotent-Replayed, one notification queued")
    func replayed() async throws {
        try await Self.withRoute { server in
            let first = try await Self.post(server, key: "scan-12")
            let again = try await Self.post(server, key: "scan-12")
            #expect(first.status == 202 && again.status == 202)
            #expect(first.header("Idempotent-Replayed") == nil)
            #expect(again.header("Idempotent-Replayed") == "true")
            guard case .object(let receipt) = try first.json(), case .object(let replay) = try again.json() else {
                Issue.record("not receipts: \(first.text) \(again.text)")
                return
            }
            #expect(receipt["id"] != nil && replay["id"] == receipt["id"])
            #expect(again.header("Location") == first.header("Location"))
            #expect(try await Self.notificationCount(server) == 1)
            #expect(try await server.notifier.outbox.deliveries().count == 1)

            // Without a key, or with another one, the same body is a new notification.
            #expect(try await server.send(.POST, "/v1/notifications", body: Self.body).status == 202)
            #expect(try await Self.post(server, key: "scan-12-b").status == 202)
            #expect(try await Self.notificationCount(server) == 3)
        }
    }

    @Test("the same key with another body: 422 idempotency_key_reused naming the header, nothing queued")
    func reusedForAnotherBody() async throws {
        try await Self.withRoute { server in
            #expect(try await Self.post(server, key: "k1").status == 202)
            let other = JSONWriter().bytes(["event": "scan_completed", "message": "Scan 13 done"])
            let refused = try await Self.post(server, key: "k1", body: other)
            #expect(refused.status == 422)
            let error = try refused.error()
            #expect(error.code == "idempotency_key_reused")
            #expect(error.path == "header.Idempotency-Key")
            #expect(error.message.hasPrefix(#"Idempotency-Key "k1" was used within the last 24 hours for another request"#))
            #expect(try await Self.notificationCount(server) == 1)
        }
    }

    @Test("keys are per token: another token's same key is its own notification")
    func perToken() async throws {
        try await Self.withRoute { server in
            #expect(try await Self.post(server, key: "shared").status == 202)
            let admin = try await Self.post(server, key: "shared", token: TestServer.adminToken)
            #expect(admin.status == 202)
            #expect(admin.header("Idempotent-Replayed") == nil)
            #expect(try await Self.notificationCount(server) == 2)
        }
    }

    @Test("a key that is empty, too long or not visible ASCII: 422 before anything is queued", arguments: [
        "", String(repeating: "k", count: PublicationKey.maximumLength + 1), "with space", "tab\tinside",
    ])
    func invalidKey(_ key: String) async throws {
        try await Self.withRoute { server in
            let refused = try await Self.post(server, key: key)
            #expect(refused.status == 422)
            #expect(try refused.error().code == "invalid_idempotency_key")
            #expect(try refused.error().path == "header.Idempotency-Key")
            #expect(try await server.notifier.outbox.deliveries().isEmpty)
        }
        #expect(PublicationKey.isValid(String(repeating: "k", count: PublicationKey.maximumLength)))
    }

    @Test("no route: the 200 without an id is replayed too, and a route added since does not make the retry queue")
    func noRouteReplayed() async throws {
        try await TestServer.with(variables: Self.unreachable) { server in
            let first = try await Self.post(server, key: "early")
            #expect(first.status == 200)
            try await server.notifier.setAutoNotifications(event: .scanCompleted, service: .markdown, enabled: true, scopes: ["chat"])
            let again = try await Self.post(server, key: "early")
            #expect(again.status == 200)
            #expect(again.header("Idempotent-Replayed") == "true")
            #expect(try again.json() == first.json())
            #expect(try await server.notifier.outbox.deliveries().isEmpty)
        }
    }

    @Test("keys live in the outbox file: a new process on it replays; after 24 hours the key is forgotten")
    func durableAndWindowed() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("herald-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("herald.yaml").path
        try TestServer.configuration().write(toFile: path, atomically: true, encoding: .utf8)
        let configuration = try DeliveryConfiguration(contentsOf: path)
        let outboxPath = try #require(configuration.outboxPath)
        let clock = ManualClock()
        func notifier() throws -> Notifier {
            Notifier(configuration: configuration, outbox: try Outbox(path: outboxPath), environment: DeliveryEnvironment(Self.unreachable), clock: clock.read)
        }
        let key = try #require(PublicationKey(caller: "bec", key: "run-7", request: Self.body))
        let message = NotificationMessage.plainText("Scan 12 done")

        let first = try notifier()
        try await first.setAutoNotifications(event: .scanCompleted, service: .markdown, enabled: true, scopes: ["chat"])
        guard case .recorded(let receipt) = try await first.notify(.scanCompleted, message, key: key) else {
            Issue.record("the first publication was not recorded")
            return
        }
        clock.advance(by: PublicationKey.window - 1)
        #expect(try await notifier().notify(.scanCompleted, message, key: key) == .replayed(receipt))
        clock.advance(by: 1)
        guard case .recorded(let later) = try await notifier().notify(.scanCompleted, message, key: key) else {
            Issue.record("a key older than the window was not forgotten")
            return
        }
        #expect(later.notificationID != receipt.notificationID)
        #expect(Set(try await first.outbox.deliveries().map(\.notificationID)).count == 2)
    }
}
