import Foundation
import HeraldDelivery
import Synchronization

/// One token bucket per token name: a burst of `limit.requests`, refilled evenly over `limit.interval`.
///
/// Hand-written because Hummingbird has no rate limiter and a token bucket is a few lines; the time comes from an
/// injected clock, so tests move it instead of waiting.
final class RateLimiter: Sendable {
    private struct Bucket {
        var available: Double
        var updated: Date
    }

    private let limit: ServerSettings.RateLimit
    private let clock: @Sendable () -> Date
    /// The buckets, at most one per declared token (or one for the open server).
    private let buckets = Mutex<[String: Bucket]>([:])

    /// A limiter of `limit`, reading the time from `clock`.
    init(limit: ServerSettings.RateLimit, clock: @escaping @Sendable () -> Date) {
        self.limit = limit
        self.clock = clock
    }

    /// Takes one request from `key`'s bucket; `nil` when there was one, otherwise the whole seconds until there is.
    func take(for key: String) -> Int? {
        let now = clock()
        let capacity = Double(limit.requests)
        let perSecond = capacity / limit.interval.seconds
        return buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(available: capacity, updated: now)
            // A clock that went back refills nothing.
            let elapsed = max(now.timeIntervalSince(bucket.updated), 0)
            bucket.available = min(capacity, bucket.available + elapsed * perSecond)
            bucket.updated = now
            defer { buckets[key] = bucket }
            guard bucket.available >= 1 else {
                return max(1, Int(((1 - bucket.available) / perSecond).rounded(.up)))
            }
            bucket.available -= 1
            return nil
        }
    }
}
