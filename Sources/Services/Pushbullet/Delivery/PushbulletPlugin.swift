import Foundation
import Herald

/// Pushbullet, through its HTTP API with the account's access token (`Access-Token` header): a `note` push is one
/// `POST <url>/v2/pushes`; a `file` push takes three requests, `POST <url>/v2/upload-request` (the file's name and
/// type), the upload itself to the `upload_url` it answers (multipart, field `file`, after any `data` fields it
/// gives; the token is never sent there), then the push with the `file_url` it answered.
///
/// ```yaml
/// pushbullet:
///   token_env: PUSHBULLET_ACCESS_TOKEN   # a secret
///   url: https://api.pushbullet.com      # default
///   scopes:
///     all-devices: {}                    # every device of the account
///     phone: {device_iden: ujpah72o0sjAoRtnM0jc}
///     operator: {email: ops@example.org}
///     farm-channel: {channel_tag: printfarm}
/// ```
///
/// The created push's `iden` is the reference; an error is a 4xx with `{"error": {"code", "message", "type"}}`.
public struct PushbulletPlugin: ServicePlugin {
    /// The service-wide settings and the scopes.
    public struct Configuration: Hashable, Sendable {
        /// The API's base URL.
        public var url: String
        /// The variable holding the access token.
        public var tokenVariable: String
        /// Each scope's target.
        public var scopes: [String: Target]
    }

    /// Where a scope's pushes go.
    public enum Target: Hashable, Sendable {
        /// Every device of the account.
        case allDevices
        /// One device, by its `iden`.
        case device(String)
        /// A person, by e-mail address.
        case email(String)
        /// A channel's subscribers, by its tag.
        case channel(String)
    }

    /// Pushbullet's API.
    public static let defaultURL = "https://api.pushbullet.com"

    /// Creates the plugin.
    public init() {}

    /// ``Service/pushbullet``.
    public var id: Service { .pushbullet }
    /// Pushbullet's capabilities.
    public var capabilities: Capabilities { Service.pushbullet.renderer.capabilities }

    /// The settings ``validateConfig(_:)`` reads.
    public var configurationFields: [ConfigurationField] {
        [
            .apiURL(of: "Pushbullet API", default: Self.defaultURL),
            ConfigurationField(
                "token", level: .service, isRequired: true, isSecret: true, help: "Create an access token under Settings, Account on pushbullet.com.",
                example: "o.0123456789abcdefghij"),
            ConfigurationField(
                "device_iden", level: .scope, help: "A device's iden from GET /v2/devices; every device of the account when no target is given.",
                example: "ujpah72o0sjAoRtnM0jc", alternative: "target"),
            ConfigurationField("email", level: .scope, help: "The e-mail address of a Pushbullet user to push to.", example: "operator@example.org", alternative: "target"),
            ConfigurationField("channel_tag", level: .scope, help: "The tag of a channel you own, from its page on pushbullet.com.", example: "beamline-alerts", alternative: "target"),
        ]
    }

    /// Reads `token_env`, `url` (optional) and `scopes`, each with at most one of `device_iden`, `email` and
    /// `channel_tag`.
    public func validateConfig(_ settings: Settings) throws(ConfigurationError) -> Configuration {
        var settings = settings
        let url = try settings.baseURL("url", default: Self.defaultURL, sending: "the access token")
        let token = try settings.secretVariable("token", holding: "the access token")
        let scopes = try settings.scopes { (scope: inout Settings) throws(ConfigurationError) -> Target in
            let device = try scope.string("device_iden")
            let email = try scope.string("email")
            let channel = try scope.string("channel_tag")
            switch (device, email, channel) {
            case (nil, nil, nil):
                return .allDevices
            case (let device?, nil, nil):
                guard Self.isToken(device) else { throw ConfigurationError(path: scope.path(of: "device_iden"), reason: "\(quoted(device)) is not a device iden (letters and digits)") }
                return .device(device)
            case (nil, let email?, nil):
                let parts = email.split(separator: "@", omittingEmptySubsequences: false)
                guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !email.contains(where: \.isWhitespace) else {
                    throw ConfigurationError(path: scope.path(of: "email"), reason: "\(quoted(email)) is not an e-mail address")
                }
                return .email(email)
            case (nil, nil, let channel?):
                guard Self.isToken(channel) else { throw ConfigurationError(path: scope.path(of: "channel_tag"), reason: "\(quoted(channel)) is not a channel tag (letters, digits, _ and -)") }
                return .channel(channel)
            default:
                throw ConfigurationError(path: scope.path, reason: "give at most one of device_iden, email and channel_tag (none: every device of the account)")
            }
        }
        try settings.finish()
        return Configuration(url: url, tokenVariable: token, scopes: scopes)
    }

    /// The scope names.
    public func scopes(in configuration: Configuration) -> [String] { configuration.scopes.keys.sorted() }

    /// The access token: secret, required.
    public func environmentVariables(for configuration: Configuration) -> [EnvironmentVariableDeclaration] {
        [EnvironmentVariableDeclaration(name: configuration.tokenVariable, purpose: "Pushbullet access token", isRequired: true, isSecret: true)]
    }

    /// Uploads the file of a `file` push, then creates the push for the scope's target.
    public func send(_ message: RenderedMessage, to scope: String, configuration: Configuration, through exchange: DeliveryExchange)
        async throws(SendFailure) -> SendReceipt
    {
        guard let target = configuration.scopes[scope] else { throw .rejected(reason: "scope \(scope) is not configured for Pushbullet") }
        guard case .object(var push) = message.payload.json else { throw .rejected(reason: "the Pushbullet payload is not a JSON object") }
        let token = try exchange.secret(configuration.tokenVariable, purpose: "Pushbullet access token")
        let headers = [("Access-Token", token.value), ("Content-Type", "application/json; charset=utf-8")]
        if push["type"] == "file" {
            let file = message.document.blocks.lazy.compactMap { block -> Attachment? in
                if case .attachment(let attachment, _) = block { attachment } else { nil }
            }.first
            guard let file else { throw .rejected(reason: "the Pushbullet file push names no attachment of the message") }
            push["file_url"] = .string(try await upload(file, configuration: configuration, headers: headers, through: exchange))
        }
        switch target {
        case .allDevices: break
        case .device(let iden): push["device_iden"] = .string(iden)
        case .email(let email): push["email"] = .string(email)
        case .channel(let tag): push["channel_tag"] = .string(tag)
        }
        let response = try await exchange.send(OutgoingRequest(url: configuration.url + "/v2/pushes", headers: headers, body: JSONWriter().bytes(.object(push))))
        let reference: String? = if case .object(let created)? = try? JSONReader().read(response.body), case .string(let iden)? = created["iden"] { iden } else { nil }
        return SendReceipt(status: response.status, reference: reference)
    }

    /// Asks for an upload, uploads `file` there and returns its `file_url`.
    private func upload(_ file: Attachment, configuration: Configuration, headers: [(String, String)], through exchange: DeliveryExchange)
        async throws(SendFailure) -> String
    {
        let request: JSONValue = ["file_name": .string(file.filename), "file_type": .string(file.mimeType)]
        let answer = try await exchange.send(
            OutgoingRequest(url: configuration.url + "/v2/upload-request", headers: headers, body: JSONWriter().bytes(request)),
            part: "upload-request", step: "upload request for \(file.filename)")
        guard case .object(let upload)? = try? JSONReader().read(answer.body), case .string(let uploadURL)? = upload["upload_url"],
            RequestURL(uploadURL) != nil, case .string(let fileURL)? = upload["file_url"]
        else {
            throw .rejected(reason: "upload request for \(file.filename): Pushbullet answered HTTP \(answer.status) without an http(s) upload_url and a file_url")
        }
        // The legacy upload's form fields (an S3 policy) go before the file.
        var fields: [(name: String, value: String)] = []
        if case .object(let data)? = upload["data"] {
            for key in data.keys.sorted() {
                guard case .string(let value)? = data[key] else { continue }
                fields.append((key, value))
            }
        }
        let form = FormBody.multipart(fields: fields, files: [FormBody.File(field: "file", filename: file.filename, contentType: file.mimeType, data: file.data)])
        _ = try await exchange.send(
            OutgoingRequest(url: uploadURL, headers: [("Content-Type", form.contentType)], body: form.body),
            part: "upload", step: "upload of \(file.filename)")
        return fileURL
    }

    /// Whether `text` is 1 to 64 ASCII letters, digits, `_` and `-`.
    private static func isToken(_ text: String) -> Bool {
        (1...64).contains(text.utf8.count)
            && text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-") }
    }
}
