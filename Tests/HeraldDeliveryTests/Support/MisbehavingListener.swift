import HeraldDelivery
import NIOCore
import NIOPosix
import Synchronization

/// A TCP listener on 127.0.0.1 that answers no HTTP at all, counting the connections it accepts: for the failures
/// a transport must tell apart (a reset connection, TLS spoken to a plain port).
enum MisbehavingListener {
    /// What the listener does with a connection once the client has sent something.
    enum Behaviour: Sendable {
        /// Resets the connection (`SO_LINGER` 0, then close): the client reads `ECONNRESET`.
        case reset
        /// Answers a plain-text HTTP 400 and closes, as a plain HTTP server does to a TLS handshake.
        case answerPlainHTTP
    }

    /// Runs `body` with the listener's port and a count of the connections accepted so far.
    static func with<T: Sendable>(
        _ behaviour: Behaviour, _ body: (_ port: Int, _ accepted: @Sendable () -> Int) async throws -> T
    ) async throws -> T {
        let counter = Counter()
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                counter.increment()
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Handler(behaviour: behaviour))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        guard let port = server.localAddress?.port else { throw CancellationError() }
        do {
            let result = try await body(port, { counter.value })
            try? await server.close()
            return result
        } catch {
            try? await server.close()
            throw error
        }
    }

    private final class Counter: Sendable {
        private let count = Atomic<Int>(0)
        func increment() { count.add(1, ordering: .relaxed) }
        var value: Int { count.load(ordering: .relaxed) }
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let behaviour: Behaviour
        /// What the client has sent so far.
        private var received = ByteBuffer()

        init(behaviour: Behaviour) { self.behaviour = behaviour }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var bytes = unwrapInboundIn(data)
            received.writeBuffer(&bytes)
            switch behaviour {
            case .reset:
                // Only once the whole request is in: a reset while the client still writes would fail its write
                // instead of its read, and the test would name another failure on a loaded machine.
                guard Self.holdsWholeRequest(String(buffer: received)) else { return }
                let channel = context.channel
                guard let options = channel as? SocketOptionProvider else { return context.close(promise: nil) }
                options.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in channel.close(promise: nil) }
            case .answerPlainHTTP:
                let answer = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                context.writeAndFlush(NIOAny(ByteBuffer(string: answer)), promise: nil)
                context.close(promise: nil)
            }
        }

        /// Whether `text` holds a request's head and as many body bytes as its `Content-Length` says.
        private static func holdsWholeRequest(_ text: String) -> Bool {
            guard let end = text.range(of: "\r\n\r\n") else { return false }
            let head = text[..<end.lowerBound].lowercased()
            let length = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
            return text.utf8.count - text[..<end.upperBound].utf8.count >= length
        }
    }
}

/// A transport that records every request and answers each with `200`, for checking what is never sent.
final class RecordingTransport: DeliveryTransport {
    private let recorded = Mutex<[OutgoingRequest]>([])

    /// The requests so far.
    var requests: [OutgoingRequest] { recorded.withLock { $0 } }

    func perform(_ request: OutgoingRequest, timeout: Duration) async throws(TransportError) -> IncomingResponse {
        recorded.withLock { $0.append(request) }
        return IncomingResponse(status: 200)
    }
}
