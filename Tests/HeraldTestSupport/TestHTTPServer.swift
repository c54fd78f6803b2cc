import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A request as a test server received it.
public struct ReceivedRequest: Sendable {
    /// The method.
    public var method: String
    /// The request target (path and query).
    public var path: String
    /// The headers, in order.
    public var headers: [(name: String, value: String)]
    /// The body.
    public var body: [UInt8]

    /// The first header named `name` (any case).
    public func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }
    /// The `Idempotency-Key` header.
    public var idempotencyKey: String? { header("Idempotency-Key") }
    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// What a test server does with a request.
public enum TestReply: Sendable {
    /// Answers, after an optional delay.
    case respond(status: Int, headers: [(String, String)] = [], body: [UInt8] = [], after: Duration = .zero)
    /// Closes the connection without answering, after an optional delay (a crash, or a hang the client gives up on).
    case drop(after: Duration = .zero)

    /// A JSON answer.
    public static func json(_ status: Int, _ text: String, headers: [(String, String)] = []) -> TestReply {
        .respond(status: status, headers: [("Content-Type", "application/json")] + headers, body: Array(text.utf8))
    }
}

/// Runs test servers' tasks on threads of their own, outside Swift's cooperative pool (two threads on two cores): a
/// test that blocks a pool thread, waiting for a Python checker say, cannot starve the servers other tests' requests
/// wait on, which would make those requests time out on a busy machine.
final class ServerTaskExecutor: TaskExecutor {
    /// The one executor all test servers share.
    static let shared = ServerTaskExecutor()
    /// Dispatch adds threads to a concurrent queue as its blocks need them.
    private let queue = DispatchQueue(label: "herald.test-servers", attributes: .concurrent)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

/// An HTTP/1.1 server on 127.0.0.1 and an ephemeral port, answering through an async handler, for as long as a
/// body runs.
public enum TestHTTPServer {
    /// Runs `body` with the base URL (`http://127.0.0.1:PORT`) of a server answering through `handler`; the server
    /// stops when `body` returns.
    public static func with<T: Sendable>(
        _ handler: @escaping @Sendable (ReceivedRequest) async -> TestReply,
        _ body: (_ baseURL: String) async throws -> T
    ) async throws -> T {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(wrappingChannelSynchronously: channel)
                }
            }
        guard let port = server.channel.localAddress?.port else { throw CancellationError() }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            // The server and every connection's task (they inherit the preference) run on threads of their own.
            group.addTask(executorPreference: ServerTaskExecutor.shared) {
                try await withThrowingDiscardingTaskGroup { connections in
                    try await server.executeThenClose { inbound in
                        for try await connection in inbound {
                            connections.addTask { await serve(connection, handler) }
                        }
                    }
                }
            }
            do {
                let result = try await body("http://127.0.0.1:\(port)")
                group.cancelAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }

    private static func serve(
        _ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>,
        _ handler: @Sendable (ReceivedRequest) async -> TestReply
    ) async {
        try? await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body = ByteBuffer()
            for try await part in inbound {
                switch part {
                case .head(let requestHead):
                    head = requestHead
                    body.clear()
                case .body(var chunk):
                    body.writeBuffer(&chunk)
                case .end:
                    guard let head else { return }
                    let request = ReceivedRequest(
                        method: head.method.rawValue, path: head.uri, headers: head.headers.map { ($0.name, $0.value) },
                        body: Array(buffer: body))
                    switch await handler(request) {
                    case .drop(let delay):
                        if delay > .zero { try await Task.sleep(for: delay) }
                        return
                    case .respond(let status, let headers, let bytes, let delay):
                        if delay > .zero { try await Task.sleep(for: delay) }
                        var responseHeaders = HTTPHeaders(headers)
                        // A reply that asks for chunked framing goes without a length, so that only reading finds its size.
                        if !responseHeaders.contains(name: "Transfer-Encoding") {
                            responseHeaders.replaceOrAdd(name: "Content-Length", value: String(bytes.count))
                        }
                        try await outbound.write(.head(HTTPResponseHead(
                            version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: responseHeaders)))
                        try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: bytes))))
                        try await outbound.write(.end(nil))
                    }
                }
            }
        }
    }
}
