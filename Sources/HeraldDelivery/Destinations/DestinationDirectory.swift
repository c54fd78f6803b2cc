import Foundation
import Herald
import HeraldCore

/// Where deliveries can go: the destinations file's services and scopes, merged with the destinations created at
/// run time and stored in the outbox. This is the view routing, the worker and test messages work with.
///
/// A directory is an immutable snapshot of one version of the stored destinations (``version``); a ``Notifier``
/// keeps the current one and reads the rows again only when the outbox's version counter has moved, which any
/// process on the same outbox moves when it creates, replaces or removes one. A stored destination whose secrets do
/// not open or whose config its plugin no longer takes is kept as unusable, with the reason: its scope is still
/// known (so its routes are no orphans), and deliveries to it fail with that reason.
public struct DestinationDirectory: Sendable {
    /// The destinations file.
    public let file: DeliveryConfiguration
    /// The version of the stored destinations this snapshot holds.
    public let version: Int
    /// The stored destinations in (service, name) order, as listed.
    public let stored: [DestinationListing]
    /// Finds every secret in text: the file's, the server's tokens, the destinations' key and every stored
    /// destination's.
    public let redactor: SecretRedactor
    /// Why the destinations' key cannot be read, when it cannot.
    let keyProblem: ConfigurationError?
    private let usable: [Destination: RuntimeDestination]
    private let unusable: [Destination: RuntimeDestination.LoadFailure]
    private let environment: DeliveryEnvironment

    /// The directory of `file` with no stored destination.
    init(file: DeliveryConfiguration, environment: DeliveryEnvironment) {
        self.init(file: file, version: -1, rows: [], environment: environment)
    }

    /// The directory of `file` with the stored `rows` at `version`, their secrets opened with the key from
    /// `environment`.
    init(file: DeliveryConfiguration, version: Int, rows: [StoredDestination], environment: DeliveryEnvironment) {
        self.file = file
        self.version = version
        self.environment = environment
        var key: DestinationKey?
        do throws(ConfigurationError) { key = try file.destinations.key(in: environment); keyProblem = nil } catch { keyProblem = error }
        var usable: [Destination: RuntimeDestination] = [:]
        var unusable: [Destination: RuntimeDestination.LoadFailure] = [:]
        var listings: [DestinationListing] = []
        for row in rows {
            guard let service = Service(id: row.service) else { continue }
            let destination = Destination(service: service, scope: row.name)
            var listing = DestinationListing(
                destination: destination, origin: .api, settings: [:], secretNames: row.secretNames, createdAt: row.createdAt,
                updatedAt: row.updatedAt)
            switch RuntimeDestination.load(row, key: key, file: file) {
            case .success(let loaded):
                usable[destination] = loaded
                listing.settings = loaded.settings
            case .failure(let failure):
                unusable[destination] = failure
                if case .object(let settings)? = try? JSONReader().read(row.settings) { listing.settings = settings }
                listing.problem = failure.reason
            }
            listings.append(listing)
        }
        self.usable = usable
        self.unusable = unusable
        self.stored = listings
        redactor = SecretRedactor(
            secrets: file.secrets(in: environment) + usable.values.flatMap { $0.secrets.values.map(Secret.init) })
    }

    /// Every destination, the file's then the stored ones, each sorted by service and name.
    public var all: [DestinationListing] {
        let fromFile = file.services.values.flatMap { service in
            service.scopes.map { DestinationListing(destination: Destination(service: service.id, scope: $0), origin: .file) }
        }
        return fromFile.sorted { $0.destination < $1.destination } + stored
    }

    /// The listing of `destination`, from the file or stored; `nil` when neither defines it.
    public func listing(of destination: Destination) -> DestinationListing? {
        if file.services[destination.service]?.scopes.contains(destination.scope) == true {
            return DestinationListing(destination: destination, origin: .file)
        }
        return stored.first { $0.destination == destination }
    }

    /// The scopes of `service`, the file's and the stored ones, sorted.
    public func scopes(of service: Service) -> [String] {
        ((file.services[service]?.scopes ?? []) + stored.filter { $0.destination.service == service }.map(\.destination.scope)).sorted()
    }

    /// Whether the file or a stored destination defines `scope` of the service named `service`.
    func defines(service: String, scope: String) -> Bool {
        guard let service = Service(id: service) else { return false }
        return scopes(of: service).contains(scope)
    }

    /// The configured service that delivers to `destination` and the environment its secrets are read from (the
    /// process's, with a stored destination's inline secrets overlaid), or why it cannot be delivered to.
    func target(for destination: Destination) -> Result<DeliveryTarget, DeliveryTargetFailure> {
        if let service = file.services[destination.service], service.scopes.contains(destination.scope) {
            return .success(DeliveryTarget(service: service, environment: environment))
        }
        if let stored = usable[destination] {
            return .success(DeliveryTarget(service: stored.service, environment: environment.overlaying(stored.overlay)))
        }
        if let failure = unusable[destination] {
            return .failure(.unusable("\(destination) cannot be used: \(failure.reason)"))
        }
        let known = scopes(of: destination.service)
        return .failure(.unknownScope(
            known.isEmpty
                ? "\(destination.service.id) is not configured in the destinations file"
                : "\(destination.service.id) has no scope \(quoted(destination.scope)); configured: \(known.joined(separator: ", "))"))
    }

    /// ``target(for:)``, its failure thrown as ``DeliveryError/invalidRoute(_:)``.
    func deliveryTarget(for destination: Destination) throws(DeliveryError) -> DeliveryTarget {
        switch target(for: destination) {
        case .success(let target): return target
        case .failure(let failure): throw .invalidRoute(failure.reason)
        }
    }

    /// Throws when the stored destinations' secrets cannot be opened: the key's variable is unset or malformed, or
    /// a key is missing or wrong for some of them. The error names the variable.
    func checkSecretsOpen() throws(DeliveryError) {
        if let keyProblem { throw .invalidConfiguration(keyProblem) }
        let locked = unusable.filter { if case .unusable = $0.value { false } else { true } }
        guard let first = locked.min(by: { $0.key < $1.key }) else { return }
        throw .invalidConfiguration(ConfigurationError(
            path: "destinations.secret_key_env",
            reason: "\(locked.count) stored destination\(locked.count == 1 ? "" : "s") cannot be opened, e.g. \(first.key): \(first.value.reason)"))
    }
}

/// What delivers to one destination: its configured service and the environment it reads secrets from.
struct DeliveryTarget: Sendable {
    /// The plugin with its configuration.
    let service: ConfiguredService
    /// The environment, a stored destination's inline secrets overlaid.
    let environment: DeliveryEnvironment
}

/// Why a destination cannot be delivered to.
enum DeliveryTargetFailure: Error, Hashable, Sendable {
    /// Neither the file nor a stored destination defines it.
    case unknownScope(String)
    /// It is stored but cannot be used.
    case unusable(String)

    /// A sentence.
    var reason: String {
        switch self {
        case .unknownScope(let reason), .unusable(let reason): reason
        }
    }
}

/// One destination as listed: the file's or stored (`origin`), with a stored one's settings that are not secret,
/// the names of its secret settings (never their values), its times, and why it cannot be used when it cannot.
public struct DestinationListing: Hashable, Sendable {
    /// Where a destination is defined.
    public enum Origin: String, Hashable, Sendable {
        /// The destinations file.
        case file
        /// Created at run time through the API or `herald destinations add`, stored in the outbox.
        case api
    }

    /// The service and name.
    public var destination: Destination
    /// Where it is defined.
    public var origin: Origin
    /// A stored destination's settings that are not secret; empty for the file's.
    public var settings: [String: JSONValue] = [:]
    /// The names of a stored destination's secret settings, which are set; their values are never shown.
    public var secretNames: [String] = []
    /// When a stored destination was created.
    public var createdAt: Date?
    /// When a stored destination's config last changed.
    public var updatedAt: Date?
    /// Why a stored destination cannot be used; `nil` when it can.
    public var problem: String?

    /// `{"service", "name", "origin"}`, and for a stored destination `config` (the settings that are not secret),
    /// `secret_settings` (the names of the secret ones, set and never shown), `created_at`, `updated_at` and, when
    /// it cannot be used, `problem`.
    public var jsonValue: JSONValue {
        var object: [String: JSONValue] = [
            "service": .string(destination.service.id), "name": .string(destination.scope), "origin": .string(origin.rawValue),
        ]
        if origin == .api {
            object["config"] = .object(settings)
            object["secret_settings"] = .array(secretNames.map(JSONValue.string))
        }
        if let createdAt { object["created_at"] = .string(DeliveryStatus.timestamp(createdAt)) }
        if let updatedAt { object["updated_at"] = .string(DeliveryStatus.timestamp(updatedAt)) }
        if let problem { object["problem"] = .string(problem) }
        return .object(object)
    }
}
