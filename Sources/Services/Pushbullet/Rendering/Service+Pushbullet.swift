import HeraldCore

extension Service {
    /// Pushbullet, through its HTTP API (a `note` push, or a `file` push after uploading the file).
    public static let pushbullet = Service(id: "pushbullet", renderer: PushbulletRenderer(), payloadFileExtension: "json")
}
