import Herald

/// Microsoft Teams through an incoming webhook or a Workflows "When a Teams webhook request is received" URL:
/// `POST <url>` with the Adaptive Card webhook message ``TeamsRenderer`` makes.
///
/// ```yaml
/// teams:
///   scopes:
///     operators:
///       webhook_url_env: TEAMS_OPERATORS_WEBHOOK_URL   # the webhook URL is a secret
/// ```
///
/// A classic incoming webhook answers `200` with the body `1` when it posted the message, and `200` with an error
/// text when it did not (a message over 28 KB, say); Workflows answers `202` with no body. So a `200` whose body
/// is neither empty nor `1` is a rejection carrying that text.
public struct TeamsWebhookPlugin: WebhookURLPlugin {
    /// The variable holding each scope's webhook URL.
    public typealias Configuration = WebhookScopes

    /// Creates the plugin.
    public init() {}

    /// ``Service/teams``.
    public var id: Service { .teams }
    /// `Teams`, as in `Teams webhook URL of scope ops`.
    public var webhookName: String { "Teams" }

    /// Posts the webhook message as UTF-8 JSON.
    public func send(_ message: RenderedMessage, to scope: String, configuration: Configuration, through exchange: DeliveryExchange)
        async throws(SendFailure) -> SendReceipt
    {
        let url = try webhookURL(of: scope, in: configuration, through: exchange)
        let response = try await exchange.send(OutgoingRequest(
            url: url.value, headers: [("Content-Type", "application/json; charset=utf-8")], body: message.payload.body))
        let answer = String(decoding: response.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if response.status == 200, !answer.isEmpty, answer != "1" {
            throw .rejected(reason: "Teams did not post the message: \(exchange.echoed(answer))")
        }
        return SendReceipt(status: response.status)
    }
}
