import Herald

extension SlackPlugin {
    /// Slack's documented limit (DESIGN.md §3): about 1 message per second per channel, for `chat.postMessage` and
    /// for an incoming webhook (one channel each).
    public func rateLimits(for scope: String, configuration: Configuration) -> [RateLimitRule] {
        let key = switch configuration.scopes[scope] {
        case .channel(let channel)?: "slack:channel:\(channel)"
        case .webhook(let variable)?: "slack:webhook:\(variable)"
        case nil: RateLimitRule.destinationKey(.slack, scope: scope)
        }
        return [RateLimitRule(key: key, extent: .destination, limit: RateLimit(count: 1, per: .seconds(1)))]
    }
}
