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
/// `chat.postMessage` answers `200` with `{"ok": true, "ts": …}` when it posted the message and `200` with
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

    /// The `chat.postMessage` errors Slack documents as passing: the same message may succeed later.
    static let passingErrors: Set<String> = ["ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"]

    /// Creates the plugin.
    public init() {}

    /// ``Service/slack``.
    public var id: Service { .slack }
    /// Every event.
    public var supportedEvents: SupportedEvents { .all }
    /// Slack's capabilities.
    public var capabilities: Capabilities { Service.slack.renderer.capabilities }

    /// Reads `token_env`, `api_url` and `scopes` (each a `channel` or a `webhook_url_env`).
    public func validateConfig(_ settings: Settings) throws(ConfigurationError) -> Configuration {
        var settings = settings
        try settings.refuseInlineSecret("token")
        let tokenVariable = try settings.environmentVariableName("token_env")
        var apiURL = Self.defaultAPIURL
        if settings.contains("api_url") { apiURL = try settings.baseURL("api_url", sending: "the bot token") }
        let scopes = try settings.scopes { (scope: inout Settings) throws(ConfigurationError) -> Destination in
            try scope.refuseInlineSecret("webhook_url")
            let channel = try scope.string("channel")
            let webhook = try scope.environmentVariableName("webhook_url_env")
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

    /// The Block Kit message.
    public func render(_ message: NotificationMessage, configuration: Configuration) throws(RenderError) -> Rendering {
        try Service.slack.renderer.render(message)
    }

    /// Posts the message to the scope's channel with `chat.postMessage`, or to its incoming webhook.
    public func send(_ message: RenderedMessage, to scope: String, configuration: Configuration, through exchange: DeliveryExchange)
        async throws(SendFailure) -> SendReceipt
    {
        guard let destination = configuration.scopes[scope] else { throw .rejected(reason: "scope \(scope) is not configured for Slack") }
        switch destination {
        case .channel(let channel):
            guard case .object(var body) = message.payload.json else { throw .rejected(reason: "the Slack payload is not a JSON object") }
            guard let variable = configuration.tokenVariable else { throw .rejected(reason: "no token_env is configured for Slack") }
            let token = try exchange.secret(variable, purpose: "Slack bot token")
            body["channel"] = .string(channel)
            let response = try await exchange.send(OutgoingRequest(
                url: configuration.apiURL + "/chat.postMessage",
                headers: [("Authorization", "Bearer \(token.value)"), ("Content-Type", "application/json; charset=utf-8")],
                body: JSONWriter().bytes(.object(body))))
            return try Self.postMessageReceipt(response, through: exchange)
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

    /// Reads `chat.postMessage`'s answer: `{"ok": true, "ts": …}`, or `{"ok": false, "error": …}` with details in
    /// `response_metadata.messages`. What Slack says is shown through ``DeliveryExchange/echoed(_:)``.
    static func postMessageReceipt(_ response: IncomingResponse, through exchange: DeliveryExchange) throws(SendFailure) -> SendReceipt {
        guard case .object(let answer)? = try? JSONReader().read(response.body), case .bool(let ok)? = answer["ok"] else {
            throw .rejected(reason: "Slack answered HTTP \(response.status) without its {\"ok\": …} answer")
        }
        guard !ok else {
            let timestamp: String? = if case .string(let ts)? = answer["ts"] { ts } else { nil }
            return SendReceipt(status: response.status, reference: timestamp)
        }
        let error: String = if case .string(let text)? = answer["error"] { text } else { "no error given" }
        var details: [String] = []
        if case .object(let metadata)? = answer["response_metadata"], case .array(let messages)? = metadata["messages"] {
            for case .string(let text) in messages { details.append(text) }
        }
        let reason = exchange.echoed("Slack refused the message: " + ([error] + details).joined(separator: "; "))
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
