import AsyncHTTPClient
import Foundation
import HeraldCore
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A ``DeliveryTransport`` over async-http-client.
///
/// By default it uses ``sharedClient``, configured for delivery and never shut down; pass your own client to
/// control its lifetime, configured like ``clientConfiguration`` (a client that follows redirects itself would turn
/// a webhook `POST` into a `GET`). Every request gets its own deadline.
public struct HTTPDeliveryTransport: DeliveryTransport {
    /// The most response bytes read; services answer deliveries with small bodies.
    public static let maximumResponseBytes = 1 << 20

    /// The configuration delivery needs: redirects are not followed (``DeliveryExchange`` judges them), and a
    /// connection that cannot be made fails the request at once instead of being tried again until the deadline
    /// (the worker retries the attempt with backoff). Certificates are fully verified.
    public static var clientConfiguration: HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.connectionPool.retryConnectionEstablishment = false
        return configuration
    }

    /// The process-wide client with ``clientConfiguration``. Like `HTTPClient.shared` it lives as long as the
    /// process and is never shut down.
    public static let sharedClient = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: clientConfiguration)

    private let client: HTTPClient

    /// A transport on `client`, which must not follow redirects.
    public init(client: HTTPClient = sharedClient) {
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
        } catch {
            throw Task.isCancelled ? .cancelled : Self.transportError(error)
        }
    }

    /// What went wrong, named from the error types of async-http-client, NIO and NIOSSL.
    static func transportError(_ error: any Error) -> TransportError {
        switch error {
        case let error as HTTPClientError:
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout, .getConnectionFromPoolTimeout, .tlsHandshakeTimeout:
                return .timedOut
            case .remoteConnectionClosed: return .connectionClosed
            case .cancelled: return .cancelled
            case .invalidURL, .emptyHost, .emptyScheme: return .invalidURL
            default: return .other("HTTP client error: \(error.shortDescription)")
            }
        case is CancellationError:
            return .cancelled
        case let error as NIOTooManyBytesError:
            return .other("the response is larger than \(error.maxBytes.map(String.init) ?? "the limit") bytes")
        case let error as NIOConnectionError:
            if error.connectionErrors.isEmpty, error.dnsAError != nil || error.dnsAAAAError != nil { return .hostNotFound }
            let named = error.connectionErrors.map { transportError($0.error) }
            return [.connectionRefused, .hostUnreachable, .timedOut].first(where: named.contains) ?? named.first ?? .connectionFailed
        case is SocketAddressError.UnknownHost:
            return .hostNotFound
        case ChannelError.connectTimeout:
            return .timedOut
        case let error as IOError:
            switch error.errnoCode {
            case ECONNREFUSED: return .connectionRefused
            case ECONNRESET, EPIPE: return .connectionReset
            case ENETUNREACH, EHOSTUNREACH: return .hostUnreachable
            case ETIMEDOUT: return .timedOut
            default: return .connectionFailed
            }
        case NIOSSLError.uncleanShutdown:
            return .connectionClosed
        case is NIOSSLError, is NIOSSLExtraError, is BoringSSLError:
            return .tlsHandshakeFailed(reason: tlsReason(error))
        default:
            return .connectionFailed
        }
    }

    /// A reason a person can act on for a TLS failure, from BoringSSL's error names.
    private static func tlsReason(_ error: any Error) -> String {
        let text = String(describing: error)
        if error as? NIOSSLExtraError == .failedToValidateHostname { return "the server's certificate is for another host" }
        for (names, reason) in [
            (["WRONG_VERSION_NUMBER", "PACKET_LENGTH_TOO_LONG", "HTTP_REQUEST", "RECORD_LENGTH_MISMATCH"], "the server does not speak TLS on this port"),
            (["CERTIFICATE_VERIFY_FAILED"], "the server's certificate is not trusted"),
            (["EOF during handshake"], "the server closed the connection during the handshake"),
        ] where names.contains(where: text.contains) {
            return reason
        }
        // The last BoringSSL reason code, such as SSLV3_ALERT_HANDSHAKE_FAILURE.
        let code = text.split(separator: ":").last?.prefix { $0.isLetter || $0.isNumber || $0 == "_" } ?? ""
        return code.isEmpty ? "TLS error" : displayable(code.lowercased().replacingOccurrences(of: "_", with: " "), limit: 80)
    }
}
