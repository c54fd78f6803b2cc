import Foundation
import Herald

/// SciLog, the electronic logbook: each attachment is uploaded with `POST <url>/filesnippet/files` (multipart),
/// then the Paragraph snippet is posted to `POST <url>/basesnippets` with `parentId` (the logbook) and each
/// `files[]` entry completed with the upload's `fileId` and `accessHash`. Every request carries the bearer token.
///
/// ```yaml
/// scilog:
///   url: https://scilog.example.org/api/v1
///   token_env: SCILOG_TOKEN           # the API token is a secret
///   scopes:
///     x12sa: {logbook_id: "6523a1f0c8e4b2a9d0f1e2d3"}
/// ```
public struct SciLogPlugin: ServicePlugin {
    /// The API, the token's variable and the scopes.
    public struct Configuration: Hashable, Sendable {
        /// The API's base URL.
        public var url: String
        /// The variable holding the API token.
        public var tokenVariable: String
        /// The logbook id of each scope.
        public var logbooks: [String: String]
    }

    /// Creates the plugin.
    public init() {}

    /// ``Service/scilog``.
    public var id: Service { .scilog }
    /// SciLog's capabilities.
    public var capabilities: Capabilities { Service.scilog.renderer.capabilities }

    /// The settings ``validateConfig(_:)`` reads.
    public var configurationFields: [ConfigurationField] {
        [
            ConfigurationField("url", level: .service, isRequired: true, help: "The SciLog server's base URL, as the logbook's address shows it.", example: "https://scilog.example.org"),
            ConfigurationField(
                "token", level: .service, isRequired: true, isSecret: true, help: "An API token from your SciLog account's settings.", example: "scilog-api-token"),
            ConfigurationField(
                "logbook_id", level: .scope, isRequired: true, help: "The logbook's id, the last part of its address in SciLog.", example: "6123abcd-ef01"),
        ]
    }

    /// Reads `url`, `token_env` and `scopes` (each a `logbook_id`).
    public func validateConfig(_ settings: Settings) throws(ConfigurationError) -> Configuration {
        var settings = settings
        let url = try settings.baseURL("url", sending: "the API token")
        let token = try settings.secretVariable("token", holding: "the API token")
        let logbooks = try settings.scopes { (scope: inout Settings) throws(ConfigurationError) -> String in
            let id = try scope.requiredString("logbook_id")
            guard id.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") }) else {
                throw ConfigurationError(path: scope.path(of: "logbook_id"), reason: "\(quoted(id)) is not a logbook id (letters, digits, - and _)")
            }
            return id
        }
        try settings.finish()
        return Configuration(url: url, tokenVariable: token, logbooks: logbooks)
    }

    /// The scope names.
    public func scopes(in configuration: Configuration) -> [String] { configuration.logbooks.keys.sorted() }

    /// The API token: secret, required.
    public func environmentVariables(for configuration: Configuration) -> [EnvironmentVariableDeclaration] {
        [EnvironmentVariableDeclaration(name: configuration.tokenVariable, purpose: "SciLog API token", isRequired: true, isSecret: true)]
    }

    /// Uploads the attachments named in `files`, then posts the snippet.
    public func send(_ message: RenderedMessage, to scope: String, configuration: Configuration, through exchange: DeliveryExchange)
        async throws(SendFailure) -> SendReceipt
    {
        guard let logbook = configuration.logbooks[scope] else { throw .rejected(reason: "scope \(scope) is not configured for SciLog") }
        guard case .object(var snippet) = message.payload.json else { throw .rejected(reason: "the SciLog payload is not a JSON object") }
        let token = try exchange.secret(configuration.tokenVariable, purpose: "SciLog API token")
        let authorization = ("Authorization", "Bearer \(token.value)")

        var attachments: [String: Attachment] = [:]
        for case .attachment(let attachment, _) in message.document.blocks {
            attachments[SciLogFile(attachment, index: attachments.count).hash] = attachment
        }
        if case .array(var files)? = snippet["files"] {
            for (index, entry) in files.enumerated() {
                guard case .object(var file) = entry, case .string(let hash)? = file["fileHash"], let attachment = attachments[hash] else {
                    throw .rejected(reason: "files[\(index)] names no attachment of the message")
                }
                let form = FormBody.multipart(files: [FormBody.File(field: "file", filename: attachment.filename, contentType: attachment.mimeType, data: attachment.data)])
                let response = try await exchange.send(
                    OutgoingRequest(url: configuration.url + "/filesnippet/files", headers: [authorization, ("Content-Type", form.contentType)], body: form.body),
                    part: "file-\(index + 1)", step: "upload of \(attachment.filename)")
                guard case .object(let uploaded)? = try? JSONReader().read(response.body), case .string(let fileID)? = uploaded["id"],
                    case .string(let accessHash)? = uploaded["accessHash"]
                else {
                    throw .rejected(reason: "upload of \(attachment.filename): SciLog answered HTTP \(response.status) without a file id and access hash")
                }
                file["fileId"] = .string(fileID)
                file["accessHash"] = .string(accessHash)
                files[index] = .object(file)
            }
            snippet["files"] = .array(files)
        }
        snippet["parentId"] = .string(logbook)
        let response = try await exchange.send(OutgoingRequest(
            url: configuration.url + "/basesnippets",
            headers: [authorization, ("Content-Type", "application/json; charset=utf-8")], body: JSONWriter().bytes(.object(snippet))))
        let reference: String? =
            if case .object(let created)? = try? JSONReader().read(response.body), case .string(let id)? = created["id"] { id } else { nil }
        return SendReceipt(status: response.status, reference: reference)
    }
}
