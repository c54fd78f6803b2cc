import Herald

/// Markdown to a generic JSON webhook, for chat tools that take Markdown (Mattermost, Rocket.Chat, Slack-style
/// incoming webhooks, Discord's `content`, ...): `POST <url>` with `{"<body_field>": "<markdown>"}`.
///
/// ```yaml
/// markdown:
///   scopes:
///     lab-chat:
///       url_env: LAB_CHAT_WEBHOOK_URL   # the webhook URL is a secret
///       body_field: text                # default: text
/// ```
public struct MarkdownWebhookPlugin: ServicePlugin {
    /// The settings of every scope.
    public struct Configuration: Hashable, Sendable {
        /// The scopes by name.
        public var scopes: [String: Scope]
    }

    /// One webhook.
    public struct Scope: Hashable, Sendable {
        /// The variable holding the webhook URL.
        public var urlVariable: String
        /// The JSON member that carries the Markdown.
        public var bodyField: String
    }

    /// Creates the plugin.
    public init() {}

    /// ``Service/markdown``.
    public var id: Service { .markdown }
    /// Markdown's capabilities.
    public var capabilities: Capabilities { Service.markdown.renderer.capabilities }

    /// The settings ``validateConfig(_:)`` reads.
    public var configurationFields: [ConfigurationField] {
        [
            ConfigurationField(
                "url", level: .scope, isRequired: true, isSecret: true, help: "The URL of the receiver that takes the Markdown text (a chat's incoming webhook).",
                example: "https://example.com/hooks/markdown"),
            ConfigurationField(
                "body_field", level: .scope, help: "The JSON field the text is sent in; text when not given.", example: "text"),
        ]
    }

    /// Reads `scopes`, each with `url_env` and an optional `body_field`.
    public func validateConfig(_ settings: Settings) throws(ConfigurationError) -> Configuration {
        var settings = settings
        let scopes = try settings.scopes { (scope: inout Settings) throws(ConfigurationError) -> Scope in
            let variable = try scope.secretVariable("url", holding: "the webhook URL")
            return Scope(urlVariable: variable, bodyField: try scope.string("body_field") ?? "text")
        }
        try settings.finish()
        return Configuration(scopes: scopes)
    }

    /// The scope names.
    public func scopes(in configuration: Configuration) -> [String] { configuration.scopes.keys.sorted() }

    /// Each scope's webhook URL, secret and required.
    public func environmentVariables(for configuration: Configuration) -> [EnvironmentVariableDeclaration] {
        configuration.scopes.sorted { $0.key < $1.key }.map { name, scope in
            EnvironmentVariableDeclaration(
                name: scope.urlVariable, purpose: "Markdown webhook URL of scope \(name)", isRequired: true, isSecret: true,
                isURL: true)
        }
    }

    /// Posts `{"<body_field>": text}`.
    public func send(_ message: RenderedMessage, to scope: String, configuration: Configuration, through exchange: DeliveryExchange)
        async throws(SendFailure) -> SendReceipt
    {
        guard let destination = configuration.scopes[scope] else { throw .rejected(reason: "scope \(scope) is not configured for Markdown") }
        let url = try exchange.secret(destination.urlVariable, purpose: "Markdown webhook URL")
        let text = String(decoding: message.payload.body, as: UTF8.self)
        let body = JSONWriter().bytes(.object([destination.bodyField: .string(text)]))
        let response = try await exchange.send(OutgoingRequest(
            url: url.value, headers: [("Content-Type", "application/json; charset=utf-8")], body: body))
        return SendReceipt(status: response.status)
    }
}
