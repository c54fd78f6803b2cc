import HeraldCore

extension Service {
    /// Microsoft Teams, through an incoming webhook or a Workflows webhook URL (an Adaptive Card).
    public static let teams = Service(id: "teams", renderer: TeamsRenderer(), payloadFileExtension: "json")
}
