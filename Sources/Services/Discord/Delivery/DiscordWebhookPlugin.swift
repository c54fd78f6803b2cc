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
public struct DiscordWebhookPlugin: WebhookURLPlugin {
    /// The variable holding each scope's webhook URL.
    public typealias Configuration = WebhookScopes

    /// Creates the plugin.
    public init() {}

    /// ``Service/discord``.
    public var id: Service { .discord }
    /// `Discord`, as in `Discord webhook URL of scope ops`.
    public var webhookName: String { "Discord" }

    /// Executes the webhook with one message: JSON, or multipart with `payload_json` and `files[n]`.
    public func send(_ message: RenderedMessage, to scope: String, configuration: Configuration, through exchange: DeliveryExchange)
        async throws(SendFailure) -> SendReceipt
    {
        guard case .object(let body) = message.payload.json, body["embeds"] != nil || body["attachments"] != nil else {
            throw .rejected(reason: "the message is empty, and Discord refuses a message with nothing to show")
        }
        let url = try webhookURL(of: scope, in: configuration, through: exchange)
        let files = message.document.blocks.compactMap { block -> Attachment? in
            if case .attachment(let attachment, _) = block { attachment } else { nil }
        }
        let request: OutgoingRequest
        let target = url.value + (url.value.contains("?") ? "&" : "?") + "wait=true"
        if files.isEmpty {
            request = OutgoingRequest(url: target, headers: [("Content-Type", "application/json")], body: message.payload.body)
        } else {
            let form = FormBody.multipart(
                files: [FormBody.File(field: "payload_json", filename: nil, contentType: "application/json", data: Data(message.payload.body))]
                    + files.enumerated().map { index, file in
                        FormBody.File(field: "files[\(index)]", filename: file.filename, contentType: file.mimeType, data: file.data)
                    })
            request = OutgoingRequest(url: target, headers: [("Content-Type", form.contentType)], body: form.body)
        }
        let response = try await exchange.send(request)
        let reference: String? =
            if case .object(let created)? = try? JSONReader().read(response.body), case .string(let id)? = created["id"] { id } else { nil }
        return SendReceipt(status: response.status, reference: reference)
    }
}
