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
/// and every answer is judged the same way (2xx: done; 307 and 308: sent again to the new location; any other 3xx:
/// rejected, since a webhook `POST` must not turn into a `GET`; 429 and 5xx: retry, honouring `Retry-After`; other
/// 4xx: rejected with the service's error text).
///
/// A request that carries a secret (a secret URL, a token in a header) goes only over https, or to a loopback
/// address, where nothing leaves the machine; anything else is rejected before it is sent.
public struct DeliveryExchange: Sendable {
    /// The most redirects (307, 308) one request follows.
    public static let maximumRedirects = 5
    /// The most characters of a service's text shown in a failure, after redaction.
    public static let maximumEchoedCharacters = 300
    /// The largest error body read as JSON for its `error`/`message` member; a larger one is shown as text.
    static let maximumParsedErrorBytes = 64 << 10

    /// The delivery's idempotency key, the same on every attempt and every request of an attempt; each message of a
    /// notification sent as several has its own (``forMessage(_:of:)``).
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

    /// The exchange for message `index` (from 0) of a notification the service receives as `count` messages: the
    /// same exchange when there is one, otherwise one whose key is the delivery's followed by `-1`, `-2`, … .
    public func forMessage(_ index: Int, of count: Int) -> DeliveryExchange {
        guard count > 1 else { return self }
        return DeliveryExchange(
            idempotencyKey: "\(idempotencyKey)-\(index + 1)", transport: transport, requestTimeout: requestTimeout,
            environment: environment, redactor: redactor)
    }

    /// The secret in environment variable `name`, or a rejection naming the variable.
    public func secret(_ name: String, purpose: String) throws(SendFailure) -> Secret {
        guard let secret = environment.secret(name) else {
            throw .rejected(reason: "environment variable \(name) (\(purpose)) is not set")
        }
        return secret
    }

    /// Sends `request` with the `Idempotency-Key` header and returns a 2xx response; throws the judged failure
    /// otherwise. Redirects 307 and 308 are followed (at most ``maximumRedirects``, the same method and body, the
    /// headers holding a secret or credentials only to the same origin); the whole exchange, redirects included,
    /// ends within the request timeout.
    ///
    /// A delivery that makes several different requests (SciLog's uploads, then its entry) names each extra one
    /// with `part` (an ASCII token such as `file-1`): its key is the delivery's key with `:part` appended, the same
    /// on every attempt, so a service that deduplicates by key never mistakes one upload for another. `step`
    /// describes the request in messages (`upload of plot.png`).
    public func send(_ request: OutgoingRequest, part: String? = nil, step: String? = nil) async throws(SendFailure) -> IncomingResponse {
        var request = request
        request.headers.removeAll { $0.name.lowercased() == "idempotency-key" }
        request.headers.append(("Idempotency-Key", part.map { "\(idempotencyKey):\($0)" } ?? idempotencyKey))
        let prefix = step.map { "\(displayable($0, limit: 200)): " } ?? ""
        let carriesSecret = redactor.isCarried(by: request)
        let deadline = ContinuousClock.now + requestTimeout
        var redirects = 0
        while true {
            guard let url = RequestURL(request.url) else { throw .rejected(reason: prefix + TransportError.invalidURL.description) }
            if carriesSecret, !url.maySendSecrets {
                throw .rejected(reason: prefix + "refusing to send a secret over plain http to a host that is not a loopback address: use https")
            }
            let response = try await perform(request, until: deadline, prefix: prefix)
            switch response.status {
            case 200..<300:
                return response
            case 307, 308:
                redirects += 1
                guard redirects <= Self.maximumRedirects else {
                    throw .rejected(reason: prefix + "HTTP \(response.status): the service redirected more than \(Self.maximumRedirects) times")
                }
                guard let location = response.header("Location").flatMap({ RequestURL($0, relativeTo: request.url) }) else {
                    throw .rejected(reason: prefix + "HTTP \(response.status): the service redirected without a valid http or https Location")
                }
                if location.origin != url.origin {
                    request.headers.removeAll { Self.credentialHeaders.contains($0.name.lowercased()) || redactor.isSecret(inHeaderValue: $0.value) }
                }
                request.url = location.absoluteString
            case 300..<400:
                let target = response.header("Location").flatMap { RequestURL($0, relativeTo: request.url) }.map { " to \($0.origin)" } ?? ""
                throw .rejected(reason: redactor.redact(
                    prefix + "HTTP \(response.status): the service redirected\(target); only 307 and 308 redirects, which keep the method and body, are followed"))
            case 429, 500..<600:
                let retryAfter = response.header("Retry-After").flatMap { RetryAfter.delay(from: $0, now: Date()) }
                throw .transient(reason: prefix + describe(response), retryAfter: retryAfter)
            default:
                throw .rejected(reason: prefix + describe(response))
            }
        }
    }

    /// Text a service sent back, fit to show in a failure: every secret redacted first, then line breaks folded into
    /// spaces, control and format characters escaped, and at most ``maximumEchoedCharacters`` characters kept; in
    /// that order, so that no cut leaves part of a secret and nothing can act on a terminal.
    public func echoed(_ text: some StringProtocol) -> String {
        let line = redactor.redact(String(text)).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        return displayable(line, limit: Self.maximumEchoedCharacters)
    }

    /// Header fields that hold credentials, never sent on to another origin.
    private static let credentialHeaders: Set<String> = ["authorization", "proxy-authorization", "cookie"]

    /// One request through the transport, within what is left before `deadline`.
    private func perform(_ request: OutgoingRequest, until deadline: ContinuousClock.Instant, prefix: String) async throws(SendFailure) -> IncomingResponse {
        let remaining = deadline - ContinuousClock.now
        guard remaining > .zero else { throw .transient(reason: prefix + TransportError.timedOut.description, retryAfter: nil) }
        do {
            return try await transport.perform(request, timeout: remaining)
        } catch {
            if error == .invalidURL { throw .rejected(reason: prefix + error.description) }
            throw .transient(reason: redactor.redact(prefix + error.description), retryAfter: nil)
        }
    }

    /// `HTTP 400: <the service's error text>`, the text taken from a JSON `error`/`message`/`description`
    /// (Telegram's) member, or an `errors` list of texts (Pushover's), when there is one, made fit to show by
    /// ``echoed(_:)``.
    func describe(_ response: IncomingResponse) -> String {
        var text = String(decoding: response.body, as: UTF8.self)
        if response.body.count <= Self.maximumParsedErrorBytes, let json = try? JSONReader().read(response.body),
            let message = Self.errorText(in: json)
        {
            text = message
        }
        let shown = echoed(text)
        return shown.isEmpty ? "HTTP \(response.status)" : "HTTP \(response.status): \(shown)"
    }

    private static func errorText(in json: JSONValue) -> String? {
        guard case .object(let object) = json else { return nil }
        if case .array(let items)? = object["errors"] {
            let texts = items.compactMap { if case .string(let text) = $0 { text } else { nil } }
            if !texts.isEmpty { return texts.joined(separator: "; ") }
        }
        for key in ["error", "message", "description", "detail", "title"] {
            switch object[key] {
            case .string(let text)?: return text
            case .object?: if let nested = object[key].flatMap(errorText) { return nested }
            default: continue
            }
        }
        return nil
    }
}
