/// Sends one HTTP request and returns the response: the seam between delivery logic and the network.
///
/// ``HTTPDeliveryTransport`` is the implementation over async-http-client. A transport only moves bytes: status
/// codes are judged by ``DeliveryExchange``, retries are the worker's.
public protocol DeliveryTransport: Sendable {
    /// Sends `request`; the whole exchange, connecting included, must end within `timeout`.
    func perform(_ request: OutgoingRequest, timeout: Duration) async throws(TransportError) -> IncomingResponse
}

/// An HTTP request a plugin wants sent.
public struct OutgoingRequest: Hashable, Sendable {
    /// The method, e.g. `POST`.
    public var method: String
    /// The absolute `http` or `https` URL. May be a secret (a webhook URL): it is never logged.
    public var url: String
    /// Header fields in order.
    public var headers: [(name: String, value: String)]
    /// The body.
    public var body: [UInt8]

    /// Creates a request.
    public init(method: String = "POST", url: String, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// Compares method, URL, headers and body.
    public static func == (lhs: OutgoingRequest, rhs: OutgoingRequest) -> Bool {
        lhs.method == rhs.method && lhs.url == rhs.url && lhs.body == rhs.body
            && lhs.headers.map { [$0.name, $0.value] } == rhs.headers.map { [$0.name, $0.value] }
    }

    /// Hashes method, URL, headers and body.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(method)
        hasher.combine(url)
        hasher.combine(headers.map { [$0.name, $0.value] })
        hasher.combine(body)
    }
}

/// An HTTP response.
public struct IncomingResponse: Hashable, Sendable {
    /// The status code.
    public var status: Int
    /// Header fields in order.
    public var headers: [(name: String, value: String)]
    /// The body (at most ``HTTPDeliveryTransport/maximumResponseBytes``).
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Compares status, headers and body.
    public static func == (lhs: IncomingResponse, rhs: IncomingResponse) -> Bool {
        lhs.status == rhs.status && lhs.body == rhs.body
            && lhs.headers.map { [$0.name, $0.value] } == rhs.headers.map { [$0.name, $0.value] }
    }

    /// Hashes status, headers and body.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(status)
        hasher.combine(headers.map { [$0.name, $0.value] })
        hasher.combine(body)
    }
}

/// Why a request got no response. None of these says whether the service received the request, and none
/// contains the URL.
public enum TransportError: Error, Hashable, Sendable, CustomStringConvertible {
    /// No complete response within the timeout.
    case timedOut
    /// No connection could be made, for a reason none of the other cases names.
    case connectionFailed
    /// The host refused the connection: nothing listens on the port.
    case connectionRefused
    /// The host's name does not resolve.
    case hostNotFound
    /// No route to the host or its network.
    case hostUnreachable
    /// The connection was reset (the peer aborted it).
    case connectionReset
    /// The TLS handshake failed, for `reason` (for example "the server does not speak TLS on this port").
    case tlsHandshakeFailed(reason: String)
    /// The connection closed before the response was complete.
    case connectionClosed
    /// The URL cannot be requested.
    case invalidURL
    /// The sending task was cancelled.
    case cancelled
    /// Any other transport failure, described without the URL.
    case other(String)

    /// A short sentence.
    public var description: String {
        switch self {
        case .timedOut: "no response before the timeout"
        case .connectionFailed: "cannot connect"
        case .connectionRefused: "connection refused"
        case .hostNotFound: "host not found"
        case .hostUnreachable: "host unreachable"
        case .connectionReset: "the connection was reset"
        case .tlsHandshakeFailed(let reason): "TLS handshake failed: \(reason)"
        case .connectionClosed: "the connection closed before the response was complete"
        case .invalidURL: "the URL is not an http or https URL"
        case .cancelled: "cancelled"
        case .other(let reason): reason
        }
    }
}
