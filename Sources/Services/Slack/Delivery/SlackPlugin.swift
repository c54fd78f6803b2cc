import Foundation
import Herald

/// Slack through the Web API's `chat.postMessage` with a bot token, or through an incoming webhook: each scope
/// names either a channel (then the bot token is needed) or the variable holding its webhook URL. Both take the
/// body ``SlackRenderer`` makes; `chat.postMessage` gets the scope's `channel` added.
///
/// ```yaml
/// slack:
///   token_env: SLACK_BOT_TOKEN          # the bot token (xoxb-…) is a secret; needed by scopes with a channel
///   api_url: https://slack.com/api      # optional: the Web API's base URL
///   scopes:
///     printers: {channel: C0123456789}                  # chat.postMessage to this channel id
///     lab: {webhook_url_env: SLACK_LAB_WEBHOOK_URL}     # an incoming webhook; the URL is a secret
/// ```
///
/// With the bot token, each attachment of a message is uploaded by Slack's external upload flow: before the message,
/// `files.getUploadURLExternal` (its `filename` and `length`) then the bytes posted to the `upload_url` it answers
/// (the token is never sent there); after the message, one `files.completeUploadExternal` shares the files (their
/// `id` and `title`) in the scope's channel. Each request carries the delivery's idempotency key with a suffix
/// (`:upload-url-N`, `:upload-N`, `:complete-upload`). An incoming webhook cannot upload: the rendering names the
/// files instead (`attachment_not_delivered`). A rendering serves every scope, so files are uploaded only when
/// every scope posts to a channel.
///
/// Each Web API method answers `200` with `{"ok": true, …}` when it did its work and `200` with
/// `{"ok": false, "error": "channel_not_found"}` when it did not: that is a rejection, but for the errors Slack
/// names as passing (`ratelimited`, `internal_error`, `fatal_error`, `service_unavailable`, `request_timeout`),
/// which are retried, honouring `Retry-After`. Rate limits usually come as `429` with `Retry-After`, retried like
/// every service's. An incoming webhook answers `200` with `ok`, and an error text with a 4xx status
/// (`invalid_payload`, `channel_not_found`) or, for anything but `ok`, with `200`: a rejection.
public struct SlackPlugin: ServicePlugin {
    /// The Web API, the token's variable and the scopes.
    public struct Configuration: Hashable, Sendable {
        /// The Web API's base URL (`https://slack.com/api`).
        public var apiURL: String
        /// The variable holding the bot token, when a scope posts to a channel.
        public var tokenVariable: String?
        /// Where each scope's messages go.
        public var scopes: [String: Destination]

        /// Whether attachments are uploaded: when every scope posts to a channel with the bot token (one rendering
        /// serves every scope, and an incoming webhook cannot upload).
        public var uploadsFiles: Bool {
            !scopes.isEmpty && scopes.values.allSatisfy { if case .channel = $0 { true } else { false } }
        }
    }

    /// Where one scope's messages go.
    public enum Destination: Hashable, Sendable {
        /// `chat.postMessage` to this conversation id, with the bot token.
        case channel(String)
        /// An incoming webhook, whose URL is in this variable.
        case webhook(urlVariable: String)
    }

    /// Slack's Web API.
    public static let defaultAPIURL = "https://slack.com/api"

    /// The Web API errors Slack documents as passing: the same message may succeed later.
    static let passingErrors: Set<String> = ["ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"]

    /// Creates the plugin.
    public init() {}

    /// ``Service/slack``.
    public var id: Service { .slack }
    /// Slack's capabilities.
    public var capabilities: Capabilities { Service.slack.renderer.capabilities }

    /// The settings ``validateConfig(_:)`` reads.
    public var configurationFields: [ConfigurationField] {
        [
            ConfigurationField(
                "token", level: .service, isSecret: true, help: "A bot token (xoxb-…) from your Slack app's OAuth page; required by a channel scope.",
                example: "xoxb-0123456789"),
            .apiURL("api_url", of: "Slack Web API", default: Self.defaultAPIURL),
            ConfigurationField(
                "channel", level: .scope, help: "A conversation id (C…), from the channel's details in Slack; posted to with the bot token.",
                example: "C0123456789", alternative: "destination"),
            ConfigurationField(
                "webhook_url", level: .scope, isSecret: true, help: "An incoming webhook's URL, from your Slack app's Incoming Webhooks page.",
                example: "https://hooks.slack.com/services/T0/B0/x", alternative: "destination"),
        ]
    }

    /// Reads `token_env`, `api_url` and `scopes` (each a `channel` or a `webhook_url_env`).
    public func validateConfig(_ settings: Settings) throws(ConfigurationError) -> Configuration {
        var settings = settings
        let tokenVariable = try settings.optionalSecretVariable("token", holding: "the bot token")
        var apiURL = Self.defaultAPIURL
        if settings.contains("api_url") { apiURL = try settings.baseURL("api_url", sending: "the bot token") }
        let scopes = try settings.scopes { (scope: inout Settings) throws(ConfigurationError) -> Destination in
            let channel = try scope.string("channel")
            let webhook = try scope.optionalSecretVariable("webhook_url", holding: "an incoming webhook's URL")
            switch (channel, webhook) {
            case (let channel?, nil):
                try Self.checkChannel(channel, path: scope.path(of: "channel"))
                return .channel(channel)
            case (nil, let variable?):
                return .webhook(urlVariable: variable)
            default:
                throw ConfigurationError(
                    path: scope.path,
                    reason: "give either channel (a conversation id, posted to with the bot token) or webhook_url_env (the variable holding an incoming webhook's URL)")
            }
        }
        let channelScopes = scopes.filter { if case .channel = $0.value { true } else { false } }.keys.sorted()
        if tokenVariable == nil, let name = channelScopes.first {
            throw ConfigurationError(
                path: settings.path(of: "token_env"),
                reason: "is required: scope \(name) posts to a channel, which needs the environment variable holding the bot token")
        }
        try settings.finish()
        return Configuration(apiURL: apiURL, tokenVariable: tokenVariable, scopes: scopes)
    }

    /// The scope names.
    public func scopes(in configuration: Configuration) -> [String] { configuration.scopes.keys.sorted() }

    /// The bot token, when a scope posts to a channel, and each webhook scope's URL: secret and required.
    public func environmentVariables(for configuration: Configuration) -> [EnvironmentVariableDeclaration] {
        var variables: [EnvironmentVariableDeclaration] = []
        if let token = configuration.tokenVariable {
            variables.append(EnvironmentVariableDeclaration(name: token, purpose: "Slack bot token", isRequired: true, isSecret: true))
        }
        for (name, destination) in configuration.scopes.sorted(by: { $0.key < $1.key }) {
            guard case .webhook(let variable) = destination else { continue }
            variables.append(EnvironmentVariableDeclaration(
                name: variable, purpose: "Slack incoming webhook URL of scope \(name)", isRequired: true, isSecret: true, isURL: true))
        }
        return variables
    }

    /// The Block Kit message; its attachments uploaded when ``Configuration/uploadsFiles``, named otherwise.
    public func render(_ message: NotificationMessage, configuration: Configuration) throws(RenderError) -> Rendering {
        try SlackRenderer(uploadsFiles: configuration.uploadsFiles).render(message)
    }

    /// Posts the message to the scope's channel with `chat.postMessage`, or to its incoming webhook.
    public func send(_ message: RenderedMessage, to scope: String, configuration: Configuration, through exchange: DeliveryExchange)
        async throws(SendFailure) -> SendReceipt
    {
        guard let destination = configuration.scopes[scope] else { throw .rejected(reason: "scope \(scope) is not configured for Slack") }
        switch destination {
        case .channel(let channel):
            guard case .object(let body) = message.payload.json else { throw .rejected(reason: "the Slack payload is not a JSON object") }
            guard let variable = configuration.tokenVariable else { throw .rejected(reason: "no token_env is configured for Slack") }
            let token = try exchange.secret(variable, purpose: "Slack bot token")
            let authorization = ("Authorization", "Bearer \(token.value)")
            let attachments = message.document.blocks.compactMap { block -> Attachment? in
                if case .attachment(let attachment, _) = block { attachment } else { nil }
            }
            var files: [JSONValue] = []
            for (index, attachment) in attachments.enumerated() {
                files.append(try await upload(attachment, number: index + 1, apiURL: configuration.apiURL, authorization: authorization, through: exchange))
            }
            guard !files.isEmpty else { return try await postMessage(body, to: channel, apiURL: configuration.apiURL, authorization: authorization, through: exchange) }
            // A message of files alone has no text for chat.postMessage, which refuses an empty one.
            let receipt: SendReceipt? =
                if body["blocks"] == .array([]) { nil } else {
                    try await postMessage(body, to: channel, apiURL: configuration.apiURL, authorization: authorization, through: exchange)
                }
            let form = FormBody.urlEncoded([("files", String(decoding: JSONWriter().bytes(.array(files)), as: UTF8.self)), ("channel_id", channel)])
            let response = try await exchange.send(
                OutgoingRequest(url: configuration.apiURL + "/files.completeUploadExternal", headers: [authorization, ("Content-Type", form.contentType)], body: form.body),
                part: "complete-upload", step: "sharing of the files")
            _ = try Self.answer(response, refused: "the files", step: "sharing of the files", through: exchange)
            return receipt ?? SendReceipt(status: response.status)
        case .webhook(let variable):
            let url = try exchange.secret(variable, purpose: "Slack incoming webhook URL")
            let response = try await exchange.send(OutgoingRequest(
                url: url.value, headers: [("Content-Type", "application/json; charset=utf-8")], body: message.payload.body))
            let answer = String(decoding: response.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard answer == "ok" else {
                throw .rejected(reason: "Slack did not post the message: \(answer.isEmpty ? "HTTP \(response.status) without ok" : exchange.echoed(answer))")
            }
            return SendReceipt(status: response.status)
        }
    }

    /// Posts `body` to `channel` with `chat.postMessage`.
    private func postMessage(_ body: [String: JSONValue], to channel: String, apiURL: String, authorization: (String, String), through exchange: DeliveryExchange)
        async throws(SendFailure) -> SendReceipt
    {
        var body = body
        body["channel"] = .string(channel)
        let response = try await exchange.send(OutgoingRequest(
            url: apiURL + "/chat.postMessage", headers: [authorization, ("Content-Type", "application/json; charset=utf-8")],
            body: JSONWriter().bytes(.object(body))))
        return try Self.postMessageReceipt(response, through: exchange)
    }

    /// Asks `files.getUploadURLExternal` for an upload URL of `file`, posts its bytes there without the token, and
    /// returns the file's entry for `files.completeUploadExternal` (`id`, `title`).
    private func upload(_ file: Attachment, number: Int, apiURL: String, authorization: (String, String), through exchange: DeliveryExchange)
        async throws(SendFailure) -> JSONValue
    {
        let step = "upload URL for \(file.filename)"
        let form = FormBody.urlEncoded([("filename", file.filename), ("length", String(file.data.count))])
        let response = try await exchange.send(
            OutgoingRequest(url: apiURL + "/files.getUploadURLExternal", headers: [authorization, ("Content-Type", form.contentType)], body: form.body),
            part: "upload-url-\(number)", step: step)
        let answer = try Self.answer(response, refused: "an upload URL for \(file.filename)", step: step, through: exchange)
        guard case .string(let uploadURL)? = answer["upload_url"], RequestURL(uploadURL) != nil, case .string(let fileID)? = answer["file_id"] else {
            throw .rejected(reason: exchange.echoed("\(step): Slack answered without an http(s) upload_url and a file_id"))
        }
        _ = try await exchange.send(
            OutgoingRequest(url: uploadURL, headers: [("Content-Type", file.mimeType)], body: Array(file.data)),
            part: "upload-\(number)", step: "upload of \(file.filename)")
        return ["id": .string(fileID), "title": .string(file.filename)]
    }

    /// Reads `chat.postMessage`'s answer: its `ts` is the reference.
    static func postMessageReceipt(_ response: IncomingResponse, through exchange: DeliveryExchange) throws(SendFailure) -> SendReceipt {
        let answer = try answer(response, refused: "the message", step: nil, through: exchange)
        let timestamp: String? = if case .string(let ts)? = answer["ts"] { ts } else { nil }
        return SendReceipt(status: response.status, reference: timestamp)
    }

    /// Reads a Web API method's answer: `{"ok": true, …}`, returned, or `{"ok": false, "error": …}` with details in
    /// `response_metadata.messages`, a failure saying Slack refused `refused`; `step` names the request for any
    /// request but `chat.postMessage`. What Slack says is shown through ``DeliveryExchange/echoed(_:)``.
    static func answer(_ response: IncomingResponse, refused: String, step: String?, through exchange: DeliveryExchange)
        throws(SendFailure) -> [String: JSONValue]
    {
        let prefix = step.map { "\($0): " } ?? ""
        guard case .object(let answer)? = try? JSONReader().read(response.body), case .bool(let ok)? = answer["ok"] else {
            throw .rejected(reason: exchange.echoed(prefix + "Slack answered HTTP \(response.status) without its {\"ok\": …} answer"))
        }
        guard !ok else { return answer }
        let error: String = if case .string(let text)? = answer["error"] { text } else { "no error given" }
        var details: [String] = []
        if case .object(let metadata)? = answer["response_metadata"], case .array(let messages)? = metadata["messages"] {
            for case .string(let text) in messages { details.append(text) }
        }
        let reason = exchange.echoed(prefix + "Slack refused \(refused): " + ([error] + details).joined(separator: "; "))
        if passingErrors.contains(error) {
            throw .transient(reason: reason, retryAfter: response.header("Retry-After").flatMap { RetryAfter.delay(from: $0, now: Date()) })
        }
        throw .rejected(reason: reason)
    }

    /// Refuses anything but a conversation id: an upper-case letter then 8 to 20 upper-case letters and digits
    /// (`C0123456789`). A channel's name changes; its id does not.
    static func checkChannel(_ channel: String, path: String) throws(ConfigurationError) {
        let scalars = channel.unicodeScalars
        guard (9...21).contains(scalars.count), let first = scalars.first, ("A"..."Z").contains(first),
            scalars.allSatisfy({ ("A"..."Z").contains($0) || ("0"..."9").contains($0) })
        else {
            throw ConfigurationError(
                path: path,
                reason: "\(quoted(channel)) is not a Slack conversation id (such as C0123456789, from the channel's details): names change, ids do not")
        }
    }
}
