import Foundation
import HeraldDelivery
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// `herald serve`: Herald as an authenticated HTTP service. The API (described by the OpenAPI 3.1 document
/// ``openAPIDocument``, also served at `GET /openapi.yaml`) and the delivery worker run in one process, configured
/// by the destinations file (its `server` section: ``ServerSettings``).
///
/// ```swift
/// let server = try HeraldServer(configuration: configuration, outbox: outbox, environment: .process, logger: logger)
/// let group = ServiceGroup(services: server.services(), gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
/// try await group.run()
/// ```
///
/// A notification is acknowledged (202) only once the outbox holds it. On graceful shutdown the HTTP server stops
/// first (no new connections; requests under way are answered), then the worker drains: attempts under way may
/// finish within `server.shutdown_grace_period`, and those that do not have their leases given back so that the
/// next worker resends them at once.
public struct HeraldServer: Sendable {
    /// The OpenAPI 3.1 document, the API's source of truth (`Sources/HeraldServer/openapi.yaml`, compiled in).
    public static var openAPIDocument: [UInt8] { PackageResources.openapi_yaml }

    /// Every operation the server answers, with the role each needs.
    public static var operations: [APIOperation] { HeraldAPI.endpoints.map(\.operation) }

    private let api: HeraldAPI
    private let address: ListenAddress
    private let logger: Logger

    /// A server for `configuration` on `outbox`, reading its tokens and the services' secrets from `environment`,
    /// listening on `address`. Without tokens in the destinations file it refuses to start, unless `openOnLoopback`
    /// and `address` is a loopback address; then every caller may do everything. Times (rate limits, the outbox's
    /// records) come from `clock`.
    public init(
        configuration: DeliveryConfiguration, outbox: Outbox, environment: DeliveryEnvironment, address: ListenAddress = .default,
        openOnLoopback: Bool = false, logger: Logger, clock: @escaping @Sendable () -> Date = Date.init
    ) throws(ServerSetupError) {
        let declared = configuration.server.tokens.count
        if openOnLoopback {
            guard declared == 0 else {
                throw .usage(
                    "--insecure-open-loopback runs without tokens, but the destinations file declares \(declared) under server.tokens; drop one or the other")
            }
            guard address.isLoopback else {
                throw .usage("--insecure-open-loopback needs a loopback --listen address (127.0.0.1, ::1 or localhost), not \(address)")
            }
        } else if declared == 0 {
            throw .configuration(ConfigurationError(
                path: "server.tokens",
                reason: "declares no token: herald serve does not start without one ({name, token_env, role}), unless --insecure-open-loopback runs it open on a loopback address"))
        }
        let tokens: AccessTokens
        do throws(ConfigurationError) {
            tokens = try AccessTokens(configuration.server, in: environment)
            _ = try configuration.destinations.key(in: environment)
        } catch {
            throw .configuration(error)
        }
        let metrics = ServerMetrics()
        let notifier = Notifier(
            configuration: configuration, outbox: outbox, environment: environment, logger: logger, clock: clock, metrics: metrics.factory)
        api = HeraldAPI(
            notifier: notifier, settings: configuration.server, tokens: tokens, isOpen: openOnLoopback,
            rateLimiter: RateLimiter(limit: configuration.server.rateLimit, clock: clock),
            redactor: SecretRedactor(secrets: configuration.secrets(in: environment)), environment: environment, metrics: metrics)
        self.address = address
        self.logger = logger
    }

    /// The longest a graceful shutdown should take before a service group cancels what is left: the HTTP server's
    /// requests and the worker's grace period, with a margin for answering and recording.
    public var maximumShutdownDuration: Duration { api.settings.shutdownGracePeriod * 2 + .seconds(30) }

    /// The services to run in one `ServiceGroup`: the delivery worker, then the HTTP server, so that a graceful
    /// shutdown stops the HTTP server first and drains the worker after it. `onListening` is told the port once the
    /// server listens (the one chosen for port 0). Without `delivering`, only the HTTP server: an instance that
    /// accepts notifications for other instances sharing the outbox to deliver.
    public func services(
        delivering: Bool = true, onListening: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
    ) -> [any Service] {
        if !address.isLoopback {
            logger.warning("listening on \(address), beyond loopback, over plain HTTP: bearer tokens cross the network in clear text unless a TLS proxy is in front")
        }
        let router = Router(context: APIRequestContext.self)
        router.add(middleware: ErrorMiddleware(logger: logger))
        router.register(api)
        let address = address
        let application = Application(
            router: router, configuration: .init(address: .hostname(address.host, port: address.port)),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? address.port) }, logger: logger)
        guard delivering else { return [application] }
        return [DeliveryService(notifier: api.notifier, gracePeriod: api.settings.shutdownGracePeriod), application]
    }
}

extension HeraldServer {
    /// One line for an error the service group stopped with: a socket error as `127.0.0.1:8470: Address already in
    /// use (errno 98)` (the usual one: the address is taken), anything else as it describes itself.
    public func describe(_ error: any Error) -> String {
        guard let error = error as? IOError else { return "\(address): \(error)" }
        return "\(address): \(String(cString: strerror(error.errnoCode))) (errno \(error.errnoCode))"
    }
}

/// Why `herald serve` cannot start: the destinations file or the environment (exit 78), or the command line (64).
public enum ServerSetupError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A token is missing, unset or duplicated.
    case configuration(ConfigurationError)
    /// The options do not fit together, or `--listen` is not `HOST:PORT`.
    case usage(String)

    /// One line for an `error:` message.
    public var description: String {
        switch self {
        case .configuration(let error): error.description
        case .usage(let reason): reason
        }
    }
}
