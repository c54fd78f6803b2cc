import HeraldCore

extension Service {
    /// Pushover, through its Message API (the form fields of one push; HTML in Pushover's tag set).
    public static let pushover = Service(id: "pushover", renderer: PushoverRenderer(), payloadFileExtension: "json")
}
