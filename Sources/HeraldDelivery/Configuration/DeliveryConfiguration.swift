import Foundation
import Herald
import HeraldCore

/// The destinations file, validated: each configured service with its scopes, the delivery policy, the
/// outbox's location and the settings of `herald serve`.
///
/// ```yaml
/// outbox: herald-outbox.sqlite          # relative to this file, or postgres://herald@db.example.org/herald
/// outbox_password_env: HERALD_DB_PASSWORD  # a PostgreSQL outbox's password (default: PGPASSWORD)
/// attachment_roots: [plots]             # more directories attachment files may come from, relative to this file
/// delivery:
///   request_timeout: 10                 # seconds
///   maximum_attempts: 8
/// features:                            # more features (named groups of events): see FeatureCatalogue
///   beamtime: {events: [beamtime_started, beamtime_ended], default: on}
/// services:
///   teams:
///     scopes:
///       operators: {webhook_url_env: TEAMS_OPERATORS_WEBHOOK_URL}
/// server:                               # herald serve: see ServerSettings
///   tokens: [{name: bec, token_env: HERALD_BEC_TOKEN, role: notify}]
/// destinations: {secret_key_env: HERALD_DESTINATION_KEY}   # destinations created at run time: see DestinationSettings
/// integrations:                         # the integration endpoints: see IntegrationSettings
///   printer_farm: {image_fetch: {allow_private_networks: [192.168.1.0/24]}}
/// ```
///
/// Secrets (tokens, webhook URLs) are never in the file: a setting `X_env` names the environment variable that
/// holds secret `X`, and a secret written inline is an error.
public struct DeliveryConfiguration: Sendable {
    /// The configured services.
    public var services: [Service: ConfiguredService]
    /// Timeouts, retries and concurrency.
    public var policy: DeliveryPolicy
    /// Where the outbox is (`outbox`, with `outbox_password_env` for PostgreSQL); `nil` when the file names none.
    public var outboxLocation: OutboxLocation?
    /// The SQLite outbox's path, absolute or relative to the current directory; `nil` when the file names none or
    /// a PostgreSQL outbox. Setting it sets ``outboxLocation``.
    public var outboxPath: String? {
        get { if case .sqlite(let path)? = outboxLocation { path } else { nil } }
        set { outboxLocation = newValue.map { .sqlite(path: $0) } }
    }
    /// Directories, besides a message file's own, that its attachment files may lie in (`attachment_roots`),
    /// absolute or relative to the current directory.
    public var attachmentRoots: [String] = []
    /// The settings of `herald serve` (`server`): tokens, request and rate limits, shutdown grace.
    public var server = ServerSettings()
    /// The built-in features and those the file declares (`features`).
    public var features = FeatureCatalogue.builtIn
    /// The settings of destinations created at run time (`destinations`): the variable of their secrets' key.
    public var destinations = DestinationSettings()
    /// Each configured service's settings as the file gives them, for validating a destination created at run time
    /// against the service-wide ones.
    public var serviceSettings: [Service: JSONValue] = [:]
    /// The settings of the integration endpoints (`integrations`): see ``IntegrationSettings``.
    public var integrations = IntegrationSettings()

    /// A configuration from parts.
    public init(services: [ConfiguredService], policy: DeliveryPolicy = DeliveryPolicy(), outboxPath: String? = nil) {
        self.services = Dictionary(services.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        self.policy = policy
        outboxLocation = outboxPath.map { .sqlite(path: $0) }
    }

    /// Reads and validates the destinations file at `path`, refusing one over 1 MiB before reading it.
    public init(contentsOf path: String) throws(ConfigurationError) {
        let tooLarge = ConfigurationError(file: path, path: "", reason: YAMLReader.tooLargeReason)
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > YAMLReader.maximumBytes {
            throw tooLarge
        }
        // Read at most one byte past the cap: a device or a pipe has no size to check beforehand.
        let unreadable = ConfigurationError(file: path, path: "", reason: "cannot be read")
        guard let handle = FileHandle(forReadingAtPath: path) else { throw unreadable }
        defer { try? handle.close() }
        let data: Data
        do { data = try handle.read(upToCount: YAMLReader.maximumBytes + 1) ?? Data() } catch { throw unreadable }
        guard data.count <= YAMLReader.maximumBytes else { throw tooLarge }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(file: path, path: "", reason: "is not UTF-8 text")
        }
        do throws(ConfigurationError) {
            try self.init(yaml: text, baseDirectory: URL(fileURLWithPath: path).deletingLastPathComponent().path)
        } catch {
            throw ConfigurationError(file: path, path: error.path, reason: error.reason)
        }
    }

    /// Validates a destinations document; relative `outbox` and `attachment_roots` paths are resolved against
    /// `baseDirectory`.
    public init(yaml: String, baseDirectory: String? = nil) throws(ConfigurationError) {
        try self.init(settings: try Settings(YAMLReader.read(yaml), path: ""), baseDirectory: baseDirectory)
    }

    /// Validates settings already read into a tree (`outbox`, `attachment_roots`, `delivery`, `features`,
    /// `services`).
    public init(settings root: Settings, baseDirectory: String? = nil) throws(ConfigurationError) {
        var root = root
        func resolve(_ path: String) -> String {
            baseDirectory.map { URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: $0, isDirectory: true)).path } ?? path
        }
        let passwordVariable = try root.string("outbox_password_env")
        if let outbox = try root.string("outbox") {
            do throws(DeliveryError) {
                outboxLocation = try OutboxLocation(outbox, passwordVariable: passwordVariable, resolve: resolve)
            } catch {
                if case .invalidConfiguration(let error) = error { throw error }
                throw ConfigurationError(path: "outbox", reason: error.description)
            }
        }
        if passwordVariable != nil {
            guard case .postgres? = outboxLocation else {
                throw ConfigurationError(path: "outbox_password_env", reason: "only a postgres:// outbox takes a password")
            }
        }
        attachmentRoots = try root.strings("attachment_roots")?.map(resolve) ?? []
        for (index, directory) in attachmentRoots.enumerated() {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ConfigurationError(path: "attachment_roots[\(index)]", reason: "\(quoted(directory, limit: echoedValueLimit)) is not a directory")
            }
        }
        policy = try root.settings("delivery").map(Self.policy) ?? DeliveryPolicy()
        server = try root.settings("server").map(ServerSettings.init(settings:)) ?? ServerSettings()
        features = try root.settings("features").map(FeatureCatalogue.init(declarations:)) ?? .builtIn
        destinations = try root.settings("destinations").map(DestinationSettings.init(settings:)) ?? DestinationSettings()
        integrations = try root.settings("integrations").map(IntegrationSettings.init(settings:)) ?? IntegrationSettings()
        services = [:]
        if var servicesSettings = try root.settings("services") {
            for key in servicesSettings.keys {
                guard let service = Service(id: key), let plugin = service.plugin else {
                    throw ConfigurationError(
                        path: servicesSettings.path(of: key), reason: "unknown service; expected one of \(Service.catalogueIDs)")
                }
                guard let settings = try servicesSettings.settings(key) else { continue }
                services[service] = try Self.configure(plugin, settings)
                serviceSettings[service] = settings.jsonValue
            }
            try servicesSettings.finish()
        }
        try root.finish()
    }

    static func configure<Plugin: ServicePlugin>(_ plugin: Plugin, _ settings: Settings) throws(ConfigurationError) -> ConfiguredService {
        try ConfiguredService(plugin: plugin, settings: settings)
    }

    private static func policy(_ settings: Settings) throws(ConfigurationError) -> DeliveryPolicy {
        var settings = settings
        var policy = DeliveryPolicy()
        if let value = try settings.seconds("request_timeout") { policy.requestTimeout = value }
        if let value = try settings.integer("maximum_attempts", in: 1...100) { policy.maximumAttempts = value }
        if let value = try settings.integer("maximum_interrupted_attempts", in: 1...100) { policy.maximumInterruptedAttempts = value }
        if let value = try settings.seconds("initial_backoff") { policy.initialBackoff = value }
        if let value = try settings.seconds("maximum_backoff") { policy.maximumBackoff = value }
        if let value = try settings.seconds("maximum_retry_after") { policy.maximumRetryAfter = value }
        if let value = try settings.integer("concurrency", in: 1...256) { policy.concurrency = value }
        if let value = try settings.seconds("lease_margin") { policy.leaseMargin = value }
        if let value = try settings.seconds("poll_interval") { policy.pollInterval = value }
        if let value = try settings.seconds("keep_delivered") { policy.keepDelivered = value }
        guard policy.requestTimeout > .zero else {
            throw ConfigurationError(path: settings.path(of: "request_timeout"), reason: "must be more than 0 seconds")
        }
        try settings.finish()
        return policy
    }

    /// Every secret the configured services, the server's tokens and the run-time destinations' key read that is set
    /// in `environment`, for redaction.
    public func secrets(in environment: DeliveryEnvironment) -> [Secret] {
        services.values.flatMap(\.environmentVariables).filter(\.isSecret).compactMap { environment.secret($0.name) }
            + server.tokens.compactMap { environment.secret($0.environmentVariable) }
            + [destinations.secretKeyVariable].compactMap { $0.flatMap(environment.secret) }
    }
}
