import HeraldCore

/// How a session over a protocol other than HTTP went wrong (see ``DeliveryExchange/session(step:secrets:_:)``).
public enum SessionFailure: Error, Hashable, Sendable {
    /// No usable answer: the connection failed, closed early or timed out.
    case transport(TransportError)
    /// The service answered with a temporary failure (an SMTP `4xx` reply), in the service's words.
    case transient(String)
    /// The service refused (an SMTP `5xx` reply), in its words; or Herald refused to go on (its answer made no sense,
    /// a secret would have left the machine unprotected).
    case rejected(String)
}

extension DeliveryExchange {
    /// Runs one delivery over a protocol other than HTTP (an SMTP session) under the rules ``send(_:part:step:)``
    /// applies to a request: `session` is handed the request timeout and must end within it, connecting included; a
    /// transport failure is transient; the service's temporary failures are transient, its refusals are not; every
    /// reason is redacted and what the service said is shown through ``echoed(_:)``.
    ///
    /// - Parameters:
    ///   - step: What the session does, for messages (`SMTP to mail.example.org:587`).
    ///   - secrets: The secrets the session sends in another form than the environment holds them (base64 in SMTP's
    ///     `AUTH`), redacted from every reason besides the configured secrets.
    ///   - session: The session; given the time it may take.
    public func session<Result: Sendable>(
        step: String? = nil, secrets: [Secret] = [], _ session: (_ timeout: Duration) async throws(SessionFailure) -> Result
    ) async throws(SendFailure) -> Result {
        let redactor = self.redactor.adding(secrets)
        let prefix = step.map { "\(displayable($0, limit: 200)): " } ?? ""
        do throws(SessionFailure) {
            return try await session(requestTimeout)
        } catch {
            switch error {
            case .transport(.invalidURL): throw .rejected(reason: prefix + TransportError.invalidURL.description)
            case .transport(let failure): throw .transient(reason: redactor.redact(prefix + failure.description), retryAfter: nil)
            case .transient(let text): throw .transient(reason: prefix + echoed(redactor.redact(text)), retryAfter: nil)
            case .rejected(let text): throw .rejected(reason: prefix + echoed(redactor.redact(text)))
            }
        }
    }
}
