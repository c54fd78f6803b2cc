import AsyncHTTPClient
import Foundation
import HeraldCore
import HeraldDelivery
import HeraldServer
import HeraldTestSupport
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Synchronization
import Testing

/// A clock the test moves by hand.
final class ManualClock: Sendable {
    private let time = Mutex(Date(timeIntervalSince1970: 1_750_000_000))

    /// The current time.
    var now: Date { time.withLock { $0 } }

    /// Moves the time forward.
    func advance(by seconds: TimeInterval) { time.withLock { $0 += seconds } }

    /// The clock as the server takes it.
    var read: @Sendable () -> Date { { self.now } }
}

/// A response as the tests read it.
struct TestResponse: Sendable {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }
    func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }

    /// The body as JSON.
    func json() throws -> JSONValue { try JSONReader().read(body) }

    /// The `code` and `message` of an error body; fails the test when the body is not the error shape.
    func error() throws -> (code: String, message: String, path: String) {
        guard case .object(let root) = try json(), root.count == 1, case .object(let error)? = root["error"], error.count == 3,
            case .string(let code)? = error["code"], case .string(let message)? = error["message"], case .string(let path)? = error["path"]
        else {
            Issue.record("not an error body: \(text)")
            throw NotAnError()
        }
        return (code, message, path)
    }

    struct NotAnError: Error {}
}

/// `herald serve` in this process, on 127.0.0.1 and a free port, with a real outbox file in a fresh directory.
struct TestServer: Sendable {
    /// `http://127.0.0.1:PORT`.
    let baseURL: String
    /// The directory of the destinations file and the outbox.
    let directory: URL
    /// A notifier on the same outbox (for routes and checks behind the API's back).
    let notifier: Notifier

    /// The token of the `notify` role.
    static let notifyToken = "notify-" + UUID().uuidString
    /// The token of the `admin` role.
    static let adminToken = "admin-" + UUID().uuidString

    /// A destinations file with one Markdown scope `chat` (at `HERALD_TEST_CHAT_URL`), a `notify` and an `admin`
    /// token, and `server` settings `extra` added to those.
    static func configuration(server extra: String = "", delivery: String = "") -> String {
        """
        outbox: outbox.sqlite
        delivery: {request_timeout: 30, concurrency: 4, lease_margin: 5, poll_interval: 0.05, initial_backoff: 0.01, maximum_backoff: 0.05\(delivery)}
        services:
          markdown:
            scopes:
              chat: {url_env: HERALD_TEST_CHAT_URL}
        server:
          tokens:
            - {name: bec, token_env: HERALD_TEST_NOTIFY_TOKEN, role: notify}
            - {name: ops, token_env: HERALD_TEST_ADMIN_TOKEN, role: admin}
        \(extra)
        """
    }

    /// The variables the configuration reads, the chat URL pointing at `receiver`.
    static func variables(receiver: String) -> [String: String] {
        ["HERALD_TEST_CHAT_URL": receiver + "/hooks/chat", "HERALD_TEST_NOTIFY_TOKEN": notifyToken, "HERALD_TEST_ADMIN_TOKEN": adminToken]
    }

    /// Runs `body` against a server for `yaml` with `variables`, then shuts it down gracefully and checks that it
    /// stopped without an error.
    static func with<T: Sendable>(
        _ yaml: String = configuration(), variables: [String: String], clock: @escaping @Sendable () -> Date = Date.init,
        openOnLoopback: Bool = false, logger: Logger = Logger(label: "herald.test", factory: { _ in SwiftLogNoOpLogHandler() }),
        _ body: (TestServer) async throws -> T
    ) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("herald-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("herald.yaml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        let configuration = try DeliveryConfiguration(contentsOf: path)
        let outbox = try Outbox(path: try #require(configuration.outboxPath))
        let environment = DeliveryEnvironment(variables)
        let server = try HeraldServer(
            configuration: configuration, outbox: outbox, environment: environment, address: ListenAddress(host: "127.0.0.1", port: 0),
            openOnLoopback: openOnLoopback, logger: logger, clock: clock)
        let (ports, listening) = AsyncStream.makeStream(of: Int.self)
        let group = ServiceGroup(services: server.services { listening.yield($0) }, logger: logger)
        let running = Task { try await group.run() }
        guard let port = await ports.first(where: { _ in true }) else { throw CancellationError() }
        let testServer = TestServer(
            baseURL: "http://127.0.0.1:\(port)", directory: directory,
            notifier: Notifier(configuration: configuration, outbox: outbox, environment: environment, clock: clock))
        let result: T
        do {
            result = try await body(testServer)
        } catch {
            await group.triggerGracefulShutdown()
            _ = try? await running.value
            throw error
        }
        await group.triggerGracefulShutdown()
        try await running.value
        return result
    }

    /// Sends a request; `token` goes in `Authorization: Bearer`. Every answer is checked against the OpenAPI
    /// document: its status must be documented for the operation, and an error must have the error shape.
    func send(
        _ method: HTTPMethod, _ path: String, token: String? = TestServer.notifyToken, body: [UInt8]? = nil,
        headers: [(String, String)] = [], sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> TestResponse {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let bytes = Array(buffer: try await response.body.collect(upTo: 64 << 20))
        let answer = TestResponse(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) }, body: bytes)
        try APIDocument.shared.check(answer, method: method.rawValue, path: path, sourceLocation: sourceLocation)
        return answer
    }

    /// `send` with a JSON body.
    func send(_ method: HTTPMethod, _ path: String, token: String? = TestServer.notifyToken, json: JSONValue) async throws -> TestResponse {
        try await send(method, path, token: token, body: JSONWriter().bytes(json))
    }

    /// Polls the outbox until every delivery of notification `id` is delivered or failed.
    func waitUntilSettled(_ id: String) async throws -> [DeliveryStatus] {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let deliveries = try await notifier.outbox.deliveries(notificationID: id)
            if !deliveries.isEmpty, deliveries.allSatisfy({ $0.state == .delivered || $0.state == .failed }) { return deliveries }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("notification \(id) was not delivered within 60 s")
        return try await notifier.outbox.deliveries(notificationID: id)
    }
}
