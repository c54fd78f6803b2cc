@_exported import HeraldCore
@_exported import HeraldMarkdown
@_exported import HeraldSignal
@_exported import HeraldSciLog
@_exported import HeraldTeams
@_exported import HeraldBEC

/// The services Herald renders for. Adding a service is adding a case here and a target beside the others.
public enum Service: String, CaseIterable, Hashable, Sendable {
    /// Markdown (CommonMark with GFM tables and strikethrough) for chat tools and webhooks that take Markdown.
    case markdown
    /// Signal, through signal-cli (JSON-RPC `send`).
    case signal
    /// SciLog, the electronic logbook: a Paragraph snippet of HTML (`POST /basesnippets`).
    case scilog
    /// Microsoft Teams, through an incoming webhook or a Workflows webhook URL (an Adaptive Card).
    case teams

    /// The service's renderer.
    public var renderer: any ServiceRenderer {
        switch self {
        case .markdown: MarkdownRenderer()
        case .signal: SignalRenderer()
        case .scilog: SciLogRenderer()
        case .teams: TeamsRenderer()
        }
    }

    /// The name users know the service by.
    public var displayName: String { renderer.capabilities.serviceName }
}
