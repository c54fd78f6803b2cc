import Herald

extension TelegramPlugin {
    /// The Bot API's documented limits (DESIGN.md §3, core.telegram.org/bots/faq): about 30 messages per second per
    /// bot token, and 1 per second per chat.
    public func rateLimits(for scope: String, configuration: Configuration) -> [RateLimitRule] {
        let chat = configuration.chats[scope] ?? scope
        return [
            RateLimitRule(key: "telegram:chat:\(chat)", extent: .destination, limit: RateLimit(count: 1, per: .seconds(1))),
            RateLimitRule(key: "telegram:bot:\(configuration.tokenVariable)", extent: .credential, limit: RateLimit(count: 30, per: .seconds(1))),
        ]
    }
}
