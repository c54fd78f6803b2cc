import Foundation
import HeraldCore

/// How one attempt to deliver went wrong.
public enum SendFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// Worth retrying: a 5xx or 429 answer, a timeout or a connection failure. `retryAfter` is what the service
    /// asked for (`Retry-After`).
    case transient(reason: String, retryAfter: Duration?)
    /// Not worth retrying: another 4xx answer (with the service's error text), an answer that makes no sense, a
    /// missing secret, a message the service cannot take.
    case rejected(reason: String)

    /// The reason.
    public var description: String {
        switch self {
        case .transient(let reason, _), .rejected(let reason): reason
        }
    }
}

/// One attempt's view of the network: every request carries the delivery's `Idempotency-Key` and its own timeout,
/// and every answer is judged the same way (2xx: done; 429 and 5xx: retry, honouring `Retry-After`; other 4xx:
/// rejected with the service's error text).
public struct DeliveryExchange: Sendable {
    /// The delivery's idempotency key, the same on every attempt and every request of an attempt.
    public let idempotencyKey: String
    /// The variables the plugins read secrets from.
    public let environment: DeliveryEnvironment
    let transport: any DeliveryTransport
    let requestTimeout: Duration
    let redactor: SecretRedactor

    /// Creates an exchange.
    public init(
        idempotencyKey: String, transport: any DeliveryTransport, requestTimeout: Duration,
        environment: DeliveryEnvironment, redactor: SecretRedactor
    ) {
        self.idempotencyKey = idempotencyKey
        self.transport = transport
        self.requestTimeout = requestTimeout
        self.environment = environment
        self.redactor = redactor
    }

    /// The secret in environment variable `name`, or a rejection naming the variable.
    public func secret(_ name: String, purpose: String) throws(SendFailure) -> Secret {
        guard let secret = environment.secret(name) else {
            throw .rejected(reason: "environment variable \(name) (\(purpose)) is not set")
        }
        return secret
    }

    /// Sends `request` with the `Idempotency-Key` header and returns a 2xx response; throws the judged failure
    /// otherwise.
    ///
    /// A delivery that makes several different requests (SciLog's uploads, then its entry) names each extra one
    /// with `part` (an ASCII token such as `file-1`): its key is the delivery's key with `:part` appended, the same
    /// on every attempt, so a service that deduplicates by key never mistakes one upload for another. `step`
    /// describes the request in messages (`upload of plot.png`).
    public func send(_ request: OutgoingRequest, part: String? = nil, step: String? = nil) async throws(SendFailure) -> IncomingResponse {
        var request = request
        request.headers.removeAll { $0.name.lowercased() == "idempotency-key" }
        request.headers.append(("Idempotency-Key", part.map { "\(idempotencyKey):\($0)" } ?? idempotencyKey))
        let prefix = step.map { "\($0): " } ?? ""
        let response: IncomingResponse
        do {
            response = try await transport.perform(request, timeout: requestTimeout)
        } catch {
            if error == .invalidURL { throw .rejected(reason: prefix + error.description) }
            throw .transient(reason: redactor.redact(prefix + error.description), retryAfter: nil)
        }
        switch response.status {
        case 200..<300:
            return response
        case 429, 500..<600:
            let retryAfter = response.header("Retry-After").flatMap { RetryAfter.delay(from: $0, now: Date()) }
            throw .transient(reason: redactor.redact(prefix + Self.describe(response)), retryAfter: retryAfter)
        default:
            throw .rejected(reason: redactor.redact(prefix + Self.describe(response)))
        }
    }

    /// `HTTP 400: <the service's error text>`, the text taken from a JSON `error`/`message` member when there is
    /// one, shortened to one line of at most 300 characters.
    static func describe(_ response: IncomingResponse) -> String {
        var text = String(decoding: response.body, as: UTF8.self)
        if let json = try? JSONReader().read(response.body), let message = Self.errorText(in: json) { text = message }
        text = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        if text.count > 300 { text = String(text.prefix(300)) + "…" }
        return text.isEmpty ? "HTTP \(response.status)" : "HTTP \(response.status): \(text)"
    }

    private static func errorText(in json: JSONValue) -> String? {
        guard case .object(let object) = json else { return nil }
        for key in ["error", "message", "detail", "title"] {
            switch object[key] {
            case .string(let text)?: return text
            case .object?: if let nested = object[key].flatMap(errorText) { return nested }
            default: continue
            }
        }
        return nil
    }
}
