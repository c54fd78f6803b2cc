import Crypto
import Foundation
import HeraldCore

/// The bearer tokens `herald serve` accepts, read once from the environment variables the destinations file names.
///
/// Only SHA-256 digests of the tokens are kept. A presented token is hashed and compared with every digest in
/// constant time (swift-crypto's digest equality), without stopping at a match, so neither the comparison nor the
/// loop tells how much of a guess was right.
public struct AccessTokens: Sendable {
    /// Who presented a token: its declared name and role.
    public struct Holder: Hashable, Sendable {
        /// The token's name from the destinations file.
        public var name: String
        /// What it may do.
        public var role: AccessRole

        /// Creates a holder.
        public init(name: String, role: AccessRole) {
            self.name = name
            self.role = role
        }
    }

    private let entries: [(digest: SHA256Digest, holder: Holder)]

    /// Reads every token `settings` declares from `environment`; a variable that is unset or empty, or two tokens
    /// of the same value, are an error naming the variable and the setting, never the value.
    public init(_ settings: ServerSettings, in environment: DeliveryEnvironment) throws(ConfigurationError) {
        var entries: [(SHA256Digest, Holder)] = []
        for (index, token) in settings.tokens.enumerated() {
            guard let secret = environment.secret(token.environmentVariable) else {
                throw ConfigurationError(
                    path: "server.tokens[\(index)].token_env",
                    reason: "environment variable \(token.environmentVariable) (token \(quoted(token.name))) is not set")
            }
            let digest = SHA256.hash(data: Data(secret.value.utf8))
            if let twin = entries.first(where: { $0.0 == digest }) {
                throw ConfigurationError(
                    path: "server.tokens[\(index)].token_env",
                    reason: "token \(quoted(token.name)) holds the same value as token \(quoted(twin.1.name)); give each its own")
            }
            entries.append((digest, Holder(name: token.name, role: token.role)))
        }
        self.entries = entries
    }

    /// Whether no token is declared.
    public var isEmpty: Bool { entries.isEmpty }

    /// The holder of `token`, or `nil` when it is no declared token.
    public func holder(of token: some StringProtocol) -> Holder? {
        let digest = SHA256.hash(data: Data(token.utf8))
        var found: Holder?
        for entry in entries where entry.digest == digest {
            found = entry.holder
        }
        return found
    }
}
