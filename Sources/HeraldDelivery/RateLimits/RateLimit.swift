import Foundation
import HeraldCore

/// At most ``count`` sends in any ``window``: a service's documented limit on one key.
public struct RateLimit: Hashable, Sendable, CustomStringConvertible {
    /// The most sends in one window.
    public var count: Int
    /// The window's length.
    public var window: Duration

    /// The most sends one limit may allow per window (`rate_limit.count`).
    public static let maximumCount = 10_000
    /// The longest window (`rate_limit.per_seconds`): a day.
    public static let maximumWindow = Duration.seconds(86_400)
    /// What Herald adds to every window, for the difference between workers' clocks and the service's. (A send is
    /// counted from when it was answered, not from when its slot was taken, so the delay before it arrives, up to
    /// 300 ms measured on a loaded two-core machine, never puts more than ``count`` sends into one window.)
    public static let jitterAllowance = Duration.milliseconds(100)
    /// How many answers with `Retry-After` (a 429, or a 503 naming a time) a delivery may get without their
    /// attempts counting against ``DeliveryPolicy/maximumAttempts``; later ones count like any transient failure,
    /// so a service that keeps asking to wait cannot hold a delivery forever.
    public static let uncountedAnswers = 10

    /// Creates a limit of `count` sends per `window`.
    public init(count: Int, per window: Duration) {
        self.count = count
        self.window = window
    }

    /// The window Herald keeps each send's slot for: ``window`` plus ``jitterAllowance``, in seconds.
    var heldSeconds: Double { (window + Self.jitterAllowance).seconds }

    /// `30 per 1 s`.
    public var description: String { "\(count) per \(window.seconds.formatted()) s" }
}

/// What taking a send's slot under a destination's rate limits gave.
enum RateLimitSlot: Equatable, Sendable {
    /// Taken, at this time (seconds since 1970): send now, then ``Outbox/settleRateLimitSlots(_:slot:answeredAt:)``.
    case taken(at: Double)
    /// Not free before this time; nothing taken.
    case wait(until: Date)
}

/// A send's rate limit on one key: a destination (a chat, a channel, a webhook) or a credential (a bot token, a
/// sending number), shared by every destination that uses it.
public struct RateLimitRule: Hashable, Sendable {
    /// What the limit is counted over.
    public enum Extent: Hashable, Sendable {
        /// One destination: overridden by `services.<id>.scopes.<scope>.rate_limit`.
        case destination
        /// Every destination using one credential: overridden by `services.<id>.rate_limit`.
        case credential
    }

    /// The key every worker counts the limit under, e.g. `telegram:chat:ops`; it names a scope or an environment
    /// variable, never a secret's value.
    public var key: String
    /// Destination or credential.
    public var extent: Extent
    /// The limit.
    public var limit: RateLimit

    /// Creates a rule.
    public init(key: String, extent: Extent, limit: RateLimit) {
        self.key = key
        self.extent = extent
        self.limit = limit
    }

    /// The key of `scope`'s destination limit for `service`.
    public static func destinationKey(_ service: Service, scope: String) -> String { "\(service.id):scope:\(scope)" }
}

/// The rate limits a destinations file sets for one service: `services.<id>.rate_limit` (the credential's) and
/// `services.<id>.scopes.<scope>.rate_limit` (one destination's), each a mapping `{count, per_seconds}` or `false`
/// (no limit).
struct RateLimitOverrides: Hashable, Sendable {
    /// The credential limit set, `.some(nil)` when turned off.
    var credential: RateLimit??
    /// Each scope's destination limit set, `nil` when turned off.
    var destinations: [String: RateLimit?] = [:]

    /// `declared` with the overrides applied: a set limit replaces the declared one of its extent (or is added
    /// under a key of its own when the plugin declares none), `false` removes it.
    func applied(to declared: [RateLimitRule], service: Service, scope: String) -> [RateLimitRule] {
        var rules = declared
        if let credential { rules = Self.replacing(.credential, in: rules, with: credential, key: "\(service.id):credential") }
        if let destination = destinations[scope] {
            rules = Self.replacing(.destination, in: rules, with: destination, key: RateLimitRule.destinationKey(service, scope: scope))
        }
        return rules
    }

    private static func replacing(_ extent: RateLimitRule.Extent, in rules: [RateLimitRule], with limit: RateLimit?, key: String) -> [RateLimitRule] {
        let kept = rules.filter { $0.extent != extent }
        guard let limit else { return kept }
        let declaredKey = rules.first { $0.extent == extent }?.key ?? key
        return kept + [RateLimitRule(key: declaredKey, extent: extent, limit: limit)]
    }

    /// Reads and removes `rate_limit` from a service's settings and from each of its scopes, so that the plugin
    /// sees only its own settings.
    static func extract(from settings: inout Settings) throws(ConfigurationError) -> RateLimitOverrides {
        var overrides = RateLimitOverrides()
        if let value = settings.removing("rate_limit") {
            overrides.credential = .some(try limit(value, path: settings.path(of: "rate_limit")))
        }
        guard case .object(var scopes)? = settings.peek("scopes") else { return overrides }
        for (name, scope) in scopes {
            guard case .object(var values) = scope, let value = values.removeValue(forKey: "rate_limit") else { continue }
            overrides.destinations[name] = try limit(value, path: "\(settings.path(of: "scopes")).\(name).rate_limit")
            scopes[name] = .object(values)
        }
        settings.replace("scopes", with: .object(scopes))
        return overrides
    }

    /// `{count, per_seconds}` (count 1…``RateLimit/maximumCount``, per_seconds more than 0 and at most a day) or
    /// `false`.
    private static func limit(_ value: JSONValue, path: String) throws(ConfigurationError) -> RateLimit? {
        if case .bool(false) = value { return nil }
        var settings = try Settings(value, path: path)
        guard let count = try settings.integer("count", in: 1...RateLimit.maximumCount) else {
            throw ConfigurationError(path: settings.path(of: "count"), reason: "is required: the most sends per window")
        }
        guard let window = try settings.seconds("per_seconds") else {
            throw ConfigurationError(path: settings.path(of: "per_seconds"), reason: "is required: the window's length in seconds")
        }
        guard window > .zero, window <= RateLimit.maximumWindow else {
            throw ConfigurationError(path: settings.path(of: "per_seconds"), reason: "must be more than 0 and at most 86400 seconds")
        }
        try settings.finish()
        return RateLimit(count: count, per: window)
    }
}
