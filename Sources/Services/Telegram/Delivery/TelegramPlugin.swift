import Herald

/// Telegram through a bot of the Bot API: each call of a message (``TelegramRenderer``) is
/// `POST <api_url>/bot<token>/<method>` with `chat_id` added, as JSON, or as `multipart/form-data` when it uploads
/// attachments (`attach://fileN` names the part holding the message's N-th attachment).
///
/// ```yaml
/// telegram:
///   token_env: TELEGRAM_BOT_TOKEN        # the bot token is a secret
///   api_url: https://api.telegram.org    # optional: a local Bot API server
///   scopes:
///     farm: {chat_id: -1001234567890}    # a group's or user's id
///     alerts: {chat_id: "@printfarm"}    # a channel's username
/// ```
///
/// The token stands in every request's path, so `api_url` must be https (plain http only to a loopback address),
/// and the token is redacted from everything Telegram echoes. Telegram answers `{"ok": true, "result": …}`, or
/// `{"ok": false, "error_code", "description", "parameters": {"retry_after"}}` with a 4xx or 5xx status; 429 and 5xx
/// are retried after `retry_after` seconds (``TelegramRetryHints``). Telegram keeps no idempotency key: a retry of a
/// message whose first calls were accepted sends those again.
public struct TelegramPlugin: ServicePlugin {
    /// The Bot API, the token's variable and the scopes.
    public struct Configuration: Hashable, Sendable {
        /// The Bot API's base URL.
        public var apiURL: String
        /// The variable holding the bot token.
        public var tokenVariable: String
        /// The chat of each scope: a numeric id or a channel's `@username`.
        public var chats: [String: String]
    }

    /// Telegram's own Bot API.
    public static let defaultAPIURL = "https://api.telegram.org"

    /// Creates the plugin.
    public init() {}

    /// ``Service/telegram``.
    public var id: Service { .telegram }
    /// Telegram's capabilities.
    public var capabilities: Capabilities { Service.telegram.renderer.capabilities }

    /// The settings ``validateConfig(_:)`` reads.
    public var configurationFields: [ConfigurationField] {
        [
            .apiURL("api_url", of: "Telegram Bot API", default: Self.defaultAPIURL),
            ConfigurationField(
                "token", level: .service, isRequired: true, isSecret: true, help: "The bot token @BotFather gives when you create the bot.",
                example: "123456:ABCdefGhIJKlmNoPQRsTUVwxyZ"),
            ConfigurationField(
                "chat_id", level: .scope, isRequired: true, help: "A chat's number (from getUpdates after messaging the bot) or a channel's @username.",
                example: "-1001234567890"),
        ]
    }

    /// Reads `token_env`, `api_url` (optional) and `scopes` (each a `chat_id`).
    public func validateConfig(_ settings: Settings) throws(ConfigurationError) -> Configuration {
        var settings = settings
        let apiURL = settings.contains("api_url") ? try settings.baseURL("api_url", sending: "the bot token") : Self.defaultAPIURL
        let token = try settings.secretVariable("token", holding: "the bot token")
        let chats = try settings.scopes { (scope: inout Settings) throws(ConfigurationError) -> String in
            try Self.chatID(in: &scope)
        }
        try settings.finish()
        return Configuration(apiURL: apiURL, tokenVariable: token, chats: chats)
    }

    /// The scope names.
    public func scopes(in configuration: Configuration) -> [String] { configuration.chats.keys.sorted() }

    /// The bot token: secret, required.
    public func environmentVariables(for configuration: Configuration) -> [EnvironmentVariableDeclaration] {
        [EnvironmentVariableDeclaration(name: configuration.tokenVariable, purpose: "Telegram bot token", isRequired: true, isSecret: true)]
    }

    /// Makes the message's calls in order; the receipt's reference is the first call's `message_id`. A message with
    /// no call (it shows nothing) is not sent: the receipt's status is then 204, No Content.
    public func send(_ message: RenderedMessage, to scope: String, configuration: Configuration, through exchange: DeliveryExchange)
        async throws(SendFailure) -> SendReceipt
    {
        guard let chat = configuration.chats[scope] else { throw .rejected(reason: "scope \(scope) is not configured for Telegram") }
        guard case .array(let calls) = message.payload.json else { throw .rejected(reason: "the Telegram payload is not a list of Bot API calls") }
        // A message that shows nothing (no text, no files) is not sent: Telegram would refuse it.
        guard !calls.isEmpty else { return SendReceipt(status: 204) }
        let token = try exchange.secret(configuration.tokenVariable, purpose: "Telegram bot token")
        guard Self.isBotToken(token.value) else {
            throw .rejected(reason: "environment variable \(configuration.tokenVariable) does not hold a bot token (digits, a colon, then letters, digits, _ and -)")
        }
        let attachments = message.document.blocks.compactMap { block -> Attachment? in
            if case .attachment(let attachment, _) = block { attachment } else { nil }
        }
        let exchange = exchange.readingTelegramRetryHints
        var receipt: SendReceipt?
        for (index, call) in calls.enumerated() {
            guard case .object(var parameters) = call, case .string(let method)? = parameters.removeValue(forKey: "method"),
                method.allSatisfy({ $0.isASCII && $0.isLetter })
            else { throw .rejected(reason: "call \(index + 1) of the Telegram payload names no Bot API method") }
            parameters["chat_id"] = Int(chat).map(JSONValue.integer) ?? .string(chat)
            let files = try Self.files(named: parameters, in: attachments)
            var request = OutgoingRequest(url: "\(configuration.apiURL)/bot\(token.value)/\(method)")
            if files.isEmpty {
                request.headers = [("Content-Type", "application/json; charset=utf-8")]
                request.body = JSONWriter().bytes(.object(parameters))
            } else {
                var form = TelegramForm()
                for (key, value) in parameters.sorted(by: { $0.key < $1.key }) {
                    let text = if case .string(let text) = value { text } else { JSONWriter().string(value) }
                    form.add(field: key, value: text)
                }
                for (name, attachment) in files {
                    form.add(file: name, filename: attachment.filename, contentType: attachment.mimeType, data: attachment.data)
                }
                request.headers = [("Content-Type", form.contentType)]
                request.body = form.body
            }
            let step = calls.count > 1 ? method + (files.isEmpty ? "" : " of " + files.map(\.attachment.filename).joined(separator: ", ")) : nil
            let response = try await exchange.send(request, part: index == 0 ? nil : "call-\(index + 1)", step: step)
            let sent = try Self.receipt(response, step: step, through: exchange)
            receipt = receipt ?? sent
        }
        guard let receipt else { preconditionFailure("a non-empty list of calls gives a receipt") }
        return receipt
    }

    /// The attachments `parameters` refer to as `attach://fileN`, by part name, in order.
    private static func files(named parameters: [String: JSONValue], in attachments: [Attachment]) throws(SendFailure)
        -> [(name: String, attachment: Attachment)]
    {
        var references: [String] = []
        for key in ["photo", "document"] { if case .string(let value)? = parameters[key] { references.append(value) } }
        if case .array(let media)? = parameters["media"] {
            for case .object(let item) in media { if case .string(let value)? = item["media"] { references.append(value) } }
        }
        var files: [(name: String, attachment: Attachment)] = []
        for reference in references {
            let name = reference.dropFirst("attach://".count)
            guard reference.hasPrefix("attach://"), name.hasPrefix("file"), let number = Int(name.dropFirst(4)),
                attachments.indices.contains(number - 1)
            else { throw .rejected(reason: "\(quoted(reference, limit: 40)) names no attachment of the message") }
            files.append((String(name), attachments[number - 1]))
        }
        return files
    }

    /// Reads Telegram's answer to one call: `{"ok": true, "result": <message or messages>}`.
    private static func receipt(_ response: IncomingResponse, step: String?, through exchange: DeliveryExchange) throws(SendFailure) -> SendReceipt {
        let prefix = step.map { "\($0): " } ?? ""
        guard case .object(let answer)? = try? JSONReader().read(response.body), case .bool(let ok)? = answer["ok"] else {
            throw .rejected(reason: prefix + "Telegram answered HTTP \(response.status) with something that is not a Bot API answer")
        }
        guard ok else {
            let description = if case .string(let text)? = answer["description"] { text } else { "no description" }
            throw .rejected(reason: prefix + "Telegram refused the call: " + exchange.echoed(description))
        }
        let message: JSONValue? = switch answer["result"] {
        case .array(let messages)?: messages.first
        case let result: result
        }
        guard case .object(let sent)? = message, case .integer(let id)? = sent["message_id"] else {
            return SendReceipt(status: response.status)
        }
        return SendReceipt(status: response.status, reference: String(id))
    }

    /// A chat id: a whole number other than 0 (groups and channels are negative), or a channel's `@username` (a
    /// letter, then 4 to 31 letters, digits or `_`).
    static func chatID(in scope: inout Settings) throws(ConfigurationError) -> String {
        let path = scope.path(of: "chat_id")
        let expected = "a Telegram chat id (a number such as -1001234567890, or a channel's @username)"
        switch scope.value("chat_id") {
        case .integer(let id)? where id != 0:
            return String(id)
        case .string(let text)?:
            if let id = Int(text), id != 0 { return String(id) }
            let name = text.dropFirst().unicodeScalars
            guard text.hasPrefix("@"), (5...32).contains(name.count), name.first?.properties.isAlphabetic == true,
                name.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") })
            else { throw ConfigurationError(path: path, reason: "\(quoted(text, limit: 80)) is not \(expected)") }
            return text
        case nil, .null?:
            throw ConfigurationError(path: path, reason: "is required: \(expected)")
        case let other?:
            throw ConfigurationError(path: path, reason: "expected \(expected), found \(other.typeDescription)")
        }
    }

    /// Whether `token` looks like a bot token, `<digits>:<letters, digits, _ and ->`, and so cannot change the
    /// request's path.
    static func isBotToken(_ token: String) -> Bool {
        let parts = token.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[0].allSatisfy { $0.isASCII && $0.isNumber } && !parts[1].isEmpty
            && parts[1].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
    }
}
