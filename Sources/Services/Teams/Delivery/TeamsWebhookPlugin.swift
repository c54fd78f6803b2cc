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
public struct TeamsWebhookPlugin: ServicePlugin {
    /// The settings of every scope.
    public struct Configuration: Hashable, Sendable {
        /// The scopes by name: each one's variable holding the webhook URL.
        public var webhookURLVariables: [String: String]
    }

    /// Creates the plugin.
    public init() {}

    /// ``Service/teams``.
    public var id: Service { .teams }
    /// Every event.
    public var supportedEvents: SupportedEvents { .all }
    /// Teams' capabilities.
    public var capabilities: Capabilities { Service.teams.renderer.capabilities }

    /// Reads `scopes`, each with `webhook_url_env`.
    public func validateConfig(_ settings: Settings) throws(ConfigurationError) -> Configuration {
        var settings = settings
        let scopes = try settings.scopes { (scope: inout Settings) throws(ConfigurationError) -> String in
            try scope.refuseInlineSecret("webhook_url")
            guard let variable = try scope.environmentVariableName("webhook_url_env") else {
                throw ConfigurationError(
                    path: scope.path(of: "webhook_url_env"), reason: "is required: the environment variable holding the webhook URL")
            }
            return variable
        }
        try settings.finish()
        return Configuration(webhookURLVariables: scopes)
    }

    /// The scope names.
    public func scopes(in configuration: Configuration) -> [String] { configuration.webhookURLVariables.keys.sorted() }

    /// Each scope's webhook URL, secret and required.
    public func environmentVariables(for configuration: Configuration) -> [EnvironmentVariableDeclaration] {
        configuration.webhookURLVariables.sorted { $0.key < $1.key }.map { name, variable in
            EnvironmentVariableDeclaration(name: variable, purpose: "Teams webhook URL of scope \(name)", isRequired: true, isSecret: true, isURL: true)
        }
    }

    /// The webhook message.
    public func render(_ message: NotificationMessage, configuration: Configuration) throws(RenderError) -> Rendering {
        try Service.teams.renderer.render(message)
    }

    /// Posts the webhook message as UTF-8 JSON.
    public func send(_ message: RenderedMessage, to scope: String, configuration: Configuration, through exchange: DeliveryExchange)
        async throws(SendFailure) -> SendReceipt
    {
        guard let variable = configuration.webhookURLVariables[scope] else {
            throw .rejected(reason: "scope \(scope) is not configured for Teams")
        }
        let url = try exchange.secret(variable, purpose: "Teams webhook URL")
        let response = try await exchange.send(OutgoingRequest(
            url: url.value, headers: [("Content-Type", "application/json; charset=utf-8")], body: message.payload.body))
        let answer = String(decoding: response.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if response.status == 200, !answer.isEmpty, answer != "1" {
            throw .rejected(reason: "Teams did not post the message: \(exchange.echoed(answer))")
        }
        return SendReceipt(status: response.status)
    }
}
