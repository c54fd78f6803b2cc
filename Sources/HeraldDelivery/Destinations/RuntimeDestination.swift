import Foundation
import Herald
import HeraldCore

/// A destination created at run time (through `POST /v1/destinations` or `herald destinations add`), validated: a
/// scope of a service kept in the outbox instead of the destinations file.
///
/// Its `config` is checked by the service's plugin exactly as if it were `services.<service>.scopes.<name>` in the
/// destinations file, merged with that service's service-wide settings from the file (a bot token's variable, an
/// SMTP host). The one difference: a per-destination secret (a webhook URL) is written inline (`webhook_url`)
/// where the file names a variable (`webhook_url_env`), and naming a variable of the server is refused. The plugin
/// reads such a secret under a synthetic variable name (``Settings/inlineSecretVariable(at:)``), which
/// ``environment(over:)`` overlays on the process's environment when sending, so the plugins stay unchanged.
struct RuntimeDestination: Sendable {
    /// The longest destination name.
    static let maximumNameLength = 100

    /// Its service and name.
    let destination: Destination
    /// The plugin with the file's service-wide settings and this destination as its one scope.
    let service: ConfiguredService
    /// The config's settings that are not secret.
    let settings: [String: JSONValue]
    /// The config's secret settings: name → value. Never shown, logged or stored in plain text.
    let secrets: [String: String]

    /// Validates `config` for `destination` against `file`; an error names `service`, `name` or `config.<setting>`.
    init(_ destination: Destination, config: JSONValue, file: DeliveryConfiguration) throws(DestinationError) {
        let service = destination.service
        guard let plugin = service.plugin else {
            throw .invalid(path: "service", reason: "\(service.id) has no delivery plugin")
        }
        try Self.checkName(destination.scope)
        guard case .object(let members) = config else {
            throw .invalid(path: "config", reason: "expected a mapping of settings, found \(config.typeDescription)")
        }
        let limit = DestinationSettings.maximumConfigBytes
        guard JSONWriter().bytes(config).count <= limit else {
            throw .invalid(path: "config", reason: "is larger than \(limit) bytes")
        }
        let servicePath = "services.\(service.id)"
        let scopePath = "\(servicePath).scopes.\(destination.scope)"
        var merged: [String: JSONValue] = [:]
        if case .object(let fileSettings)? = file.serviceSettings[service] { merged = fileSettings }
        merged["scopes"] = .object([destination.scope: config])
        let configured: ConfiguredService
        do throws(ConfigurationError) {
            var settings = try Settings(.object(merged), path: servicePath)
            settings.runtimePath = scopePath
            configured = try DeliveryConfiguration.configure(plugin, settings)
        } catch {
            throw Self.mapped(error, scopePath: scopePath, service: service, inFile: file.serviceSettings[service] != nil)
        }
        var settings: [String: JSONValue] = [:]
        var secrets: [String: String] = [:]
        let declared = Dictionary(configured.environmentVariables.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for (key, value) in members {
            if case .string(let text) = value, let declaration = declared[Settings.inlineSecretVariable(at: "\(scopePath).\(key)")] {
                if let refusal = EnvironmentVariableStatus(declaration, in: DeliveryEnvironment([declaration.name: text])).refusal {
                    throw .invalid(path: "config.\(key)", reason: "is refused: \(refusal)")
                }
                secrets[key] = text
            } else {
                settings[key] = value
            }
        }
        self.destination = destination
        self.service = configured
        self.settings = settings
        self.secrets = secrets
    }

    /// The destination stored in `row`, its secrets opened with `key`; a reason when it cannot be used (the key does
    /// not open them, or the plugin no longer takes its config).
    static func load(_ row: StoredDestination, key: DestinationKey?, file: DeliveryConfiguration) -> Result<RuntimeDestination, LoadFailure> {
        guard let service = Service(id: row.service) else { return .failure(.unusable("unknown service")) }
        let destination = Destination(service: service, scope: row.name)
        guard case .object(var config)? = try? JSONReader().read(row.settings) else {
            return .failure(.unusable("its stored settings cannot be read"))
        }
        if let box = row.sealedSecrets {
            guard let key else { return .failure(.noKey) }
            guard let secrets = key.open(box, for: destination) else { return .failure(.wrongKey(key.variable)) }
            for (name, value) in secrets { config[name] = .string(value) }
        }
        do throws(DestinationError) {
            return .success(try RuntimeDestination(destination, config: .object(config), file: file))
        } catch {
            return .failure(.unusable(error.description))
        }
    }

    /// Why a stored destination cannot be used.
    enum LoadFailure: Error, Hashable, Sendable {
        /// It has secrets and no key is configured.
        case noKey
        /// The key in this variable does not open its secrets.
        case wrongKey(String)
        /// Anything else, said in a sentence.
        case unusable(String)

        /// A sentence.
        var reason: String {
            switch self {
            case .noKey:
                "its secrets are sealed, and the destinations file names no key (destinations.secret_key_env)"
            case .wrongKey(let variable):
                "the key in environment variable \(variable) does not open its secrets: they were sealed with another key"
            case .unusable(let reason): reason
            }
        }
    }

    /// The row to store, its secrets sealed with `key`; without a key, a destination with secrets is refused.
    func stored(key: DestinationKey?, createdAt: Date, updatedAt: Date) throws(DestinationError) -> StoredDestination {
        var box: Data?
        if !secrets.isEmpty {
            guard let key else {
                let names = secrets.keys.sorted().map { "config.\($0)" }.joined(separator: ", ")
                throw .invalid(
                    path: "config.\(secrets.keys.sorted()[0])",
                    reason: "\(names) holds a secret, stored only sealed with a key, and the destinations file configures none: set destinations.secret_key_env (32 random bytes in base64 in that variable)")
            }
            box = try key.seal(secrets, for: destination)
        }
        return StoredDestination(
            service: destination.service.id, name: destination.scope, settings: JSONWriter().bytes(.object(settings)),
            secretNames: secrets.keys.sorted(), sealedSecrets: box, createdAt: createdAt, updatedAt: updatedAt)
    }

    /// The secrets under their synthetic variable names, for ``DeliveryEnvironment/overlaying(_:)``.
    var overlay: [String: String] {
        let scopePath = "services.\(destination.service.id).scopes.\(destination.scope)"
        return Dictionary(uniqueKeysWithValues: secrets.map { (Settings.inlineSecretVariable(at: "\(scopePath).\($0.key)"), $0.value) })
    }

    /// Refuses a name that is not a scope name or is too long.
    static func checkName(_ name: String) throws(DestinationError) {
        guard name.count <= maximumNameLength else {
            throw .invalid(path: "name", reason: "is longer than \(maximumNameLength) characters")
        }
        guard Settings.isScopeName(name) else {
            throw .invalid(path: "name", reason: "a destination name uses letters, digits and . _ - + @ only")
        }
    }

    /// A plugin's error with its path made relative to the request: `config.<setting>` inside the destination's
    /// config; a service-wide setting the destinations file lacks is named as the file's.
    private static func mapped(_ error: ConfigurationError, scopePath: String, service: Service, inFile: Bool) -> DestinationError {
        if error.path == scopePath { return .invalid(path: "config", reason: error.reason) }
        if error.path.hasPrefix(scopePath + ".") {
            return .invalid(path: "config." + error.path.dropFirst(scopePath.count + 1), reason: error.reason)
        }
        let lack = inFile
            ? "the destinations file's services.\(service.id) lacks a service-wide setting"
            : "\(service.id) is not in the destinations file, and its plugin needs service-wide settings from it"
        return .invalid(path: "service", reason: "\(lack): \(error.description)")
    }
}
