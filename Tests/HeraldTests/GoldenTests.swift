import Foundation
import Herald
import HeraldTestSupport
import Testing

/// Renders every golden case for every output and compares bytes with the files in `golden/<case>/`.
///
/// Set `HERALD_RECORD_GOLDEN=1` to rewrite the expected files instead (then read each changed file as the
/// service's user would before committing it).
@Suite("Golden corpus")
struct GoldenTests {
    static let isRecording = ProcessInfo.processInfo.environment["HERALD_RECORD_GOLDEN"] == "1"

    @Test("the corpus covers what docs/pipeline.md asks for")
    func corpusSize() {
        #expect(GoldenCase.all.count >= 25)
    }

    @Test("every output matches its golden file", arguments: GoldenCase.all)
    func matchesGolden(_ golden: GoldenCase) throws {
        let message = try golden.message()
        var renderings: [(GoldenOutput, Rendering)] = []
        for output in GoldenOutput.all {
            let rendering = try output.render(message)
            renderings.append((output, rendering))
            try compare(GoldenOutput.fileContent(rendering), with: golden.file(output.fileName))
        }
        try compare(Array(GoldenOutput.report(renderings).utf8), with: golden.file("report.txt"))
        try compare(Array(Document.lowering(message).document.treeDump.utf8), with: golden.file("ast.txt"))
    }

    @Test("every case's message survives encoding and decoding unchanged", arguments: GoldenCase.all)
    func messageRoundTrip(_ golden: GoldenCase) throws {
        let message = try golden.message()
        let reread = try NotificationMessage(json: Array(message.jsonString().utf8))
        #expect(reread == message)
    }

    private func compare(_ actual: [UInt8], with file: URL) throws {
        if Self.isRecording {
            try Data(actual).write(to: file)
            return
        }
        guard let expected = FileManager.default.contents(atPath: file.path) else {
            Issue.record("missing golden file \(file.path); record it with HERALD_RECORD_GOLDEN=1 swift test")
            return
        }
        if Array(expected) != actual {
            Issue.record("""
                \(file.path) differs:
                --- expected
                \(String(decoding: expected, as: UTF8.self).prefix(2000))
                --- actual
                \(String(decoding: actual, as: UTF8.self).prefix(2000))
                """)
        }
    }
}
