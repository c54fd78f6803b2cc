import Foundation
import Herald
import HeraldTestSupport
import SnapshotTesting
import Testing

/// Renders every golden case for every output and compares bytes with the files in `golden/<case>/`, through
/// swift-snapshot-testing (``GoldenFile``).
///
/// After an intended change, `SNAPSHOT_TESTING_RECORD=all swift test --filter GoldenTests` rewrites the files (then
/// read each changed file as the service's user would before committing it); CI sets `never`, so a missing file
/// fails there.
@Suite("Golden corpus")
struct GoldenTests {
    @Test("the corpus covers what docs/pipeline.md asks for")
    func corpusSize() {
        #expect(GoldenCase.all.count >= 25)
    }

    @Test("every output matches its golden file", arguments: GoldenCase.all)
    func matchesGolden(_ golden: GoldenCase) throws {
        let message = try golden.message()
        var renderings: [(GoldenOutput, Rendering)] = []
        var files: [(name: String, bytes: [UInt8])] = []
        for output in GoldenOutput.all {
            let rendering = try output.render(message)
            renderings.append((output, rendering))
            files.append((output.fileName, GoldenOutput.fileContent(rendering)))
        }
        files.append(("report.txt", Array(GoldenOutput.report(renderings).utf8)))
        files.append(("ast.txt", Array(Document.lowering(message).document.treeDump.utf8)))
        for file in files {
            if let failure = GoldenFile.verify(file.bytes, named: file.name, in: golden.directory) {
                Issue.record(Comment(rawValue: "golden/\(golden.name)/\(file.name): \(failure)"))
            }
        }
    }

    @Test("every case's message survives encoding and decoding unchanged", arguments: GoldenCase.all)
    func messageRoundTrip(_ golden: GoldenCase) throws {
        let message = try golden.message()
        let reread = try NotificationMessage(json: Array(message.jsonString().utf8))
        #expect(reread == message)
    }

    /// The comparison and its record modes, on a temporary case folder.
    @Suite("Comparing and recording")
    struct Recording {
        /// A new, empty case folder in the temporary directory; the test removes it.
        static func makeCaseFolder() throws -> URL {
            let folder = FileManager.default.temporaryDirectory
                .appendingPathComponent("herald-golden-\(UUID().uuidString)", isDirectory: true)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            return folder
        }

        static let content = Array("**Sample mount failed**\n\nPlease check the robot.\n".utf8)

        @Test("a missing golden file fails when recording is off, and none is written")
        func missingFileFailsUnderNever() throws {
            let folder = try Self.makeCaseFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let failure = withSnapshotTesting(record: .never) {
                GoldenFile.verify(Self.content, named: "markdown.md", in: folder)
            }
            #expect(failure?.hasPrefix("No reference was found on disk. New snapshot was not recorded") == true)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
        }

        @Test("recording writes golden/<case>/<file> byte for byte, which then matches")
        func recordingWritesTheGoldenFile() throws {
            let folder = try Self.makeCaseFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let failure = GoldenFile.verify(Self.content, named: "signal-rest.json", in: folder, record: .all)
            #expect(failure?.hasPrefix("Record mode is on. Automatically recorded snapshot") == true)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["signal-rest.json"])
            #expect(try Array(Data(contentsOf: folder.appendingPathComponent("signal-rest.json"))) == Self.content)
            #expect(GoldenFile.verify(Self.content, named: "signal-rest.json", in: folder, record: .never) == nil)
        }

        @Test("a changed file fails with the library's line diff and stays as it was")
        func changedFileFailsWithLineDiff() throws {
            let folder = try Self.makeCaseFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let file = folder.appendingPathComponent("markdown.md")
            try Data(Self.content).write(to: file)
            let changed = Array("**Sample mount failed**\n\nPlease check the gripper.\n".utf8)
            let failure = try #require(GoldenFile.verify(changed, named: "markdown.md", in: folder, record: .never))
            #expect(failure.hasPrefix("Snapshot \"md\" does not match reference."))
            #expect(failure.contains(file.path))
            let lines = failure.split(separator: "\n")
            #expect(lines.contains("−Please check the robot."))
            #expect(lines.contains("+Please check the gripper."))
            #expect(try Array(Data(contentsOf: file)) == Self.content)
        }

        @Test("bytes that read as the same text still differ, and the failure says where")
        func canonicallyEquivalentBytesDiffer() throws {
            let folder = try Self.makeCaseFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let precomposed = Array("Caf\u{E9}\n".utf8), decomposed = Array("Cafe\u{301}\n".utf8)
            #expect(String(decoding: precomposed, as: UTF8.self) == String(decoding: decomposed, as: UTF8.self))
            try Data(precomposed).write(to: folder.appendingPathComponent("ast.txt"))
            let failure = GoldenFile.verify(decomposed, named: "ast.txt", in: folder, record: .never)
            #expect(failure?.contains("first at byte 3, expected [c3 a9 0a], got [65 cc 81 0a]") == true)
        }
    }
}
