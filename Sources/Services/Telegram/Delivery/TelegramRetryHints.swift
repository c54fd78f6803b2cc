import Herald

/// A transport that gives Telegram's flood-control hint the form HTTP gives it: the Bot API documents the wait in
/// its error object (`{"ok": false, "error_code": 429, "parameters": {"retry_after": 5}}`, seconds); when an
/// answer carries it and no `Retry-After` header, the header is added, so that ``DeliveryExchange`` waits as asked.
struct TelegramRetryHints: DeliveryTransport {
    /// The transport that sends.
    let base: any DeliveryTransport

    /// Sends through ``base`` and adds `Retry-After` from the answer's `parameters.retry_after` when it is missing.
    func perform(_ request: OutgoingRequest, timeout: Duration) async throws(TransportError) -> IncomingResponse {
        var response = try await base.perform(request, timeout: timeout)
        guard response.status == 429 || (500..<600).contains(response.status), response.header("Retry-After") == nil,
            response.body.count <= DeliveryExchange.maximumParsedErrorBytes,
            case .object(let answer)? = try? JSONReader().read(response.body),
            case .object(let parameters)? = answer["parameters"], case .integer(let seconds)? = parameters["retry_after"],
            seconds >= 0
        else { return response }
        response.headers.append(("Retry-After", String(seconds)))
        return response
    }
}

extension DeliveryExchange {
    /// The same exchange, reading Telegram's `retry_after` as a `Retry-After` header (``TelegramRetryHints``).
    var readingTelegramRetryHints: DeliveryExchange {
        DeliveryExchange(
            idempotencyKey: idempotencyKey, transport: TelegramRetryHints(base: transport), requestTimeout: requestTimeout,
            environment: environment, redactor: redactor)
    }
}
