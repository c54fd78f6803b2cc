import Herald
import SnapshotTesting

/// What a snapshot of a `NotificationMessage` pins: the payload one service receives, the degradation report,
/// or the document tree; with the extension of its reference file.
///
/// Use one with ``assertHeraldSnapshot(of:as:named:record:fileID:filePath:testName:line:column:)``, which keeps
/// references in the package's `Snapshots/` folder, or through ``snapshotting`` (and the matching `Snapshotting`
/// members such as `.teams`) with swift-snapshot-testing's own `assertSnapshot(of:as:)`.
///
/// The text a snapshot compares:
/// - a payload (``markdown``, ``signal``, ``scilog``, ``teams``, ``payload(_:)``): the exact request body the
///   service receives, followed by a line feed when the body does not already end with one (JSON bodies never
///   do; a Markdown body always does unless it is empty). When the service cannot take the message at all, the
///   text is one line, `error: <Service> cannot take this message: <reason>`, so the failure is pinned too.
/// - ``report``: for each of ``defaultServices`` (or the services given to ``report(of:)``), its name and one
///   indented line per loss, `kind: path "excerpt": sentence`, or `(nothing lost)`, or the `error:` line of a
///   message the service cannot take.
/// - ``ast``: the document tree Herald lowers the message to, before fitting (`herald render --ast`).
public struct HeraldSnapshot: Sendable {
    /// The snapshot's name, the last part of a reference file's name before the extension: `teams` in
    /// `scanCompleted.teams.json`.
    public let name: String
    /// The reference file's extension: `md`, `json` or `txt`.
    public let pathExtension: String
    private let render: @Sendable (NotificationMessage) -> String

    private init(name: String, pathExtension: String, render: @escaping @Sendable (NotificationMessage) -> String) {
        self.name = name
        self.pathExtension = pathExtension
        self.render = render
    }

    /// The text this snapshot compares for `message`: what its reference file holds.
    public func text(of message: NotificationMessage) -> String { render(message) }

    /// The strategy for swift-snapshot-testing: ``text(of:)`` compared line by line, with ``pathExtension``.
    public var snapshotting: Snapshotting<NotificationMessage, String> {
        var strategy = SimplySnapshotting<String>.lines.pullback(render)
        strategy.pathExtension = pathExtension
        return strategy
    }

    /// The payload `service` receives from its default renderer (`Service.renderer`).
    public static func payload(_ service: Service) -> HeraldSnapshot {
        payload(service.renderer, named: service.id, pathExtension: service.payloadFileExtension)
    }

    /// The payload a configured renderer produces (a `SciLogRenderer` with a smaller text limit, say), under a
    /// name and extension of your choice.
    public static func payload(_ renderer: any ServiceRenderer, named name: String, pathExtension: String) -> HeraldSnapshot {
        HeraldSnapshot(name: name, pathExtension: pathExtension) { message in
            do throws(RenderError) {
                let body = try renderer.render(message).payload.body
                let text = String(decoding: body, as: UTF8.self)
                return body.last == UInt8(ascii: "\n") ? text : text + "\n"
            } catch {
                return "error: \(renderer.capabilities.serviceName) cannot take this message: \(error.reason)\n"
            }
        }
    }

    /// The Markdown text (`md`).
    public static var markdown: HeraldSnapshot { payload(.markdown) }
    /// Signal's JSON-RPC `send` parameters (`json`).
    public static var signal: HeraldSnapshot { payload(.signal) }
    /// SciLog's Paragraph snippet for `POST /basesnippets` (`json`).
    public static var scilog: HeraldSnapshot { payload(.scilog) }
    /// The Microsoft Teams webhook envelope holding the Adaptive Card (`json`).
    public static var teams: HeraldSnapshot { payload(.teams) }

    /// The services the snapshots pin when a sender names none: the four of Herald 1 (Markdown, Signal, SciLog,
    /// Teams), fixed for good. A service Herald adds later joins a sender's snapshots only when the sender names it
    /// (``all(for:)``, ``report(of:)``, `assertHeraldSnapshots(of:services:)`), so a Herald release never asks for
    /// new references on its own.
    public static let defaultServices: [Service] = [.markdown, .signal, .scilog, .teams]

    /// What each of ``defaultServices`` cannot show (`txt`).
    public static let report = report(of: defaultServices)

    /// What each of `services` cannot show, in that order (`txt`).
    public static func report(of services: [Service]) -> HeraldSnapshot {
        HeraldSnapshot(name: "report", pathExtension: "txt") { message in
            let lowered = Document.lowering(message)
            return services.map { service in
                let lines: [String]
                do throws(RenderError) {
                    let degradations = try service.renderer.render(lowered).degradations
                    lines = degradations.isEmpty ? ["(nothing lost)"] : degradations.map { "\($0.kind.rawValue): \($0)" }
                } catch {
                    lines = ["error: \(service.displayName) cannot take this message: \(error.reason)"]
                }
                return "\(service.id):\n" + lines.map { "  \($0)\n" }.joined()
            }.joined()
        }
    }

    /// The document tree the message lowers to, before fitting (`txt`).
    public static let ast = HeraldSnapshot(name: "ast", pathExtension: "txt") { message in
        Document.lowering(message).document.treeDump
    }

    /// The payload of each of ``defaultServices``, then ``report`` and ``ast``: everything a sender may want to
    /// pin, the same in every Herald release.
    public static var all: [HeraldSnapshot] { all(for: defaultServices) }

    /// The payload of each of `services`, then their ``report(of:)`` and ``ast``: pins exactly the services a
    /// sender chose, e.g. `HeraldSnapshot.all(for: [.teams, .signal])`.
    public static func all(for services: [Service]) -> [HeraldSnapshot] { services.map(payload) + [report(of: services), ast] }
}
