import HeraldCore

extension Service {
    /// SciLog, the electronic logbook: a Paragraph snippet of HTML (`POST /basesnippets`).
    public static let scilog = Service(id: "scilog", renderer: SciLogRenderer(), payloadFileExtension: "json")
}
