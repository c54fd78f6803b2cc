import Foundation
import Herald

/// Discord through a channel's webhook: `POST <webhook URL>?wait=true` with the body ``DiscordRenderer`` makes, as
/// JSON, or, when the message carries files, as `multipart/form-data` with the body in `payload_json` and each file as
/// `files[n]`.
///
/// ```yaml
/// discord:
///   scopes:
///     printers:
///       webhook_url_env: DISCORD_PRINTERS_WEBHOOK_URL   # the webhook URL (with its token) is a secret
/// ```
///
/// `wait=true` makes Discord answer `200` with the message it created, whose `id` is the delivery's reference.
/// Discord answers an invalid body with `400` and `{"code", "message", "errors"}`, a deleted webhook with `404`
/// (`Unknown Webhook`), and too many requests with `429`, a `Retry-After` header and `{"retry_after", "global"}`:
/// the first two fail with Discord's message, the last is retried after the time Discord asks for.
public struct DiscordWebhookPlugin: ServicePlugin {
    /// The settings of every scope.
    public struct Configuration: Hashable, Sendable {
        /// The scopes by name: each one's variable holding the webhook URL.
        public var webhookURLVariables: [String: String]
    }

    /// Creates the plugin.
    public init() {}

    /// ``Service/discord``.
    public var id: Service { .discord }
    /// Every event.
    public var supportedEvents: SupportedEvents { .all }
    /// Discord's capabilities.
    public var capabilities: Capabilities { Service.discord.renderer.capabilities }

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
            EnvironmentVariableDeclaration(name: variable, purpose: "Discord webhook URL of scope \(name)", isRequired: true, isSecret: true, isURL: true)
        }
    }

    /// The webhook body of each message.
    public func render(_ message: NotificationMessage, configuration: Configuration) throws(RenderError) -> Rendering {
        try Service.discord.renderer.render(message)
    }

    /// Executes the webhook with one message: JSON, or multipart with `payload_json` and `files[n]`.
    public func send(_ message: RenderedMessage, to scope: String, configuration: Configuration, through exchange: DeliveryExchange)
        async throws(SendFailure) -> SendReceipt
    {
        guard let variable = configuration.webhookURLVariables[scope] else {
            throw .rejected(reason: "scope \(scope) is not configured for Discord")
        }
        guard case .object(let body) = message.payload.json, body["embeds"] != nil || body["attachments"] != nil else {
            throw .rejected(reason: "the message is empty, and Discord refuses a message with nothing to show")
        }
        let url = try exchange.secret(variable, purpose: "Discord webhook URL")
        let files = message.document.blocks.compactMap { block -> Attachment? in
            if case .attachment(let attachment, _) = block { attachment } else { nil }
        }
        let request: OutgoingRequest
        let target = url.value + (url.value.contains("?") ? "&" : "?") + "wait=true"
        if files.isEmpty {
            request = OutgoingRequest(url: target, headers: [("Content-Type", "application/json")], body: message.payload.body)
        } else {
            var form = MultipartForm()
            form.appendField("payload_json", contentType: "application/json", data: message.payload.body)
            for (index, file) in files.enumerated() {
                form.appendFile("files[\(index)]", filename: file.filename, contentType: file.mimeType, data: file.data)
            }
            request = OutgoingRequest(url: target, headers: [("Content-Type", form.contentType)], body: form.body)
        }
        let response = try await exchange.send(request)
        let reference: String? =
            if case .object(let created)? = try? JSONReader().read(response.body), case .string(let id)? = created["id"] { id } else { nil }
        return SendReceipt(status: response.status, reference: reference)
    }
}
