import Foundation
import HeraldCLI
import HeraldTestSupport
import Testing

/// `herald render --service teams`.
@Suite("herald render --service teams")
struct TeamsCommandTests {
    @Test("--payload prints exactly the webhook message, the notes go to standard error")
    func payload() async throws {
        let result = await CapturedCommand.run(["render", "--service", "teams", "--payload", "golden/04-colors/message.json"])
        #expect(result.status == .success)
        let golden = try Data(contentsOf: RepositoryPaths.golden.appendingPathComponent("04-colors/teams.json"))
        #expect(result.output + [UInt8(ascii: "\n")] == Array(golden))
        #expect(result.error == "note: parts[4] \"pink \": color pink shown as red on Microsoft Teams\n")
    }

    @Test("a title too long for 28,000 bytes is one error line and nothing on standard output")
    func tooLarge() async {
        let message = #"{"title": "\#(String(repeating: "Beam lost ", count: 3_000))", "parts": []}"#
        let result = await CapturedCommand.run(["render", "--service", "teams", "--payload", "-"], input: message)
        #expect(result.status == .renderFailure)
        #expect(result.output.isEmpty)
        #expect(result.error == "error: <stdin>: Microsoft Teams: the title, the attachments' names and the tags alone exceed the limit of 28000 UTF-8 bytes of webhook message on Microsoft Teams\n")
    }
}
