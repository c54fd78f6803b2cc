import Foundation
import Herald

/// SMS through Twilio's Messages API: `POST <url>/2010-04-01/Accounts/<account SID>/Messages.json`, form-encoded
/// `To`, `From` (or `MessagingServiceSid`) and the renderer's `Body`, with HTTP Basic authentication (the account
/// SID and auth token, both from the environment). One request per scope, each scope one number.
///
/// Each SMS costs money, so the plugin supports only the features `failure_alert` and `alarms` (and those the
/// destinations file declares): a route of another built-in feature's event is refused.
///
/// ```yaml
/// sms:
///   account_sid_env: TWILIO_ACCOUNT_SID
///   auth_token_env: TWILIO_AUTH_TOKEN     # a secret
///   from: "+41790000000"                  # or messaging_service_sid: MG…
///   features: [failure_alert]             # optional: fewer features than SMS supports (each SMS costs money)
///   scopes:
///     oncall: {to: "+41791234567"}
/// ```
///
/// Twilio answers `201` with the message resource (its `sid` is the reference); an error is a 4xx with
/// `{"code", "message", "more_info", "status"}`.
public struct SMSPlugin: ServicePlugin {
    /// The service-wide settings and the scopes.
    public struct Configuration: Hashable, Sendable {
        /// The API's base URL.
        public var url: String
        /// The variable holding the account SID.
        public var accountSIDVariable: String
        /// The variable holding the auth token.
        public var authTokenVariable: String
        /// Who the messages come from.
        public var sender: Sender
        /// The only built-in features supported, when the settings name fewer than ``SMSPlugin/features``.
        public var features: Set<String>?
        /// Each scope's number.
        public var scopes: [String: String]
    }

    /// Where the messages come from.
    public enum Sender: Hashable, Sendable {
        /// A Twilio number (`From`).
        case number(String)
        /// A Messaging Service, which picks the number (`MessagingServiceSid`).
        case messagingService(String)
    }

    /// Twilio's API.
    public static let defaultURL = "https://api.twilio.com"

    /// Creates the plugin.
    public init() {}

    /// ``Service/sms``.
    public var id: Service { .sms }
    /// SMS's capabilities.
    public var capabilities: Capabilities { Service.sms.renderer.capabilities }

    /// The built-in features SMS supports: failure alerts and alarms.
    public static let features: Set<String> = ["failure_alert", "alarms"]

    /// ``features``: failure alerts and alarms.
    public var supportedFeatures: SupportedFeatures { .only(Self.features) }

    /// The configuration's `features`, or ``supportedFeatures``.
    public func supportedFeatures(for configuration: Configuration) -> SupportedFeatures {
        .only(configuration.features ?? Self.features)
    }

    /// The settings ``validateConfig(_:)`` reads.
    public var configurationFields: [ConfigurationField] {
        [
            .apiURL(of: "Twilio API", default: Self.defaultURL),
            ConfigurationField(
                "account_sid_env", level: .service, isRequired: true, help: "The environment variable holding the Account SID shown on the Twilio console.",
                example: "TWILIO_ACCOUNT_SID"),
            ConfigurationField(
                "auth_token", level: .service, isRequired: true, isSecret: true, help: "The Auth Token shown beside the Account SID on the Twilio console.",
                example: "0123456789abcdef0123456789abcdef"),
            ConfigurationField(
                "from", level: .service, help: "A Twilio phone number of the account, in E.164 form.", example: "+41445550100", alternative: "sender"),
            ConfigurationField(
                "messaging_service_sid", level: .service, help: "A Messaging Service's SID (MG…) from the Twilio console.",
                example: "MG0123456789abcdef0123456789abcdef", alternative: "sender"),
            ConfigurationField(
                "features", level: .service, help: "The features SMS takes (failure_alert, alarms); every supported one when not given.",
                example: ["failure_alert"]),
            ConfigurationField("to", level: .scope, isRequired: true, help: "The phone number to text, in E.164 form.", example: "+41445550199"),
        ]
    }

    /// Reads `account_sid_env`, `auth_token_env`, `from` or `messaging_service_sid`, `url`, `features` and `scopes`
    /// (each a `to` number). The former `events` setting is refused with the `features` that replace it.
    public func validateConfig(_ settings: Settings) throws(ConfigurationError) -> Configuration {
        var settings = settings
        let url = try settings.baseURL("url", default: Self.defaultURL, sending: "the auth token")
        guard let sid = try settings.environmentVariableName("account_sid_env") else {
            throw ConfigurationError(path: settings.path(of: "account_sid_env"), reason: "is required: the environment variable holding the Twilio account SID")
        }
        let token = try settings.secretVariable("auth_token", holding: "the Twilio auth token")
        let sender: Sender
        switch (try settings.string("from"), try settings.string("messaging_service_sid")) {
        case (let number?, nil):
            try Settings.checkE164Number(number, path: settings.path(of: "from"))
            sender = .number(number)
        case (nil, let service?):
            guard Self.isSID(service, prefix: "MG") else {
                throw ConfigurationError(path: settings.path(of: "messaging_service_sid"), reason: "\(quoted(service)) is not a Messaging Service SID (MG and 32 hexadecimal digits)")
            }
            sender = .messagingService(service)
        default:
            throw ConfigurationError(path: settings.path, reason: "give either from (an E.164 number) or messaging_service_sid")
        }
        if settings.contains("events") {
            throw ConfigurationError(
                path: settings.path(of: "events"),
                reason: "is replaced by features: name the features SMS takes (failure_alert for FailureAlert, alarms for BEC's alarms)")
        }
        let features = try settings.features("features", within: Self.features, service: id)
        let scopes = try settings.scopes { (scope: inout Settings) throws(ConfigurationError) -> String in
            let number = try scope.requiredString("to")
            try Settings.checkE164Number(number, path: scope.path(of: "to"))
            return number
        }
        try settings.finish()
        return Configuration(url: url, accountSIDVariable: sid, authTokenVariable: token, sender: sender, features: features, scopes: scopes)
    }

    /// The scope names.
    public func scopes(in configuration: Configuration) -> [String] { configuration.scopes.keys.sorted() }

    /// The account SID (shown) and the auth token (secret), both required.
    public func environmentVariables(for configuration: Configuration) -> [EnvironmentVariableDeclaration] {
        [
            EnvironmentVariableDeclaration(name: configuration.accountSIDVariable, purpose: "Twilio account SID", isRequired: true, isSecret: false),
            EnvironmentVariableDeclaration(name: configuration.authTokenVariable, purpose: "Twilio auth token", isRequired: true, isSecret: true),
        ]
    }

    /// Posts `To`, `From` (or `MessagingServiceSid`) and `Body`.
    public func send(_ message: RenderedMessage, to scope: String, configuration: Configuration, through exchange: DeliveryExchange)
        async throws(SendFailure) -> SendReceipt
    {
        guard let number = configuration.scopes[scope] else { throw .rejected(reason: "scope \(scope) is not configured for SMS") }
        guard case .object(let payload) = message.payload.json, case .string(let body)? = payload["Body"] else {
            throw .rejected(reason: "the SMS payload has no Body")
        }
        let sid = try exchange.secret(configuration.accountSIDVariable, purpose: "Twilio account SID")
        guard Self.isSID(sid.value, prefix: "AC") else {
            throw .rejected(reason: "environment variable \(configuration.accountSIDVariable) is not a Twilio account SID (AC and 32 hexadecimal digits)")
        }
        let token = try exchange.secret(configuration.authTokenVariable, purpose: "Twilio auth token")
        let sender: (String, String) = switch configuration.sender {
        case .number(let from): ("From", from)
        case .messagingService(let service): ("MessagingServiceSid", service)
        }
        let form = FormBody.urlEncoded([("To", number), sender, ("Body", body)])
        let credentials = Data("\(sid.value):\(token.value)".utf8).base64EncodedString()
        let response = try await exchange.send(OutgoingRequest(
            url: "\(configuration.url)/2010-04-01/Accounts/\(sid.value)/Messages.json",
            headers: [("Authorization", "Basic \(credentials)"), ("Content-Type", form.contentType)], body: form.body))
        let reference: String? =
            if case .object(let created)? = try? JSONReader().read(response.body), case .string(let messageSID)? = created["sid"] { messageSID } else { nil }
        return SendReceipt(status: response.status, reference: reference)
    }

    /// Whether `sid` is `prefix` and 32 hexadecimal digits, a Twilio SID.
    private static func isSID(_ sid: String, prefix: String) -> Bool {
        sid.hasPrefix(prefix) && sid.utf8.count == prefix.utf8.count + 32
            && sid.dropFirst(prefix.count).unicodeScalars.allSatisfy { $0.properties.isASCIIHexDigit }
    }
}
