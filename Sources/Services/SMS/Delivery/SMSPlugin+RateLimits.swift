import Herald

extension SMSPlugin {
    /// Twilio queues a long-code number's messages at 1 segment per second (its "Understanding Twilio Rate Limits
    /// and Message Queues"): 1 message per second per sending number. A Messaging Service spreads messages over
    /// its own numbers and queues them itself: no limit.
    public func rateLimits(for scope: String, configuration: Configuration) -> [RateLimitRule] {
        guard case .number(let number) = configuration.sender else { return [] }
        return [RateLimitRule(key: "sms:from:\(number)", extent: .credential, limit: RateLimit(count: 1, per: .seconds(1)))]
    }
}
