import HeraldCore

extension Service {
    /// Slack, through `chat.postMessage` with a bot token or an incoming webhook (Block Kit `header` and `section`
    /// blocks of escaped `mrkdwn`, with a plain `text` fallback).
    public static let slack = Service(id: "slack", renderer: SlackRenderer(), payloadFileExtension: "json")
}
