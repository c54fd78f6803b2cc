import Crypto
import Foundation
import HeraldCore

/// The settings of destinations created at run time, under `destinations` in the destinations file:
///
/// ```yaml
/// destinations:
///   secret_key_env: HERALD_DESTINATION_KEY   # 32 random bytes in base64 (openssl rand -base64 32)
/// ```
///
/// Without `secret_key_env` a destination whose config holds a secret (a webhook URL) is refused.
public struct DestinationSettings: Hashable, Sendable {
    /// The largest `config` of one destination, as compact JSON: larger ones are refused before validation.
    public static let maximumConfigBytes = 16 * 1024

    /// The environment variable holding the key that seals the destinations' secrets; `nil` when none is configured.
    public var secretKeyVariable: String?

    /// No key.
    public init(secretKeyVariable: String? = nil) { self.secretKeyVariable = secretKeyVariable }

    /// Reads `secret_key_env`.
    init(settings: Settings) throws(ConfigurationError) {
        var settings = settings
        secretKeyVariable = try settings.environmentVariableName("secret_key_env")
        try settings.finish()
    }

    /// The key in `environment`, `nil` when none is configured; an unset variable, or one that is not 32 bytes in
    /// base64, is an error naming the variable and never quoting its value.
    public func key(in environment: DeliveryEnvironment) throws(ConfigurationError) -> DestinationKey? {
        guard let variable = secretKeyVariable else { return nil }
        guard let secret = environment.secret(variable) else {
            throw ConfigurationError(
                path: "destinations.secret_key_env", reason: "environment variable \(variable) (the key of the destinations' secrets) is not set")
        }
        guard let bytes = Data(base64Encoded: secret.value.trimmingCharacters(in: .whitespacesAndNewlines)), bytes.count == 32 else {
            throw ConfigurationError(
                path: "destinations.secret_key_env",
                reason: "environment variable \(variable) must hold 32 random bytes in base64 (openssl rand -base64 32)")
        }
        return DestinationKey(variable: variable, key: SymmetricKey(data: bytes))
    }
}

/// The key that seals the secrets of destinations created at run time: AES-256-GCM (swift-crypto), with the
/// destination's identity as associated data, so that a sealed box copied onto another destination does not open.
public struct DestinationKey: Sendable {
    /// The variable it came from, for error messages.
    public let variable: String
    private let key: SymmetricKey

    init(variable: String, key: SymmetricKey) {
        self.variable = variable
        self.key = key
    }

    /// `secrets` (setting name → value) as sorted JSON, sealed for `destination`: nonce, ciphertext and tag.
    func seal(_ secrets: [String: String], for destination: Destination) throws(DestinationError) -> Data {
        let plaintext = JSONWriter().bytes(.object(secrets.mapValues(JSONValue.string)))
        guard let box = try? AES.GCM.seal(plaintext, using: key, authenticating: Self.identity(destination)).combined else {
            throw .invalid(path: "config", reason: "its secrets cannot be sealed with the key in \(variable)")
        }
        return box
    }

    /// The secrets sealed for `destination`, or `nil` when the box does not open with this key (another key sealed
    /// it, or it was sealed for another destination or changed).
    func open(_ box: Data, for destination: Destination) -> [String: String]? {
        guard let sealed = try? AES.GCM.SealedBox(combined: box),
            let plaintext = try? AES.GCM.open(sealed, using: key, authenticating: Self.identity(destination)),
            case .object(let members)? = try? JSONReader().read(Array(plaintext))
        else { return nil }
        var secrets: [String: String] = [:]
        for (name, value) in members {
            guard case .string(let text) = value else { return nil }
            secrets[name] = text
        }
        return secrets
    }

    /// `herald.destination/v1`, the service and the name, separated by NUL (neither may hold one).
    private static func identity(_ destination: Destination) -> Data {
        Data("herald.destination/v1\u{0}\(destination.service.id)\u{0}\(destination.scope)".utf8)
    }
}
