import Herald

/// A plugin together with its validated configuration: everything delivery needs to know about one service.
public struct ConfiguredService: Sendable {
    /// The service.
    public let id: Service
    /// The configured scopes, sorted.
    public let scopes: [String]
    /// The environment variables the configuration reads.
    public let environmentVariables: [EnvironmentVariableDeclaration]
    /// The features the plugin supports with this configuration.
    public let supportedFeatures: SupportedFeatures
    /// What the service can show.
    public let capabilities: Capabilities
    private let binding: any ServiceBinding
    private let rateLimitOverrides: RateLimitOverrides

    /// Validates `settings` with `plugin`.
    init<Plugin: ServicePlugin>(plugin: Plugin, settings: Settings) throws(ConfigurationError) {
        var settings = settings
        rateLimitOverrides = try RateLimitOverrides.extract(from: &settings)
        let configuration = try plugin.validateConfig(settings)
        self.id = plugin.id
        self.scopes = plugin.scopes(in: configuration)
        self.environmentVariables = plugin.environmentVariables(for: configuration)
        self.supportedFeatures = plugin.supportedFeatures(for: configuration)
        self.capabilities = plugin.capabilities
        self.binding = Binding(plugin: plugin, configuration: configuration)
    }

    /// The rate limits on a send to `scope`: the plugin's, as the destinations file overrides them.
    public func rateLimits(for scope: String) -> [RateLimitRule] {
        rateLimitOverrides.applied(to: binding.rateLimits(for: scope), service: id, scope: scope)
    }

    /// The status of every declared environment variable in `environment`.
    public func environmentStatus(in environment: DeliveryEnvironment) -> [EnvironmentVariableStatus] {
        environmentVariables.map { EnvironmentVariableStatus($0, in: environment) }
    }

    /// Renders `message` as this service will receive it.
    public func render(_ message: NotificationMessage) throws(RenderError) -> Rendering {
        try binding.render(message)
    }

    /// Sends one message of a rendering to `scope`. The receipt's reference, which the service chose, is made fit
    /// to show.
    func send(_ message: RenderedMessage, to scope: String, through exchange: DeliveryExchange) async throws(SendFailure) -> SendReceipt {
        Self.shown(try await binding.send(message, to: scope, through: exchange), through: exchange)
    }

    /// Sends the plugin's test message to `scope`. The receipt's reference is made fit to show.
    func sendTestMessage(to scope: String, through exchange: DeliveryExchange) async throws(SendFailure) -> SendReceipt {
        Self.shown(try await binding.sendTestMessage(to: scope, through: exchange), through: exchange)
    }

    /// `receipt` with its reference passed through ``DeliveryExchange/echoed(_:)``.
    private static func shown(_ receipt: SendReceipt, through exchange: DeliveryExchange) -> SendReceipt {
        var receipt = receipt
        receipt.reference = receipt.reference.map(exchange.echoed)
        return receipt
    }
}

/// A plugin's operations with its configuration filled in, so that plugins of different configuration types can
/// sit in one collection.
private protocol ServiceBinding: Sendable {
    func render(_ message: NotificationMessage) throws(RenderError) -> Rendering
    func send(_ message: RenderedMessage, to scope: String, through exchange: DeliveryExchange) async throws(SendFailure) -> SendReceipt
    func sendTestMessage(to scope: String, through exchange: DeliveryExchange) async throws(SendFailure) -> SendReceipt
    func rateLimits(for scope: String) -> [RateLimitRule]
}

private struct Binding<Plugin: ServicePlugin>: ServiceBinding {
    let plugin: Plugin
    let configuration: Plugin.Configuration

    func render(_ message: NotificationMessage) throws(RenderError) -> Rendering {
        try plugin.render(message, configuration: configuration)
    }

    func send(_ message: RenderedMessage, to scope: String, through exchange: DeliveryExchange) async throws(SendFailure) -> SendReceipt {
        try await plugin.send(message, to: scope, configuration: configuration, through: exchange)
    }

    func sendTestMessage(to scope: String, through exchange: DeliveryExchange) async throws(SendFailure) -> SendReceipt {
        try await plugin.sendTestMessage(to: scope, configuration: configuration, through: exchange)
    }

    func rateLimits(for scope: String) -> [RateLimitRule] {
        plugin.rateLimits(for: scope, configuration: configuration)
    }
}
