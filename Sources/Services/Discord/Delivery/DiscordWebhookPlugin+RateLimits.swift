import Herald

extension DiscordWebhookPlugin {
    /// Discord's webhook limit (DESIGN.md §3): about 5 requests per 2 seconds per webhook, counted under the
    /// variable holding the webhook's URL, so that scopes sharing one webhook share its limit.
    public func rateLimits(for scope: String, configuration: Configuration) -> [RateLimitRule] {
        let webhook = configuration.webhookURLVariables[scope] ?? scope
        return [RateLimitRule(key: "discord:webhook:\(webhook)", extent: .destination, limit: RateLimit(count: 5, per: .seconds(2)))]
    }
}
