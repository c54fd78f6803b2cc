import Foundation
import HeraldTesting
import SnapshotTesting
import Testing

/// What each strategy compares, checked against the renderers themselves (nothing here touches a reference).
@Suite("Strategies")
struct StrategyTests {
    static func robotMessage() throws -> NotificationMessage {
        var message = try NotificationMessage(title: "Sample mount failed", event: "sample_mount_failed")
        try message.addText("Robot arm stopped", bold: true, color: .red)
        try message.addText(" while mounting puck A, position 7.")
        try message.addTags(["sample-exchange", "robot"])
        return message
    }

    @Test("every service's payload is its exact body, ending with one line feed", arguments: Service.catalogue)
    func payloadIsTheBody(_ service: Service) throws {
        let message = try Self.robotMessage()
        let body = try service.renderer.render(message).payload.body
        let text = HeraldSnapshot.payload(service).text(of: message)
        let expected = body.last == UInt8(ascii: "\n") ? body : body + [UInt8(ascii: "\n")]
        #expect(Array(text.utf8) == expected)
    }

    @Test("names and extensions: the service's name with md or json, then report.txt and ast.txt")
    func namesAndExtensions() {
        #expect(HeraldSnapshot.all.map(\.name) == ["markdown", "signal", "scilog", "teams", "report", "ast"])
        #expect(HeraldSnapshot.markdown.pathExtension == "md")
        #expect(HeraldSnapshot.signal.pathExtension == "json")
        #expect(HeraldSnapshot.scilog.pathExtension == "json")
        #expect(HeraldSnapshot.teams.pathExtension == "json")
        #expect(HeraldSnapshot.report.pathExtension == "txt")
        #expect(HeraldSnapshot.ast.pathExtension == "txt")
    }

    @Test("a service that cannot take the message gives an error line, not a crash")
    func renderErrorIsTheText() throws {
        var message = try NotificationMessage(title: "Huge")
        try message.addText(String(repeating: "counts 1234567890 ", count: 10))
        let renderer = SciLogRenderer(maximumTextBytes: 4)
        let error = try #require(throws: RenderError.self) { try renderer.render(message) }
        let snapshot = HeraldSnapshot.payload(renderer, named: "scilog-4-bytes", pathExtension: "json")
        #expect(snapshot.text(of: message) == "error: SciLog cannot take this message: \(error.reason)\n")
        #expect(snapshot.name == "scilog-4-bytes")
    }

    @Test("a message Teams cannot take at all is pinned as its error, in the payload and in the report")
    func teamsCannotTakeTheMessage() throws {
        var message = try NotificationMessage(title: "Inventory")
        try message.addText("Every sample in the dewar, as tags.")
        try message.addTags((1...3000).map { "sample-\($0)" })
        let error = try #require(throws: RenderError.self) { try Service.teams.renderer.render(message) }
        let errorLine = "error: \(Service.teams.displayName) cannot take this message: \(error.reason)"
        #expect(HeraldSnapshot.teams.text(of: message) == errorLine + "\n")
        #expect(HeraldSnapshot.report.text(of: message).contains("\nteams:\n  \(errorLine)\n"))
    }

    @Test("the report lists the default services, each loss as kind and report line")
    func reportListsTheDefaultServices() throws {
        let message = try Self.robotMessage()
        var expected = ""
        for service in HeraldSnapshot.defaultServices {
            let degradations = try service.renderer.render(message).degradations
            expected += "\(service.id):\n"
            expected += degradations.isEmpty ? "  (nothing lost)\n" : degradations.map { "  \($0.kind.rawValue): \($0)\n" }.joined()
        }
        #expect(HeraldSnapshot.report.text(of: message) == expected)
        #expect(expected.contains("color_not_shown: parts[0] \"Robot arm stopped\": "))
    }

    @Test("a message every service shows in full reports nothing lost")
    func reportNothingLost() throws {
        var message = try NotificationMessage()
        try message.addText("Scan 12 done")
        #expect(HeraldSnapshot.report.text(of: message) == HeraldSnapshot.defaultServices.map { "\($0.id):\n  (nothing lost)\n" }.joined())
    }

    @Test("the default set is Herald 1's four services, fixed, not the catalogue")
    func defaultSetIsFixed() {
        #expect(HeraldSnapshot.defaultServices.map(\.id) == ["markdown", "signal", "scilog", "teams"])
        let fax = Service(id: "fax", renderer: MarkdownRenderer(), payloadFileExtension: "txt")
        #expect(HeraldSnapshot.all.map(\.name) == HeraldSnapshot.all(for: HeraldSnapshot.defaultServices).map(\.name))
        #expect(HeraldSnapshot.all(for: HeraldSnapshot.defaultServices + [fax]).map(\.name)
            == ["markdown", "signal", "scilog", "teams", "fax", "report", "ast"])
    }

    @Test("services a sender names are exactly what is pinned, in that order, report included")
    func namedServices() throws {
        let message = try Self.robotMessage()
        let snapshots = HeraldSnapshot.all(for: [.teams, .signal])
        #expect(snapshots.map(\.name) == ["teams", "signal", "report", "ast"])
        let report = HeraldSnapshot.report(of: [.teams, .signal]).text(of: message)
        #expect(report.hasPrefix("teams:\n"))
        #expect(report.contains("\nsignal:\n"))
        #expect(!report.contains("markdown:") && !report.contains("scilog:"))
        #expect(snapshots[2].text(of: message) == report)
    }

    @Test("the tree is the lowered document's dump")
    func astIsTheTreeDump() throws {
        let message = try Self.robotMessage()
        #expect(HeraldSnapshot.ast.text(of: message) == Document.lowering(message).document.treeDump)
    }

    @Test("the Snapshotting members are the same strategies, for assertSnapshot(of:as:)")
    func snapshottingMembers() throws {
        let message = try Self.robotMessage()
        let pairs: [(Snapshotting<NotificationMessage, String>, HeraldSnapshot)] =
            [(.markdown, .markdown), (.signal, .signal), (.scilog, .scilog), (.teams, .teams), (.report, .report), (.ast, .ast)]
            + Service.catalogue.map { (.payload($0), .payload($0)) }
        for (strategy, snapshot) in pairs {
            #expect(strategy.pathExtension == snapshot.pathExtension)
            var text: String?
            strategy.snapshot(message).run { text = $0 }
            #expect(text == snapshot.text(of: message))
            #expect(strategy.diffing.fromData(strategy.diffing.toData(snapshot.text(of: message))) == snapshot.text(of: message))
        }
    }
}
