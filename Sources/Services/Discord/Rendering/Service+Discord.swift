import HeraldCore

extension Service {
    /// Discord, through a webhook's `execute` (one embed per message, files as multipart attachments).
    public static let discord = Service(id: "discord", renderer: DiscordRenderer(), payloadFileExtension: "json")
}
