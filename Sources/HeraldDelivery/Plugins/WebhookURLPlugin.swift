import Herald

/// The settings of a service reached through one webhook per scope: the environment variable holding each scope's
/// webhook URL.
public struct WebhookScopes: Hashable, Sendable {
    /// The scopes by name: each one's variable holding the webhook URL.
    public var webhookURLVariables: [String: String]

    /// Creates the settings.
    public init(webhookURLVariables: [String: String]) { self.webhookURLVariables = webhookURLVariables }
}

/// A plugin whose every scope is one webhook, its URL a secret in the environment variable that `webhook_url_env`
/// names (Teams, Discord). Reading the settings, the scopes, every event, the service's capabilities and its
/// rendering come with the protocol; a plugin gives its ``ServicePlugin/id``, its ``webhookName`` and `send`, which
/// finds the scope's URL with ``webhookURL(of:in:through:)``.
public protocol WebhookURLPlugin: ServicePlugin where Configuration == WebhookScopes {
    /// How the variables are described in `herald services check`: `Teams` for `Teams webhook URL of scope ops`.
    var webhookName: String { get }
}

extension WebhookURLPlugin {
    /// The service's capabilities.
    public var capabilities: Capabilities { id.capabilities }

    /// Each scope's `webhook_url`, a secret.
    public var configurationFields: [ConfigurationField] {
        [
            ConfigurationField(
                "webhook_url", level: .scope, isRequired: true, isSecret: true,
                help: "Create an incoming webhook in the \(webhookName) channel's settings and copy its URL.",
                example: "https://example.com/webhook/0123456789")
        ]
    }

    /// Reads `scopes`, each with `webhook_url_env`; a `webhook_url` written inline is refused.
    public func validateConfig(_ settings: Settings) throws(ConfigurationError) -> WebhookScopes {
        var settings = settings
        let scopes = try settings.scopes { (scope: inout Settings) throws(ConfigurationError) -> String in
            try scope.secretVariable("webhook_url", holding: "the webhook URL")
        }
        try settings.finish()
        return WebhookScopes(webhookURLVariables: scopes)
    }

    /// The scope names.
    public func scopes(in configuration: WebhookScopes) -> [String] { configuration.webhookURLVariables.keys.sorted() }

    /// Each scope's webhook URL: required, a secret and a URL.
    public func environmentVariables(for configuration: WebhookScopes) -> [EnvironmentVariableDeclaration] {
        configuration.webhookURLVariables.sorted { $0.key < $1.key }.map { name, variable in
            EnvironmentVariableDeclaration(
                name: variable, purpose: "\(webhookName) webhook URL of scope \(name)", isRequired: true, isSecret: true, isURL: true)
        }
    }

    /// The webhook URL of `scope`, from its variable; a rejection naming what is missing.
    public func webhookURL(of scope: String, in configuration: WebhookScopes, through exchange: DeliveryExchange) throws(SendFailure) -> Secret {
        guard let variable = configuration.webhookURLVariables[scope] else {
            throw .rejected(reason: "scope \(scope) is not configured for \(webhookName)")
        }
        return try exchange.secret(variable, purpose: "\(webhookName) webhook URL")
    }
}
