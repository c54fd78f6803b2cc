import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// A ``DeliveryTransport`` over async-http-client.
///
/// By default it uses the process-wide `HTTPClient.shared`, which never needs shutting down; pass your own client
/// to control its configuration and lifetime. Every request gets its own deadline.
public struct HTTPDeliveryTransport: DeliveryTransport {
    /// The most response bytes read; services answer deliveries with small bodies.
    public static let maximumResponseBytes = 1 << 20

    private let client: HTTPClient

    /// A transport on `client`.
    public init(client: HTTPClient = .shared) {
        self.client = client
    }

    /// Sends `request` with a deadline of `timeout` from now.
    public func perform(_ request: OutgoingRequest, timeout: Duration) async throws(TransportError) -> IncomingResponse {
        guard request.url.hasPrefix("http://") || request.url.hasPrefix("https://") else { throw .invalidURL }
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
        outgoing.body = .bytes(request.body)
        let deadline = NIODeadline.now() + TimeAmount.nanoseconds(Int64(timeout.seconds * 1e9))
        do {
            let response = try await client.execute(outgoing, deadline: deadline)
            let body = try await response.body.collect(upTo: Self.maximumResponseBytes)
            return IncomingResponse(
                status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                body: Array(buffer: body))
        } catch let error as HTTPClientError {
            throw Self.transportError(error)
        } catch is CancellationError {
            throw .cancelled
        } catch let error as NIOTooManyBytesError {
            throw .other("the response is larger than \(error.maxBytes.map(String.init) ?? "the limit") bytes")
        } catch {
            throw Task.isCancelled ? .cancelled : .connectionFailed
        }
    }

    private static func transportError(_ error: HTTPClientError) -> TransportError {
        switch error {
        case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout, .getConnectionFromPoolTimeout: .timedOut
        case .remoteConnectionClosed: .connectionClosed
        case .cancelled: .cancelled
        case .invalidURL, .emptyHost, .emptyScheme: .invalidURL
        default: .other("HTTP client error: \(error.shortDescription)")
        }
    }
}
