import Foundation
import Herald
@testable import HeraldCLI
import HeraldTestSupport
import HeraldValidation
import Testing

@Suite("herald render for SciLog")
struct SciLogCLITests {
    static let hostile = "golden/21-hostile-html/message.json"

    @Test("--payload prints the Paragraph snippet")
    func payload() async throws {
        let result = await CapturedCommand.run(["render", "--service", "scilog", "--payload", Self.hostile])
        #expect(result.status == .success)
        guard case .object(let snippet) = try JSONReader().read(result.output), case .string(let html)? = snippet["textcontent"] else {
            Issue.record("not a snippet: \(result.outputText)")
            return
        }
        #expect(Set(snippet.keys) == ["snippetType", "linkType", "textcontent", "tags", "files"])
        #expect(html.hasPrefix("<h2>&lt;script&gt;"))
    }

    @Test("--validate passes a clean rendering through unchanged")
    func validateClean() async {
        for arguments in [["--payload"], ["--json"], []] {
            let plain = await CapturedCommand.run(["render", "--service", "scilog"] + arguments + [Self.hostile])
            let validated = await CapturedCommand.run(["render", "--service", "scilog", "--validate"] + arguments + [Self.hostile])
            #expect(validated.status == .success)
            #expect(validated.output == plain.output)
            #expect(validated.error == plain.error)
        }
        #expect(await CapturedCommand.run(["render", "--validate", Self.hostile]).status == .success)
    }

    @Test("--validate needs a service that receives HTML and excludes --ast")
    func validateUsage() async {
        for arguments in [["--service", "markdown"], ["--service", "signal"], ["--ast"]] {
            let result = await CapturedCommand.run(["render", "--validate"] + arguments + [Self.hostile])
            #expect(result.status == .usage)
            #expect(result.output.isEmpty)
            #expect(result.error.hasPrefix("error: --validate"))
        }
    }

    /// Herald's renderer gives no findings, so the failure path is checked on findings libxml2 makes of bad HTML.
    @Test("findings become note: lines, then one error: line and exit status 70")
    func validateFailure() async {
        let findings = HTMLValidator().validate("<p onclick=\"x()\">a &nbsp; b</p>")
        let problems = findings.map { "scilog textcontent \($0)" }
        let report = OutputValidation.report(problems, file: "msg.json")
        let notes = report.notes.split(separator: "\n")
        #expect(notes.count == findings.count)
        #expect(notes.allSatisfy { $0.hasPrefix("note: msg.json: scilog textcontent 1:") })
        #expect(notes.contains { $0.contains("attribute onclick is not allowed on <p>") })
        #expect(report.failure.status == .invalidOutput)
        #expect(report.failure.status.rawValue == 70)
        #expect(report.failure.message == "msg.json: \(findings.count) validation findings in the rendered HTML; nothing was written")
        #expect(!report.failure.message.contains("\n"))
    }
}
