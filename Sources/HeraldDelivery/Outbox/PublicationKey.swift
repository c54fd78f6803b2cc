import Crypto
import Foundation
import GRDB

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

    /// Creates the table (a migration of the outbox).
    static func createTable(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE publication_keys (
                caller TEXT NOT NULL, key TEXT NOT NULL, request_digest TEXT NOT NULL,
                notification_id TEXT, created_at REAL NOT NULL,
                PRIMARY KEY (caller, key));
            CREATE INDEX publication_keys_age ON publication_keys(created_at);
            """)
    }

    /// What an earlier publication under this key within the window did, if there was one; forgets keys older
    /// than the window first.
    func earlier(in db: Database, now: Date) throws -> Enqueueing? {
        try db.execute(
            sql: "DELETE FROM publication_keys WHERE created_at <= ?", arguments: [now.timeIntervalSince1970 - Self.window])
        guard let row = try Row.fetchOne(
            db, sql: "SELECT request_digest, notification_id FROM publication_keys WHERE caller = ? AND key = ?",
            arguments: [caller, key])
        else { return nil }
        guard (row["request_digest"] as String) == requestDigest else { return .keyReused(self) }
        return .replayed(notificationID: row["notification_id"])
    }

    /// Remembers that this key published `notificationID` (`nil`: no route took the event).
    func remember(notificationID: String?, in db: Database, now: Date) throws {
        try db.execute(
            sql: "INSERT INTO publication_keys (caller, key, request_digest, notification_id, created_at) VALUES (?, ?, ?, ?, ?)",
            arguments: [caller, key, requestDigest, notificationID, now.timeIntervalSince1970])
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
