import Foundation
import Herald

/// Pushover, through its Message API: `POST <url>/1/messages.json` with the fields ``PushoverRenderer`` makes plus
/// the application's `token` and the scope's `user` (and `device`, `sound` when configured), form-encoded, or as
/// `multipart/form-data` with the image as the `attachment` file.
///
/// ```yaml
/// pushover:
///   token_env: PUSHOVER_APP_TOKEN      # the application's API token is a secret
///   url: https://api.pushover.net      # default
///   scopes:
///     farm-owner: {user_key: uQiRzpo4DXghDmr9QzzfQu27cmVRsG, device: iphone, sound: siren}
/// ```
///
/// Pushover answers `{"status": 1, "request": "…"}`; an error is a 4xx with `{"errors": ["…"], "status": 0}`, and
/// 429 once the application's monthly messages are used up.
public struct PushoverPlugin: ServicePlugin {
    /// The service-wide settings and the scopes.
    public struct Configuration: Hashable, Sendable {
        /// The API's base URL.
        public var url: String
        /// The variable holding the application's API token.
        public var tokenVariable: String
        /// The scopes by name.
        public var scopes: [String: Scope]
    }

    /// One recipient.
    public struct Scope: Hashable, Sendable {
        /// The user or group key: 30 letters and digits.
        public var userKey: String
        /// The devices to send to (comma-separated names), instead of all the user's.
        public var device: String?
        /// The sound to play instead of the user's default.
        public var sound: String?
    }

    /// Pushover's API.
    public static let defaultURL = "https://api.pushover.net"

    /// Creates the plugin.
    public init() {}

    /// ``Service/pushover``.
    public var id: Service { .pushover }
    /// Pushover's capabilities.
    public var capabilities: Capabilities { Service.pushover.renderer.capabilities }

    /// The settings ``validateConfig(_:)`` reads.
    public var configurationFields: [ConfigurationField] {
        [
            .apiURL(of: "Pushover API", default: Self.defaultURL),
            ConfigurationField(
                "token", level: .service, isRequired: true, isSecret: true, help: "Register an application on pushover.net and copy its API token.",
                example: "azGDORePK8gMaC0QOYAMyEEuzJnyUi"),
            ConfigurationField(
                "user_key", level: .scope, isRequired: true, help: "The user or group key shown on the Pushover dashboard (30 letters and digits).",
                example: "uQiRzpo4DXghDmr9QzzfQu27cmVRsG"),
            ConfigurationField("device", level: .scope, help: "Device names separated by commas; every device of the user when not given.", example: "phone"),
            ConfigurationField("sound", level: .scope, help: "A sound name from the Pushover API's sound list.", example: "siren"),
        ]
    }

    /// Reads `token_env`, `url` (optional) and `scopes`, each with `user_key` and optional `device` and `sound`.
    public func validateConfig(_ settings: Settings) throws(ConfigurationError) -> Configuration {
        var settings = settings
        let url = try settings.baseURL("url", default: Self.defaultURL, sending: "the API token")
        let token = try settings.secretVariable("token", holding: "the application's API token")
        let scopes = try settings.scopes { (scope: inout Settings) throws(ConfigurationError) -> Scope in
            let key = try scope.requiredString("user_key")
            guard Self.isKey(key) else {
                throw ConfigurationError(path: scope.path(of: "user_key"), reason: "is not a Pushover user or group key (30 letters and digits)")
            }
            let device = try scope.string("device")
            if let device, !device.split(separator: ",", omittingEmptySubsequences: false).allSatisfy({ Self.isName($0, maximum: 25) }) {
                throw ConfigurationError(path: scope.path(of: "device"), reason: "\(quoted(device)) is not a list of device names (letters, digits, _ and -, up to 25 each, separated by commas)")
            }
            let sound = try scope.string("sound")
            if let sound, !Self.isName(sound[...], maximum: 64) {
                throw ConfigurationError(path: scope.path(of: "sound"), reason: "\(quoted(sound)) is not a sound name (letters, digits, _ and -)")
            }
            return Scope(userKey: key, device: device, sound: sound)
        }
        try settings.finish()
        return Configuration(url: url, tokenVariable: token, scopes: scopes)
    }

    /// The scope names.
    public func scopes(in configuration: Configuration) -> [String] { configuration.scopes.keys.sorted() }

    /// The application's API token: secret, required.
    public func environmentVariables(for configuration: Configuration) -> [EnvironmentVariableDeclaration] {
        [EnvironmentVariableDeclaration(name: configuration.tokenVariable, purpose: "Pushover application API token", isRequired: true, isSecret: true)]
    }

    /// Posts the push: form-encoded, or multipart with the image.
    public func send(_ message: RenderedMessage, to scope: String, configuration: Configuration, through exchange: DeliveryExchange)
        async throws(SendFailure) -> SendReceipt
    {
        guard let destination = configuration.scopes[scope] else { throw .rejected(reason: "scope \(scope) is not configured for Pushover") }
        guard case .object(let payload) = message.payload.json else { throw .rejected(reason: "the Pushover payload is not a JSON object") }
        let token = try exchange.secret(configuration.tokenVariable, purpose: "Pushover application API token")
        var fields: [(name: String, value: String)] = [("token", token.value), ("user", destination.userKey)]
        if let device = destination.device { fields.append(("device", device)) }
        if let sound = destination.sound { fields.append(("sound", sound)) }
        for key in payload.keys.sorted() where key != "attachment" {
            guard case .string(let value)? = payload[key] else { throw .rejected(reason: "the Pushover field \(key) is not a string") }
            fields.append((key, value))
        }
        let image = message.document.blocks.lazy.compactMap { block -> Attachment? in
            if case .attachment(let attachment, _) = block { attachment } else { nil }
        }.first
        let form = if let image, payload["attachment"] != nil {
            FormBody.multipart(fields: fields, files: [FormBody.File(field: "attachment", filename: image.filename, contentType: image.mimeType, data: image.data)])
        } else {
            FormBody.urlEncoded(fields)
        }
        let response = try await exchange.send(OutgoingRequest(
            url: configuration.url + "/1/messages.json", headers: [("Content-Type", form.contentType)], body: form.body))
        guard case .object(let answer)? = try? JSONReader().read(response.body), answer["status"] == 1 else {
            throw .rejected(reason: "Pushover did not take the message: \(exchange.describe(response))")
        }
        let reference: String? = if case .string(let request)? = answer["request"] { request } else { nil }
        return SendReceipt(status: response.status, reference: reference)
    }

    /// Whether `key` looks like a Pushover key: 30 ASCII letters and digits.
    private static func isKey(_ key: String) -> Bool {
        key.utf8.count == 30 && key.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }
    }

    /// Whether `name` is 1 to `maximum` ASCII letters, digits, `_` and `-`.
    private static func isName(_ name: Substring, maximum: Int) -> Bool {
        (1...maximum).contains(name.utf8.count)
            && name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-") }
    }
}
