import Foundation
import HeraldCore
import HeraldTestSupport
import Testing

/// `herald render`'s preview: `--color`, `NO_COLOR`, the losses marked in place and listed, and `--open`.
@Suite("herald render's preview")
struct RenderPreviewTests {
    static let example = "Examples/sample_mount_failed.json"

    @Test("--color always styles a pipe; --color never and NO_COLOR keep a terminal plain; an empty NO_COLOR does not")
    func colorChoice() async {
        let ansi = "\u{1B}["
        #expect(await CapturedCommand.run(["render", "--color", "always", Self.example]).outputText.contains(ansi))
        #expect(!(await CapturedCommand.run(["render", "--color", "never", Self.example], styledTerminal: true).outputText.contains(ansi)))
        #expect(!(await CapturedCommand.run(["render", Self.example], styledTerminal: true, variables: ["NO_COLOR": "1"]).outputText.contains(ansi)))
        #expect(await CapturedCommand.run(["render", Self.example], styledTerminal: true, variables: ["NO_COLOR": ""]).outputText.contains(ansi))
        let refused = await CapturedCommand.run(["render", "--color", "sometimes", Self.example])
        #expect(refused.status == .usage)
    }

    @Test("each loss is marked ⚠n after the part it concerns and listed under the service, readable without color")
    func lossesMarked() async throws {
        let result = await CapturedCommand.run(["render", "--service", "signal", Self.example])
        #expect(result.status == .success)
        let text = result.outputText
        #expect(text.contains("Sample mount failed⚠1"))
        #expect(text.contains(#"⚠1 title "Sample mount failed": title shown as bold text on Signal"#))
        #expect(text.contains("Robot arm stopped⚠2"))
        #expect(text.contains(#"⚠2 parts[0] "Robot arm stopped": color red not shown on Signal"#))
        #expect(!text.contains("\u{1B}["))
        // The whole report goes to standard error as before.
        #expect(result.error.contains(#"note: parts[0] "Robot arm stopped": color red not shown on Signal"#))
        let styled = await CapturedCommand.run(["render", "--service", "signal", "--color", "always", Self.example])
        #expect(styled.outputText.contains("\u{1B}[1;33m⚠1\u{1B}[0m"))
        let clean = await CapturedCommand.run(["render", "--service", "markdown", "golden/01-plain-text/message.json"])
        #expect(!clean.outputText.contains("⚠"))
    }

    @Test("--open writes the page with the renderings of --json embedded and prints the path of its index.html")
    func openWritesThePage() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("herald-open-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = await CapturedCommand.run(["render", "--open", Self.example], variables: ["TMPDIR": directory.path])
        #expect(result.status == .success, "\(result.error)")
        let index = URL(fileURLWithPath: result.outputText.trimmingCharacters(in: .newlines))
        #expect(index.lastPathComponent == "index.html")
        #expect(index.deletingLastPathComponent().deletingLastPathComponent().standardizedFileURL.path == directory.standardizedFileURL.path)
        let names = try FileManager.default.contentsOfDirectory(atPath: index.deletingLastPathComponent().path).sorted()
        #expect(names == ["index.html", "page.css", "page.js"])
        let html = try String(contentsOf: index, encoding: .utf8)
        let open = #"<script type="application/json" id="herald-renderings">"#
        let start = try #require(html.range(of: open))
        let end = try #require(html.range(of: "</script>", range: start.upperBound..<html.endIndex))
        let embedded = try JSONReader().read(Array(html[start.upperBound..<end.lowerBound].utf8))
        let json = await CapturedCommand.run(["render", "--json", Self.example])
        #expect(embedded == (try JSONReader().read(json.output)))
        #expect(result.error.contains("note: "))
    }

    @Test("--open excludes --json, --payload and --ast")
    func openExcludesOtherOutputs() async {
        for other in ["--json", "--ast"] {
            let result = await CapturedCommand.run(["render", "--open", other, Self.example])
            #expect(result.status == .usage)
            #expect(result.error.contains("exclude each other"))
        }
    }
}
