import HeraldCore

/// The `server:` section of the destinations file: who may use `herald serve`, and how much.
///
/// ```yaml
/// server:
///   tokens:                                   # bearer tokens, each from an environment variable
///     - {name: bec, token_env: HERALD_BEC_TOKEN, role: notify}
///     - {name: ops, token_env: HERALD_ADMIN_TOKEN, role: admin}
///   request_limit_bytes: 33554432             # the largest request body (default and most: 32 MiB)
///   rate_limit: {requests: 600, per: 60}      # per token: a burst of `requests`, refilled over `per` seconds
///   shutdown_grace_period: 10                 # seconds that attempts under way may take to finish on SIGTERM
/// ```
///
/// A token is never written in the file: `token_env` names the variable that holds it, and a `token` written
/// inline is refused like every inline secret.
public struct ServerSettings: Hashable, Sendable {
    /// A bearer token the server accepts: a name for logs and rate limits, the variable holding it, and its role.
    public struct TokenDeclaration: Hashable, Sendable {
        /// The token's name (`bec`), shown in logs instead of the token.
        public var name: String
        /// The environment variable holding the token.
        public var environmentVariable: String
        /// What the token may do.
        public var role: AccessRole

        /// Declares a token.
        public init(name: String, environmentVariable: String, role: AccessRole) {
            self.name = name
            self.environmentVariable = environmentVariable
            self.role = role
        }
    }

    /// How many requests one token may make: a burst of ``requests``, refilled evenly over ``interval``.
    public struct RateLimit: Hashable, Sendable {
        /// The burst, and the number of requests refilled per ``interval``.
        public var requests: Int
        /// The time over which ``requests`` are refilled.
        public var interval: Duration

        /// Creates a rate limit.
        public init(requests: Int, interval: Duration) {
            self.requests = requests
            self.interval = interval
        }
    }

    /// The largest request body the server reads, and the default: the cap on a message (32 MiB).
    public static let maximumRequestBytes = MessageDecodingOptions.defaultMaximumMessageBytes
    /// The smallest request body limit that may be configured (1 KiB).
    public static let minimumRequestBytes = 1024
    /// The most tokens the file may declare.
    public static let maximumTokens = 100

    /// The tokens; none means the server refuses to start unless told to run open on loopback.
    public var tokens: [TokenDeclaration]
    /// The largest request body, in bytes, refused with 413 before it is read.
    public var requestLimitBytes: Int
    /// Each token's rate limit.
    public var rateLimit: RateLimit
    /// How long attempts under way may take to finish on a graceful shutdown before their leases are given back.
    public var shutdownGracePeriod: Duration

    /// Settings with the defaults: no token, 32 MiB bodies, 600 requests a minute per token, 10 s of grace.
    public init(
        tokens: [TokenDeclaration] = [], requestLimitBytes: Int = Self.maximumRequestBytes,
        rateLimit: RateLimit = RateLimit(requests: 600, interval: .seconds(60)), shutdownGracePeriod: Duration = .seconds(10)
    ) {
        self.tokens = tokens
        self.requestLimitBytes = requestLimitBytes
        self.rateLimit = rateLimit
        self.shutdownGracePeriod = shutdownGracePeriod
    }

    /// Validates the `server` mapping; errors name the offending setting.
    public init(settings: Settings) throws(ConfigurationError) {
        var settings = settings
        self.init()
        if let list = settings.value("tokens"), list != .null {
            tokens = try Self.tokens(list, path: settings.path(of: "tokens"))
        }
        if let limit = try settings.integer("request_limit_bytes", in: Self.minimumRequestBytes...Self.maximumRequestBytes) {
            requestLimitBytes = limit
        }
        if var limit = try settings.settings("rate_limit") {
            guard let requests = try limit.integer("requests", in: 1...1_000_000) else {
                throw ConfigurationError(path: limit.path(of: "requests"), reason: "is required")
            }
            guard let interval = try limit.seconds("per") else {
                throw ConfigurationError(path: limit.path(of: "per"), reason: "is required")
            }
            guard interval > .zero else { throw ConfigurationError(path: limit.path(of: "per"), reason: "must be more than 0 seconds") }
            try limit.finish()
            rateLimit = RateLimit(requests: requests, interval: interval)
        }
        if let grace = try settings.seconds("shutdown_grace_period") { shutdownGracePeriod = grace }
        try settings.finish()
    }

    private static func tokens(_ value: JSONValue, path: String) throws(ConfigurationError) -> [TokenDeclaration] {
        guard case .array(let items) = value else {
            throw ConfigurationError(path: path, reason: "expected a list of tokens, found \(value.typeDescription)")
        }
        guard items.count <= maximumTokens else {
            throw ConfigurationError(path: path, reason: "has \(items.count) tokens; at most \(maximumTokens) may be declared")
        }
        var tokens: [TokenDeclaration] = []
        for (index, item) in items.enumerated() {
            var entry = try Settings(item, path: "\(path)[\(index)]")
            try entry.refuseInlineSecret("token")
            let name = try entry.requiredString("name")
            guard name.count <= 64, name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0)) })
            else {
                throw ConfigurationError(path: entry.path(of: "name"), reason: "a token name uses at most 64 letters, digits and . _ -")
            }
            guard let variable = try entry.environmentVariableName("token_env") else {
                throw ConfigurationError(path: entry.path(of: "token_env"), reason: "is required: name the environment variable that holds the token")
            }
            let roleName = try entry.requiredString("role")
            guard let role = AccessRole(rawValue: roleName) else {
                throw ConfigurationError(
                    path: entry.path(of: "role"),
                    reason: "unknown role \(quoted(roleName, limit: echoedValueLimit)); expected \(AccessRole.allCases.map(\.rawValue).joined(separator: " or "))")
            }
            try entry.finish()
            if tokens.contains(where: { $0.name == name }) {
                throw ConfigurationError(path: entry.path(of: "name"), reason: "another token is named \(quoted(name))")
            }
            if tokens.contains(where: { $0.environmentVariable == variable }) {
                throw ConfigurationError(path: entry.path(of: "token_env"), reason: "another token reads \(variable)")
            }
            tokens.append(TokenDeclaration(name: name, environmentVariable: variable, role: role))
        }
        return tokens
    }
}

/// What a bearer token may do on `herald serve`.
public enum AccessRole: String, Hashable, Sendable, CaseIterable {
    /// Post notifications, render, and read routes, services, deliveries and metrics.
    case notify
    /// Everything `notify` may, and change routes and send test messages.
    case admin

    /// Whether this role may do what `required` may.
    public func permits(_ required: AccessRole) -> Bool {
        self == .admin || required == .notify
    }
}
