import Herald

extension Service {
    /// Every service's delivery plugin, one line per service; each plugin lives in its service's folder
    /// (`Sources/Services/<Name>/Delivery`). The catalogue test fails when a service of `Service.catalogue` has none.
    public static let plugins: [any ServicePlugin] = [
        MarkdownWebhookPlugin(),
        SignalPlugin(),
        SciLogPlugin(),
        TeamsWebhookPlugin(),
        TelegramPlugin(),
        SlackPlugin(),
        DiscordWebhookPlugin(),
        PushoverPlugin(),
        PushbulletPlugin(),
        SMSPlugin(),
        EmailPlugin(),
        WebhookPlugin(),
    ]

    /// The service's delivery plugin, or `nil` when none is registered in ``plugins``.
    public var plugin: (any ServicePlugin)? { Self.plugins.first { $0.id == self } }
}
