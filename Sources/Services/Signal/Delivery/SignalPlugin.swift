import Foundation
import Herald

/// Signal through signal-cli's JSON-RPC `send` over HTTP (`POST <url>/api/v1/rpc`, styles as `textStyle`
/// ranges) or through signal-cli-rest-api (`POST <url>/v2/send`, `styled` text mode).
///
/// ```yaml
/// signal:
///   transport: json-rpc        # or rest
///   url: http://127.0.0.1:8080
///   account: "+41790000000"    # the sending number (required for rest)
///   scopes:
///     oncall: {recipients: ["+41791234567", "+41797654321"]}
///     beamline: {group_id: "AbC...="}   # json-rpc: the base64 group id; rest: the "group.…" id
/// ```
///
/// Numbers must be E.164 (`+` and 7 to 15 digits) and group ids well-formed: a bad one is refused when the file is
/// read, not when a message is sent.
public struct SignalPlugin: ServicePlugin {
    /// The service-wide settings and the scopes.
    public struct Configuration: Hashable, Sendable {
        /// How messages reach Signal.
        public var transport: Transport
        /// The base URL of signal-cli's HTTP daemon or of signal-cli-rest-api.
        public var url: String
        /// The sending account's number, if given.
        public var account: String?
        /// The scopes by name.
        public var scopes: [String: Recipients]
    }

    /// signal-cli's two HTTP interfaces.
    public enum Transport: String, Hashable, Sendable, CaseIterable {
        /// signal-cli's JSON-RPC `send` (`signal-cli daemon --http`).
        case jsonRPC = "json-rpc"
        /// signal-cli-rest-api's `POST /v2/send`.
        case rest
    }

    /// Who a scope's messages go to.
    public enum Recipients: Hashable, Sendable {
        /// These E.164 numbers.
        case numbers([String])
        /// One group.
        case group(String)
    }

    /// Creates the plugin.
    public init() {}

    /// ``Service/signal``.
    public var id: Service { .signal }
    /// Signal's capabilities.
    public var capabilities: Capabilities { Service.signal.renderer.capabilities }

    /// The settings ``validateConfig(_:)`` reads.
    public var configurationFields: [ConfigurationField] {
        [
            ConfigurationField("transport", level: .service, help: "json-rpc (signal-cli's daemon, the default) or rest (signal-cli-rest-api).", example: "json-rpc"),
            ConfigurationField(
                "url", level: .service, isRequired: true, help: "The base URL of the signal-cli daemon or REST API you run.", example: "http://127.0.0.1:8080"),
            ConfigurationField(
                "account", level: .service, help: "The registered Signal number sending, in E.164 form; required with transport rest.", example: "+41445550100"),
            ConfigurationField(
                "recipients", level: .scope, help: "The phone numbers to message, in E.164 form.", example: ["+41445550199"], alternative: "recipients"),
            ConfigurationField(
                "group_id", level: .scope, help: "A group's id, from signal-cli listGroups.", example: "aGVyYWxkLWV4YW1wbGUtc2lnbmFsLWdyb3VwLWlkLTE=",
                alternative: "recipients"),
        ]
    }

    /// Reads `transport`, `url`, `account` and `scopes` (each `recipients` or `group_id`).
    public func validateConfig(_ settings: Settings) throws(ConfigurationError) -> Configuration {
        var settings = settings
        let transportName = try settings.string("transport") ?? Transport.jsonRPC.rawValue
        guard let transport = Transport(rawValue: transportName) else {
            throw ConfigurationError(
                path: settings.path(of: "transport"),
                reason: "unknown transport \(quoted(transportName)); expected json-rpc or rest")
        }
        let url = try settings.baseURL("url")
        let account = try settings.string("account")
        if let account { try Settings.checkE164Number(account, path: settings.path(of: "account")) }
        if transport == .rest, account == nil {
            throw ConfigurationError(path: settings.path(of: "account"), reason: "is required with transport rest")
        }
        let scopes = try settings.scopes { (scope: inout Settings) throws(ConfigurationError) -> Recipients in
            let numbers = try scope.strings("recipients")
            let group = try scope.string("group_id")
            switch (numbers, group) {
            case (let numbers?, nil):
                guard !numbers.isEmpty else { throw ConfigurationError(path: scope.path(of: "recipients"), reason: "names no number") }
                for (index, number) in numbers.enumerated() {
                    try Settings.checkE164Number(number, path: "\(scope.path(of: "recipients"))[\(index)]")
                }
                return .numbers(numbers)
            case (nil, let group?):
                try Self.checkGroup(group, transport: transport, path: scope.path(of: "group_id"))
                return .group(group)
            default:
                throw ConfigurationError(path: scope.path, reason: "give either recipients (E.164 numbers) or group_id")
            }
        }
        try settings.finish()
        return Configuration(transport: transport, url: url, account: account, scopes: scopes)
    }

    /// The scope names.
    public func scopes(in configuration: Configuration) -> [String] { configuration.scopes.keys.sorted() }

    /// None: signal-cli's HTTP interfaces take no credentials.
    public func environmentVariables(for configuration: Configuration) -> [EnvironmentVariableDeclaration] { [] }

    /// The JSON-RPC `send` params, or the signal-cli-rest-api body.
    public func render(_ message: NotificationMessage, configuration: Configuration) throws(RenderError) -> Rendering {
        switch configuration.transport {
        case .jsonRPC: try Service.signal.renderer.render(message)
        case .rest: try SignalRenderer().restRendering(of: message)
        }
    }

    /// Adds the recipients and posts the request; a JSON-RPC error or a failed recipient is a failure.
    public func send(_ message: RenderedMessage, to scope: String, configuration: Configuration, through exchange: DeliveryExchange)
        async throws(SendFailure) -> SendReceipt
    {
        guard let recipients = configuration.scopes[scope] else { throw .rejected(reason: "scope \(scope) is not configured for Signal") }
        guard case .object(var body) = message.payload.json else { throw .rejected(reason: "the Signal payload is not a JSON object") }
        switch configuration.transport {
        case .jsonRPC:
            switch recipients {
            case .numbers(let numbers): body["recipient"] = .array(numbers.map(JSONValue.string))
            case .group(let id): body["groupId"] = .string(id)
            }
            if let account = configuration.account { body["account"] = .string(account) }
            let call: JSONValue = [
                "jsonrpc": "2.0", "method": "send", "id": .string(exchange.idempotencyKey), "params": .object(body),
            ]
            let response = try await exchange.send(Self.post(configuration.url + "/api/v1/rpc", call))
            return try Self.jsonRPCReceipt(response, through: exchange)
        case .rest:
            switch recipients {
            case .numbers(let numbers): body["recipients"] = .array(numbers.map(JSONValue.string))
            case .group(let id): body["recipients"] = [.string(id)]
            }
            body["number"] = configuration.account.map(JSONValue.string) ?? .null
            let response = try await exchange.send(Self.post(configuration.url + "/v2/send", .object(body)))
            let timestamp: String? =
                switch try? JSONReader().read(response.body) {
                case .object(let object)?: object["timestamp"].flatMap { if case .string(let value) = $0 { value } else { nil } }
                default: nil
                }
            return SendReceipt(status: response.status, reference: timestamp)
        }
    }

    private static func post(_ url: String, _ json: JSONValue) -> OutgoingRequest {
        OutgoingRequest(url: url, headers: [("Content-Type", "application/json; charset=utf-8")], body: JSONWriter().bytes(json))
    }

    /// Reads signal-cli's answer: `{"result": {"timestamp", "results": [{"type": "SUCCESS", ...}]}}` or
    /// `{"error": {"code", "message"}}`. Network and rate-limit failures of every recipient are transient. What
    /// signal-cli says is shown through ``DeliveryExchange/echoed(_:)``.
    static func jsonRPCReceipt(_ response: IncomingResponse, through exchange: DeliveryExchange) throws(SendFailure) -> SendReceipt {
        guard case .object(let answer)? = try? JSONReader().read(response.body) else {
            throw .rejected(reason: "signal-cli answered HTTP \(response.status) with something that is not JSON-RPC")
        }
        if case .object(let error)? = answer["error"] {
            let code = error["code"].map { JSONWriter().string($0) } ?? "?"
            let message = if case .string(let text)? = error["message"] { text } else { "no message" }
            throw .rejected(reason: exchange.echoed("signal-cli error \(code): \(message)"))
        }
        guard case .object(let result)? = answer["result"] else {
            throw .rejected(reason: "signal-cli answered without a result")
        }
        let reference = result["timestamp"].map { JSONWriter().string($0) }
        var failures: [(recipient: String, type: String)] = []
        if case .array(let results)? = result["results"] {
            for case .object(let entry) in results {
                guard case .string(let type)? = entry["type"], type != "SUCCESS" else { continue }
                var recipient = "?"
                if case .object(let address)? = entry["recipientAddress"], case .string(let number)? = address["number"] {
                    recipient = number
                }
                failures.append((recipient, type))
            }
        }
        guard failures.isEmpty else {
            let reason = exchange.echoed("signal-cli could not deliver to " + failures.map { "\($0.recipient) (\($0.type))" }.joined(separator: ", "))
            if failures.allSatisfy({ ["NETWORK_FAILURE", "RATE_LIMIT_FAILURE"].contains($0.type) }), case .array(let all)? = result["results"], all.count == failures.count {
                throw .transient(reason: reason, retryAfter: nil)
            }
            throw .rejected(reason: reason)
        }
        return SendReceipt(status: response.status, reference: reference)
    }

    private static func checkGroup(_ id: String, transport: Transport, path: String) throws(ConfigurationError) {
        switch transport {
        case .jsonRPC:
            guard let bytes = Data(base64Encoded: id), bytes.count == 32 else {
                throw ConfigurationError(path: path, reason: "\(quoted(id)) is not a signal-cli group id (base64 of 32 bytes)")
            }
        case .rest:
            guard id.hasPrefix("group."), id.count > 6, Data(base64Encoded: String(id.dropFirst(6))) != nil else {
                throw ConfigurationError(path: path, reason: "\(quoted(id)) is not a signal-cli-rest-api group id (group.<base64>)")
            }
        }
    }
}
