import Herald

/// A service's delivery plugin, after the printer-farm server's notification plugins: an id, configuration
/// validation, declared environment variables, supported features, capabilities, rendering and sending.
///
/// Plugins are stateless values. What one destination needs (a webhook URL's variable, a logbook id) lives in the
/// plugin's ``Configuration``, checked once by ``validateConfig(_:)``; secrets stay in the environment and are read
/// through ``DeliveryExchange/secret(_:purpose:)`` at the moment of sending.
public protocol ServicePlugin: Sendable {
    /// The plugin's cleaned settings for one service: the service-wide values and every scope.
    associatedtype Configuration: Hashable, Sendable

    /// The service this plugin delivers to; its `id` is the key under `services:` in the destinations file.
    var id: Service { get }
    /// The features (named groups of events, see ``Feature``) the plugin supports; by default every feature. A
    /// route of an event in an unsupported feature, and a toggle of such a feature, are refused.
    var supportedFeatures: SupportedFeatures { get }
    /// The features one configuration supports (an SMS account limited to failure alerts, say); by default
    /// ``supportedFeatures``.
    func supportedFeatures(for configuration: Configuration) -> SupportedFeatures
    /// What the service can show.
    var capabilities: Capabilities { get }
    /// The settings ``validateConfig(_:)`` reads, service-wide ones first, for a configuration form; the catalogue
    /// test checks that a configuration made of their examples is accepted and that each required one is required.
    var configurationFields: [ConfigurationField] { get }

    /// Checks the service's settings (the mapping under `services.<id>`) and returns them cleaned, or throws an
    /// error naming the offending setting. Secrets written inline are refused.
    func validateConfig(_ settings: Settings) throws(ConfigurationError) -> Configuration
    /// The scopes (named destinations) the configuration defines, sorted.
    func scopes(in configuration: Configuration) -> [String]
    /// The environment variables the configuration reads.
    func environmentVariables(for configuration: Configuration) -> [EnvironmentVariableDeclaration]
    /// Renders `message` into the payload this configuration sends.
    func render(_ message: NotificationMessage, configuration: Configuration) throws(RenderError) -> Rendering
    /// Delivers one message of a rendering to one scope through `exchange`, which adds the idempotency key and
    /// judges answers. It makes at most one request per attachment plus one: the outbox's lease on an attempt
    /// assumes so. A rendering of several messages is sent one message at a time, in order.
    func send(_ message: RenderedMessage, to scope: String, configuration: Configuration, through exchange: DeliveryExchange)
        async throws(SendFailure) -> SendReceipt
    /// The service's documented rate limits on a send to `scope`, per destination and per credential (see
    /// ``RateLimitRule``); none by default. The destinations file may override them.
    func rateLimits(for scope: String, configuration: Configuration) -> [RateLimitRule]
    /// Sends a short test message to one scope, so that a person can see the destination works.
    func sendTestMessage(to scope: String, configuration: Configuration, through exchange: DeliveryExchange)
        async throws(SendFailure) -> SendReceipt
}

extension ServicePlugin {
    /// Every feature.
    public var supportedFeatures: SupportedFeatures { .all }

    /// ``supportedFeatures``, whatever the configuration.
    public func supportedFeatures(for configuration: Configuration) -> SupportedFeatures { supportedFeatures }

    /// The service's renderer, whatever the configuration; a plugin whose configuration changes the payload (a
    /// transport, uploads) renders itself.
    public func render(_ message: NotificationMessage, configuration: Configuration) throws(RenderError) -> Rendering {
        try id.renderer.render(message)
    }

    /// No rate limit.
    public func rateLimits(for scope: String, configuration: Configuration) -> [RateLimitRule] { [] }

    /// Renders ``testMessage(scope:service:)`` and sends its messages in order; the receipt is the last one's.
    public func sendTestMessage(to scope: String, configuration: Configuration, through exchange: DeliveryExchange)
        async throws(SendFailure) -> SendReceipt
    {
        let rendering: Rendering
        do throws(RenderError) {
            rendering = try render(Self.testMessage(scope: scope, service: id), configuration: configuration)
        } catch {
            throw .rejected(reason: error.reason)
        }
        var receipt: SendReceipt?
        for (index, message) in rendering.messages.enumerated() {
            let messageExchange = exchange.forMessage(index, of: rendering.messages.count)
            receipt = try await send(message, to: scope, configuration: configuration, through: messageExchange)
        }
        guard let receipt else { preconditionFailure("a rendering has at least one message") }
        return receipt
    }

    /// `Herald test message` with a line naming the destination.
    static func testMessage(scope: String, service: Service) -> NotificationMessage {
        var message = NotificationMessage.plainText("If you can read this, Herald can deliver to \(service.displayName) scope \"\(scope)\".")
        try? message.setTitle("Herald test message")
        return message
    }
}

/// What a service answered to a successful delivery.
public struct SendReceipt: Hashable, Sendable {
    /// The HTTP status of the last request.
    public var status: Int
    /// The service's reference for what it created, when it gives one (a snippet id, a message timestamp).
    public var reference: String?

    /// Creates a receipt.
    public init(status: Int, reference: String? = nil) {
        self.status = status
        self.reference = reference
    }
}

extension NotificationMessage {
    /// A message of one unstyled text run: what `notify(event, "text")` sends.
    public static func plainText(_ text: String) -> NotificationMessage {
        var message = NotificationMessage.empty
        message.addText(text, style: TextStyle())
        return message
    }

    /// A message with no parts.
    static var empty: NotificationMessage {
        guard let message = try? NotificationMessage() else { preconditionFailure("an empty message is always valid") }
        return message
    }
}
