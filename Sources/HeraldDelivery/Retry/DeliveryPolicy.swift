/// How Herald sends: timeouts, retries with exponential backoff and jitter, concurrency, and the lease that tells
/// a restarted sender which attempts were cut short.
///
/// The delay before retry *n* (n ≥ 1) is drawn uniformly from `[b/2, b]` where
/// `b = min(maximumBackoff, initialBackoff × 2^(n-1))` ("equal jitter"); a `Retry-After` answer raises it to at
/// least what the service asked for, up to ``maximumRetryAfter``.
public struct DeliveryPolicy: Hashable, Sendable {
    /// The time limit of every HTTP request, from connecting to the end of the response.
    public var requestTimeout: Duration
    /// Attempts per delivery, the first included; when they are used up on transient failures the delivery fails.
    public var maximumAttempts: Int
    /// Attempts cut short (their sender stopped, outcome unknown) after which a delivery fails instead of being
    /// sent again: a message that makes every sender crash or hang must not be resent forever.
    public var maximumInterruptedAttempts: Int
    /// The backoff before the first retry.
    public var initialBackoff: Duration
    /// The largest backoff between attempts.
    public var maximumBackoff: Duration
    /// The longest `Retry-After` honoured; a service asking for more is retried after this.
    public var maximumRetryAfter: Duration
    /// How many deliveries are attempted at the same time.
    public var concurrency: Int
    /// How long after its last request could have ended an attempt counts as interrupted (its sender crashed),
    /// so that another sender may take the delivery over. A live sender renews its lease while the attempt runs
    /// (reading and rendering the stored message included), every third of the lease.
    public var leaseMargin: Duration
    /// How often a long-running worker looks for new deliveries.
    public var pollInterval: Duration
    /// How long a delivered delivery stays in the outbox (for `herald outbox list` and the API's status) before a
    /// worker prunes it, with its notification once none of that notification's deliveries is left.
    public var keepDelivered: Duration

    /// Creates a policy.
    public init(
        requestTimeout: Duration = .seconds(10), maximumAttempts: Int = 8, maximumInterruptedAttempts: Int = 3,
        initialBackoff: Duration = .seconds(1), maximumBackoff: Duration = .seconds(300),
        maximumRetryAfter: Duration = .seconds(3600), concurrency: Int = 4, leaseMargin: Duration = .seconds(30),
        pollInterval: Duration = .seconds(1), keepDelivered: Duration = .seconds(7 * 86_400)
    ) {
        self.requestTimeout = requestTimeout
        self.maximumAttempts = maximumAttempts
        self.maximumInterruptedAttempts = maximumInterruptedAttempts
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.maximumRetryAfter = maximumRetryAfter
        self.concurrency = concurrency
        self.leaseMargin = leaseMargin
        self.pollInterval = pollInterval
        self.keepDelivered = keepDelivered
    }

    /// The delay before the retry that follows failed attempt number `attempt` (1 for the first attempt).
    public func backoff(afterAttempt attempt: Int, retryAfter: Duration?, using generator: inout some RandomNumberGenerator) -> Duration {
        let exponent = min(max(attempt - 1, 0), 40)
        let uncapped = initialBackoff.seconds * Double(UInt64(1) << UInt64(exponent))
        let base = min(maximumBackoff.seconds, uncapped)
        let jittered = base <= 0 ? 0 : Double.random(in: (base / 2)...base, using: &generator)
        let asked = min(retryAfter?.seconds ?? 0, maximumRetryAfter.seconds)
        return .milliseconds(Int64((max(jittered, asked) * 1000).rounded(.up)))
    }

    /// The delay before the retry that follows failed attempt number `attempt`, with system randomness.
    public func backoff(afterAttempt attempt: Int, retryAfter: Duration?) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return backoff(afterAttempt: attempt, retryAfter: retryAfter, using: &generator)
    }

    /// How long a sender holds a delivery it is attempting with `requests` HTTP requests.
    func lease(forRequests requests: Int) -> Duration {
        requestTimeout * max(requests, 1) + leaseMargin
    }
}

extension Duration {
    /// The duration in seconds, as a floating-point number.
    package var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
