import Crypto
import Foundation

/// A sender's idempotency key for one publication (`Idempotency-Key` on `POST /v1/notifications`): the same key
/// from the same caller within ``window`` publishes once, however often the request is sent again.
///
/// Keys are kept in the outbox (table `publication_keys`), so they survive restarts; each is written in the same
/// transaction as the notification it published, so a crash never leaves one without the other.
public struct PublicationKey: Hashable, Sendable {
    /// How long a key is remembered: 24 hours.
    public static let window: TimeInterval = 24 * 60 * 60
    /// The longest key, in characters.
    public static let maximumLength = 255

    /// Who sent it (a token's name): callers' keys never meet.
    public var caller: String
    /// The key, 1 to ``maximumLength`` visible ASCII characters.
    public var key: String
    /// The SHA-256 of the request, hex: the same key for another request is refused.
    public var requestDigest: String

    /// A key for `request` (the body's bytes) from `caller`; `nil` when `key` is empty, longer than
    /// ``maximumLength`` or holds anything but visible ASCII (`!` to `~`).
    public init?(caller: String, key: String, request: [UInt8]) {
        guard Self.isValid(key) else { return nil }
        self.caller = caller
        self.key = key
        requestDigest = SHA256.hash(data: request).map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `key` is 1 to ``maximumLength`` visible ASCII characters.
    public static func isValid(_ key: String) -> Bool {
        (1...maximumLength).contains(key.utf8.count) && key.utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }

    /// What an earlier publication under this key did, from its row (``OutboxSQL/publicationKey``'s columns).
    func earlier(_ row: [SQLValue]) -> Enqueueing {
        guard row[0].string == requestDigest else { return .keyReused(self) }
        return .replayed(notificationID: row[1].string)
    }

    /// The values of ``OutboxSQL/rememberKey``: this key published `notificationID` (`nil`: no route took the event).
    func rememberArguments(notificationID: String?, now: Date) -> [SQLValue] {
        [.text(caller), .text(key), .text(requestDigest), SQLValue(notificationID), .real(now.timeIntervalSince1970)]
    }
}

/// What one enqueueing transaction did.
enum Enqueueing: Sendable {
    /// Recorded a notification (`nil`: no destination took the event, nothing recorded); the routed destinations
    /// a toggle left out.
    case recorded(notificationID: String?, toggledOff: [Destination])
    /// The key was seen for the same request: nothing recorded; the earlier notification's id.
    case replayed(notificationID: String?)
    /// The key was seen for another request: nothing recorded.
    case keyReused(PublicationKey)
}

/// What publishing did: see ``Notifier/notify(_:_:key:)``.
public enum Publication: Hashable, Sendable {
    /// Recorded now.
    case recorded(NotificationReceipt)
    /// The key was seen within its window for the same request: nothing was recorded; the receipt is the earlier
    /// publication's, its deliveries as they stand now.
    case replayed(NotificationReceipt)
    /// The key was seen within its window for another request: nothing was recorded.
    case keyReused(PublicationKey)

    /// The receipt, unless the key was reused.
    public var receipt: NotificationReceipt? {
        switch self {
        case .recorded(let receipt), .replayed(let receipt): receipt
        case .keyReused: nil
        }
    }
}
