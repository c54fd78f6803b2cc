import Foundation
import Herald

/// Herald's signed webhook: `POST <url>` with the JSON body ``WebhookRenderer`` makes, signed per the Standard
/// Webhooks specification (`webhook-id`: the delivery's idempotency key, the same on every attempt;
/// `webhook-timestamp`: the attempt's time; `webhook-signature`: `v1,<base64 HMAC-SHA256>`).
///
/// ```yaml
/// webhook:
///   scopes:
///     farm-events:
///       url_env: FARM_WEBHOOK_URL          # the receiver's URL is a secret
///       secret_env: FARM_WEBHOOK_SECRET    # whsec_ and the base64 of a 24- to 64-byte key
/// ```
///
/// Any 2xx is delivered; the rest is judged as for every service.
public struct WebhookPlugin: ServicePlugin {
    /// The settings of every scope.
    public struct Configuration: Hashable, Sendable {
        /// The scopes by name.
        public var scopes: [String: Scope]
    }

    /// One receiver.
    public struct Scope: Hashable, Sendable {
        /// The variable holding the receiver's URL.
        public var urlVariable: String
        /// The variable holding the signing secret.
        public var secretVariable: String
    }

    /// Creates the plugin.
    public init() {}

    /// ``Service/webhook``.
    public var id: Service { .webhook }
    /// The webhook's capabilities.
    public var capabilities: Capabilities { Service.webhook.renderer.capabilities }

    /// The settings ``validateConfig(_:)`` reads.
    public var configurationFields: [ConfigurationField] {
        [
            ConfigurationField("url", level: .scope, isRequired: true, isSecret: true, help: "The URL of your receiver.", example: "https://example.com/herald"),
            ConfigurationField(
                "secret", level: .scope, isRequired: true, isSecret: true, help: "The signing secret (whsec_…) your receiver checks signatures with.",
                example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
        ]
    }

    /// Reads `scopes`, each with `url_env` and `secret_env`.
    public func validateConfig(_ settings: Settings) throws(ConfigurationError) -> Configuration {
        var settings = settings
        let scopes = try settings.scopes { (scope: inout Settings) throws(ConfigurationError) -> Scope in
            Scope(
                urlVariable: try scope.secretVariable("url", holding: "the receiver's URL"),
                secretVariable: try scope.secretVariable("secret", holding: "the signing secret (whsec_…)"))
        }
        try settings.finish()
        return Configuration(scopes: scopes)
    }

    /// The scope names.
    public func scopes(in configuration: Configuration) -> [String] { configuration.scopes.keys.sorted() }

    /// Each scope's URL and signing secret, both secret and required.
    public func environmentVariables(for configuration: Configuration) -> [EnvironmentVariableDeclaration] {
        configuration.scopes.sorted { $0.key < $1.key }.flatMap { name, scope in
            [
                EnvironmentVariableDeclaration(
                    name: scope.urlVariable, purpose: "webhook URL of scope \(name)", isRequired: true, isSecret: true, isURL: true),
                EnvironmentVariableDeclaration(
                    name: scope.secretVariable, purpose: "webhook signing secret of scope \(name)", isRequired: true, isSecret: true),
            ]
        }
    }

    /// Signs the body with the scope's secret and posts it.
    public func send(_ message: RenderedMessage, to scope: String, configuration: Configuration, through exchange: DeliveryExchange)
        async throws(SendFailure) -> SendReceipt
    {
        guard let destination = configuration.scopes[scope] else { throw .rejected(reason: "scope \(scope) is not configured for the webhook") }
        let url = try exchange.secret(destination.urlVariable, purpose: "webhook URL")
        let secret = try exchange.secret(destination.secretVariable, purpose: "webhook signing secret")
        let signer: StandardWebhookSigner
        do throws(StandardWebhookSigner.InvalidSecret) {
            signer = try StandardWebhookSigner(secret: secret.value)
        } catch {
            throw .rejected(reason: "environment variable \(destination.secretVariable) (webhook signing secret) \(error.reason)")
        }
        let body = message.payload.body
        let signature = signer.headers(id: exchange.idempotencyKey, timestamp: Int(Date().timeIntervalSince1970), body: body)
        let response = try await exchange.send(OutgoingRequest(
            url: url.value, headers: [("Content-Type", "application/json; charset=utf-8")] + signature, body: body))
        return SendReceipt(status: response.status)
    }
}
