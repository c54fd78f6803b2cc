import Foundation
import Herald

/// E-mail through an SMTP server (RFC 5321): one session per message, with STARTTLS or implicit TLS, `AUTH PLAIN` or
/// `LOGIN` with credentials from the environment, to every recipient of the scope.
///
/// ```yaml
/// email:
///   host: smtp.example.org
///   security: starttls              # starttls (default, port 587), tls (port 465) or none (port 25)
///   port: 587                       # default: by security
///   username_env: SMTP_USERNAME     # optional, with password_env
///   password_env: SMTP_PASSWORD     # the password is a secret
///   auth: plain                     # optional: plain or login; default the first the server offers
///   ca_file: /etc/herald/smtp-ca.pem  # optional: more certificate authorities to trust (absolute path)
///   from: herald@example.org
///   from_name: X12SA Herald         # optional display name
///   helo_name: herald.example.org   # optional; default the client's address as a literal ([192.0.2.1])
///   maximum_message_bytes: 10240000 # optional: the server's limit
///   scopes:
///     operators: {to: [ops@example.org, oncall@example.org]}
/// ```
///
/// The message is ``EmailRenderer``'s, made again at sending with the scope's recipients, the time of sending as
/// `Date` and `<idempotency key@sender's domain>` as `Message-ID`, the same on every attempt. A `4xx` reply is
/// retried, a `5xx` fails the delivery; a refused recipient ends the session before `DATA`, so either every
/// recipient gets the message or none does. The receipt's reference is the Message-ID.
public struct EmailPlugin: ServicePlugin {
    /// The server, the credentials' variables, the sender and the scopes.
    public struct Configuration: Hashable, Sendable {
        /// The server's host name or address.
        public var host: String
        /// The server's port.
        public var port: Int
        /// How the connection is protected.
        public var security: SMTPSecurity
        /// The variable holding the user name, if the server wants credentials.
        public var usernameVariable: String?
        /// The variable holding the password, if the server wants credentials.
        public var passwordVariable: String?
        /// The SASL mechanism to use, if the configuration names one.
        public var mechanism: SMTPAuthMechanism?
        /// A PEM file of further certificate authorities to trust.
        public var certificateAuthorityFile: String?
        /// The name to greet the server with, if configured.
        public var heloName: String?
        /// The sender.
        public var from: EmailAddress
        /// The largest message the server takes.
        public var maximumMessageBytes: Int
        /// The recipients of each scope.
        public var scopes: [String: [EmailAddress]]
    }

    /// The most recipients one scope may have.
    public static let maximumRecipients = 100

    /// Creates the plugin.
    public init() {}

    /// ``Service/email``.
    public var id: Service { .email }
    /// E-mail's capabilities.
    public var capabilities: Capabilities { Service.email.renderer.capabilities }

    /// The settings ``validateConfig(_:)`` reads.
    public var configurationFields: [ConfigurationField] {
        [
            ConfigurationField("host", level: .service, isRequired: true, help: "Your SMTP server's host name, from your mail provider.", example: "smtp.example.org"),
            ConfigurationField("security", level: .service, help: "starttls (the default), tls or none.", example: "starttls"),
            ConfigurationField("port", level: .service, help: "The SMTP port; 587 for starttls, 465 for tls, 25 for none when not given.", example: 587),
            ConfigurationField("username", level: .service, isSecret: true, help: "The SMTP user name from your mail provider.", example: "herald"),
            ConfigurationField("password", level: .service, isSecret: true, help: "The SMTP password (or app password) from your mail provider.", example: "smtp-password"),
            ConfigurationField("auth", level: .service, help: "plain or login; negotiated with the server when not given.", example: "plain"),
            ConfigurationField(
                "ca_file", level: .service, help: "The absolute path of a PEM file of the certificate authorities to trust; the system's when not given.",
                example: "/etc/ssl/certs/ca-certificates.crt"),
            ConfigurationField("helo_name", level: .service, help: "The host name Herald greets the server with.", example: "herald.example.org"),
            ConfigurationField("from", level: .service, isRequired: true, help: "The sender's address, one the server lets you send from.", example: "herald@example.org"),
            ConfigurationField("from_name", level: .service, help: "The sender's display name.", example: "Herald"),
            ConfigurationField(
                "maximum_message_bytes", level: .service, help: "The largest message the server takes, from its SIZE; 10 MB when not given.",
                example: 10_000_000),
            ConfigurationField("to", level: .scope, isRequired: true, help: "The addresses to write to.", example: ["ops@example.org"]),
        ]
    }

    /// Reads the server, credentials, sender and `scopes` (each `to`, a list of addresses).
    public func validateConfig(_ settings: Settings) throws(ConfigurationError) -> Configuration {
        var settings = settings
        let host = try settings.requiredString("host")
        guard Self.isHostName(host) || SMTPClient.isIPAddress(host) else {
            throw ConfigurationError(path: settings.path(of: "host"), reason: "\(quoted(host, limit: echoedValueLimit)) is not a host name or IP address (no scheme, port or path)")
        }
        let securityName = try settings.string("security") ?? SMTPSecurity.startTLS.rawValue
        guard let security = SMTPSecurity(rawValue: securityName) else {
            throw ConfigurationError(
                path: settings.path(of: "security"), reason: "unknown security \(quoted(securityName, limit: echoedValueLimit)); expected starttls, tls or none")
        }
        let port = try settings.integer("port", in: 1...65_535) ?? security.defaultPort
        let username = try settings.optionalSecretVariable("username", holding: "the SMTP user name")
        let password = try settings.optionalSecretVariable("password", holding: "the SMTP password")
        guard (username == nil) == (password == nil) else {
            let missing = username == nil ? "username_env" : "password_env"
            throw ConfigurationError(path: settings.path(of: missing), reason: "is required with \(username == nil ? "password_env" : "username_env")")
        }
        if password != nil, security == .none, !Loopback.contains(host: host) {
            throw ConfigurationError(
                path: settings.path(of: "security"),
                reason: "none would send the password without TLS: use starttls or tls (plain SMTP with credentials only to a loopback address: 127.0.0.0/8, ::1, localhost)")
        }
        var mechanism: SMTPAuthMechanism?
        if let name = try settings.string("auth") {
            guard let chosen = SMTPAuthMechanism(rawValue: name.uppercased()), name == name.lowercased() else {
                throw ConfigurationError(path: settings.path(of: "auth"), reason: "unknown mechanism \(quoted(name, limit: echoedValueLimit)); expected plain or login")
            }
            guard password != nil else { throw ConfigurationError(path: settings.path(of: "auth"), reason: "needs username_env and password_env") }
            mechanism = chosen
        }
        let caFile = try settings.string("ca_file")
        if let caFile {
            var isDirectory: ObjCBool = false
            guard caFile.hasPrefix("/"), FileManager.default.fileExists(atPath: caFile, isDirectory: &isDirectory), !isDirectory.boolValue else {
                throw ConfigurationError(path: settings.path(of: "ca_file"), reason: "\(quoted(caFile, limit: echoedValueLimit)) is not the absolute path of a PEM file")
            }
        }
        let heloName = try settings.string("helo_name")
        if let heloName, !Self.isHostName(heloName) {
            throw ConfigurationError(path: settings.path(of: "helo_name"), reason: "\(quoted(heloName, limit: echoedValueLimit)) is not a host name")
        }
        let (fromAddress, fromName) = (try settings.requiredString("from"), try settings.string("from_name"))
        let from: EmailAddress
        do throws(EmailAddress.Invalid) {
            from = try EmailAddress(validating: fromAddress, displayName: fromName)
        } catch {
            throw ConfigurationError(path: settings.path(of: "from"), reason: error.reason)
        }
        let maximumMessageBytes = try settings.integer("maximum_message_bytes", in: 10_000...1_000_000_000) ?? EmailRenderer.defaultMaximumMessageBytes
        let scopes = try settings.scopes { (scope: inout Settings) throws(ConfigurationError) -> [EmailAddress] in
            guard let addresses = try scope.strings("to"), !addresses.isEmpty else {
                throw ConfigurationError(path: scope.path(of: "to"), reason: "is required: a list of at least one e-mail address")
            }
            guard addresses.count <= Self.maximumRecipients else {
                throw ConfigurationError(path: scope.path(of: "to"), reason: "has \(addresses.count) addresses; a scope may have at most \(Self.maximumRecipients)")
            }
            var recipients: [EmailAddress] = []
            for (index, address) in addresses.enumerated() {
                do throws(EmailAddress.Invalid) {
                    recipients.append(try EmailAddress(validating: address))
                } catch {
                    throw ConfigurationError(path: "\(scope.path(of: "to"))[\(index)]", reason: error.reason)
                }
            }
            return recipients
        }
        try settings.finish()
        return Configuration(
            host: host, port: port, security: security, usernameVariable: username, passwordVariable: password, mechanism: mechanism,
            certificateAuthorityFile: caFile, heloName: heloName, from: from, maximumMessageBytes: maximumMessageBytes, scopes: scopes)
    }

    /// The scope names.
    public func scopes(in configuration: Configuration) -> [String] { configuration.scopes.keys.sorted() }

    /// The user name (not secret) and the password (secret), both required when configured.
    public func environmentVariables(for configuration: Configuration) -> [EnvironmentVariableDeclaration] {
        guard let username = configuration.usernameVariable, let password = configuration.passwordVariable else { return [] }
        return [
            EnvironmentVariableDeclaration(name: username, purpose: "SMTP user name", isRequired: true, isSecret: false),
            EnvironmentVariableDeclaration(name: password, purpose: "SMTP password", isRequired: true, isSecret: true),
        ]
    }

    /// The message as the longest scope's recipients would receive it, so that the size limit holds for every scope;
    /// ``send(_:to:configuration:through:)`` makes it again for the scope it sends to.
    public func render(_ message: NotificationMessage, configuration: Configuration) throws(RenderError) -> Rendering {
        let longest = configuration.scopes.values.max { $0.map(\.address.count).reduce(0, +) < $1.map(\.address.count).reduce(0, +) }
        // The date and key have the length of real ones; the rendering is the same on every run.
        return try renderer(configuration, to: longest ?? [configuration.from], date: EmailHeaders.preview.date, key: String(repeating: "0", count: 36))
            .render(message)
    }

    /// Sends one message to the scope's recipients in one SMTP session.
    public func send(_ message: RenderedMessage, to scope: String, configuration: Configuration, through exchange: DeliveryExchange)
        async throws(SendFailure) -> SendReceipt
    {
        guard let recipients = configuration.scopes[scope] else { throw .rejected(reason: "scope \(scope) is not configured for e-mail") }
        var credentials: SMTPClient.Credentials?
        if let usernameVariable = configuration.usernameVariable, let passwordVariable = configuration.passwordVariable {
            guard let username = exchange.environment.value(of: usernameVariable) else {
                throw .rejected(reason: "environment variable \(usernameVariable) (SMTP user name) is not set")
            }
            credentials = SMTPClient.Credentials(
                username: username, password: try exchange.secret(passwordVariable, purpose: "SMTP password"), mechanism: configuration.mechanism)
        }
        let renderer = renderer(configuration, to: recipients, date: Date(), key: exchange.idempotencyKey)
        let payload = renderer.renderFitted(message.document).body
        let client = SMTPClient(
            host: configuration.host, port: configuration.port, security: configuration.security,
            certificateAuthorityFile: configuration.certificateAuthorityFile, heloName: configuration.heloName)
        let reply = try await exchange.session(step: "SMTP \(configuration.host):\(configuration.port)", secrets: credentials?.encodedForms ?? []) {
            timeout throws(SessionFailure) in
            try await client.send(
                payload, from: configuration.from.address, to: recipients.map(\.address), credentials: credentials, timeout: timeout)
        }
        return SendReceipt(status: reply.code, reference: "<\(renderer.headers.messageID)>")
    }

    /// The renderer for one message: its recipients, its date, and the Message-ID `<key@sender's domain>`.
    private func renderer(_ configuration: Configuration, to recipients: [EmailAddress], date: Date, key: String) -> EmailRenderer {
        // The key is a UUID (with `-N` for a message of several); anything else is kept to what a Message-ID holds.
        let left = String(key.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") }.prefix(100))
        let headers = EmailHeaders(
            from: configuration.from, to: recipients, date: date,
            messageID: "\(left.isEmpty ? "herald" : left)@\(configuration.from.domain)")
        return EmailRenderer(headers: headers, maximumMessageBytes: configuration.maximumMessageBytes)
    }

    /// Whether `name` is a host name: dot-separated labels of ASCII letters, digits and `-`, 1 to 253 characters.
    static func isHostName(_ name: String) -> Bool {
        (1...253).contains(name.utf8.count) && name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            (1...63).contains(label.utf8.count) && label.first != "-" && label.last != "-"
                && label.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") }
        }
    }
}
