import Crypto
import Foundation

/// Signs webhook requests as the Standard Webhooks specification says (standardwebhooks.com): the headers
/// `webhook-id`, `webhook-timestamp` (whole seconds since 1970) and `webhook-signature`, which is `v1,` followed
/// by the base64 of the HMAC-SHA256 of `<id>.<timestamp>.<body>` under the secret's key.
///
/// A pure function of its inputs: delivery chooses the id (the delivery's idempotency key, the same on every
/// attempt, so that a receiver can drop a repeat) and the timestamp (the moment of each attempt).
public struct StandardWebhookSigner: Sendable {
    /// A secret that is not `whsec_` followed by the base64 of 24 to 64 bytes. The secret is never quoted.
    public struct InvalidSecret: Error, Hashable, Sendable, CustomStringConvertible {
        /// What is wrong, without the secret.
        public let reason: String
        /// The reason.
        public var description: String { reason }
    }

    /// The prefix of a Standard Webhooks secret.
    public static let secretPrefix = "whsec_"
    /// The sizes of key the specification asks for, in bytes.
    public static let keySizes = 24...64

    private let key: SymmetricKey

    /// A signer for `secret`: `whsec_` and the base64 of the key (padding optional), as a receiver's library reads
    /// it.
    public init(secret: String) throws(InvalidSecret) {
        guard secret.hasPrefix(Self.secretPrefix) else {
            throw InvalidSecret(reason: "is not a Standard Webhooks secret: it must start with \(Self.secretPrefix)")
        }
        var encoded = String(secret.dropFirst(Self.secretPrefix.count))
        encoded += String(repeating: "=", count: (4 - encoded.utf8.count % 4) % 4)
        guard let bytes = Data(base64Encoded: encoded) else {
            throw InvalidSecret(reason: "is not a Standard Webhooks secret: what follows \(Self.secretPrefix) is not base64")
        }
        guard Self.keySizes.contains(bytes.count) else {
            throw InvalidSecret(
                reason: "is not a Standard Webhooks secret: its key has \(bytes.count) bytes; the specification asks for \(Self.keySizes.lowerBound) to \(Self.keySizes.upperBound)")
        }
        key = SymmetricKey(data: bytes)
    }

    /// `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`.
    public func signature(id: String, timestamp: Int, body: [UInt8]) -> String {
        var authentication = HMAC<SHA256>(key: key)
        authentication.update(data: Array("\(id).\(timestamp).".utf8))
        authentication.update(data: body)
        return "v1," + Data(authentication.finalize()).base64EncodedString()
    }

    /// The three headers for a request with `body`: `webhook-id`, `webhook-timestamp`, `webhook-signature`.
    public func headers(id: String, timestamp: Int, body: [UInt8]) -> [(name: String, value: String)] {
        [("webhook-id", id), ("webhook-timestamp", String(timestamp)), ("webhook-signature", signature(id: id, timestamp: timestamp, body: body))]
    }
}
