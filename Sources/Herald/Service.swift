@_exported import HeraldCore
@_exported import HeraldMarkdown
@_exported import HeraldSignal
@_exported import HeraldSciLog
@_exported import HeraldTeams
@_exported import HeraldTelegram
@_exported import HeraldSlack
@_exported import HeraldDiscord
@_exported import HeraldPushover
@_exported import HeraldPushbullet
@_exported import HeraldSMS
@_exported import HeraldEmail
@_exported import HeraldWebhook
@_exported import HeraldBEC

extension Service {
    /// Every service Herald renders for, in the order Herald lists them. A service is one folder under
    /// `Sources/Services/` and one line here (see `docs/adding-a-service.md`).
    public static let catalogue: [Service] = [
        .markdown,
        .signal,
        .scilog,
        .teams,
        .telegram,
        .slack,
        .discord,
        .pushover,
        .pushbullet,
        .sms,
        .email,
        .webhook,
    ]

    /// The catalogue, under the name it had when `Service` was an enumeration.
    public static var allCases: [Service] { catalogue }

    /// The service in the catalogue with this id, or `nil`.
    public init?(id: String) {
        guard let service = Self.catalogue.first(where: { $0.id == id }) else { return nil }
        self = service
    }

    /// The service in the catalogue with this id (``init(id:)``), under the name it had when `Service` was an
    /// enumeration.
    public init?(rawValue: String) { self.init(id: rawValue) }

    /// The catalogue's ids, comma-separated, for messages naming what is expected (`markdown, signal, …`).
    public static var catalogueIDs: String { catalogue.map(\.id).joined(separator: ", ") }
}
