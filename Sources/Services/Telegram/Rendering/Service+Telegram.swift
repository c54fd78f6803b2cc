import HeraldCore

extension Service {
    /// Telegram, through a bot of the Bot API (the calls of each message: `sendMessage` with HTML, photos, files).
    public static let telegram = Service(id: "telegram", renderer: TelegramRenderer(), payloadFileExtension: "json")
}
