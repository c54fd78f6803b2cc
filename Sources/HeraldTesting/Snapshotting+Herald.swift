import Herald
import SnapshotTesting

/// Herald's snapshots as swift-snapshot-testing strategies, for `assertSnapshot(of: message, as: .teams)`.
///
/// `assertSnapshot` keeps its references beside the test file, in `__Snapshots__/<TestFile>/<test>.<n>.<ext>`
/// (the library's default); ``assertHeraldSnapshot(of:as:named:record:fileID:filePath:testName:line:column:)``
/// keeps them in the package's `Snapshots/` folder under names that say which service each one is for.
extension Snapshotting where Value == NotificationMessage, Format == String {
    /// The payload `service` receives (see ``HeraldSnapshot/payload(_:)``).
    public static func payload(_ service: Service) -> Snapshotting { HeraldSnapshot.payload(service).snapshotting }
    /// The Markdown text (`md`).
    public static var markdown: Snapshotting { HeraldSnapshot.markdown.snapshotting }
    /// Signal's JSON-RPC `send` parameters (`json`).
    public static var signal: Snapshotting { HeraldSnapshot.signal.snapshotting }
    /// SciLog's Paragraph snippet (`json`).
    public static var scilog: Snapshotting { HeraldSnapshot.scilog.snapshotting }
    /// The Teams webhook envelope with the Adaptive Card (`json`).
    public static var teams: Snapshotting { HeraldSnapshot.teams.snapshotting }
    /// What each of ``HeraldSnapshot/defaultServices`` cannot show (`txt`; see ``HeraldSnapshot/report``).
    public static var report: Snapshotting { HeraldSnapshot.report.snapshotting }
    /// The document tree the message lowers to (`txt`).
    public static var ast: Snapshotting { HeraldSnapshot.ast.snapshotting }
}
