import Herald

extension Service {
    /// The service's delivery plugin. Every service has one: adding a service case without a plugin does not
    /// compile.
    public var plugin: any ServicePlugin {
        switch self {
        case .markdown: MarkdownWebhookPlugin()
        case .signal: SignalPlugin()
        case .scilog: SciLogPlugin()
        case .teams: TeamsWebhookPlugin()
        }
    }
}
