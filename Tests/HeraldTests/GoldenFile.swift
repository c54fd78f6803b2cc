import Foundation
import SnapshotTesting

/// A file of the golden corpus, `golden/<case>/<stem>.<ext>`, compared and recorded by swift-snapshot-testing.
///
/// The library keeps a reference at `<snapshotDirectory>/<testName>.<name>[.<pathExtension>]`. With the case's
/// folder as the directory, the file's stem as the test name, its extension as the name and a strategy without a
/// path extension, that is the golden file itself: the corpus keeps its layout, and recording, the record modes
/// (`SNAPSHOT_TESTING_RECORD=all|missing|failed|never`, `withSnapshotTesting(record:)`) and the failure messages are
/// the library's. The library turns every run of characters other than letters, digits and `_` in the two into
/// `-`; the stems (service ids, variant names such as `signal-rest`, `report`, `ast`) and extensions (`md`, `json`,
/// `txt`) have none but inner hyphens, which it keeps.
enum GoldenFile {
    /// Compares `bytes` with the golden file `fileName` in `directory`, recording it as the record mode says.
    ///
    /// - Parameters:
    ///   - bytes: The file's expected content, as rendered now.
    ///   - fileName: The golden file's name, `<stem>.<ext>` (`teams.json`).
    ///   - directory: The case's folder.
    ///   - record: The record mode; by default the configured one (`SNAPSHOT_TESTING_RECORD`, else `missing`).
    /// - Returns: The library's failure message (with a line diff for a change), or `nil` when the file matches.
    static func verify(
        _ bytes: [UInt8], named fileName: String, in directory: URL,
        record: SnapshotTestingConfiguration.Record? = nil
    ) -> String? {
        let file = URL(fileURLWithPath: fileName)
        return withSnapshotTesting(diffTool: diffTool) {
            verifySnapshot(
                of: Data(bytes), as: exactBytes, named: file.pathExtension, record: record,
                snapshotDirectory: directory.path, testName: file.deletingPathExtension().lastPathComponent)
        }
    }

    /// Bytes compared exactly, a difference shown as the library's line diff of the UTF-8 text.
    ///
    /// Written here because the library's `.lines` compares Swift strings, which are equal when canonically
    /// equivalent (a precomposed `é` and `e` followed by a combining accent), and its `.data` shows no diff; a
    /// golden file pins every byte.
    static var exactBytes: SimplySnapshotting<Data> {
        SimplySnapshotting(
            pathExtension: nil,
            diffing: .diff(toData: { $0 }, fromData: { $0 }) { expected, actual in
                guard expected != actual else { return nil }
                let text = { (bytes: Data) in String(decoding: bytes, as: UTF8.self) }
                return Diffing<String>.lines.diffV2(text(expected), text(actual)) ?? (sameTextFailure(expected, actual), [])
            })
    }

    /// The failure for bytes that differ although they read as the same text: where they first differ.
    static func sameTextFailure(_ expected: Data, _ actual: Data) -> String {
        let offset = zip(expected, actual).prefix { $0 == $1 }.count
        let hex = { (bytes: Data) in bytes.dropFirst(offset).prefix(8).map { String(format: "%02x", $0) }.joined(separator: " ") }
        return """
            The bytes differ but read as the same text (another Unicode normalization, or invalid UTF-8): first at \
            byte \(offset), expected [\(hex(expected))], got [\(hex(actual))]
            """
    }

    /// Names the golden file and how to re-record it. The library's default also names its copy of the new bytes,
    /// `$TMPDIR/GoldenFile/<file>`: one path for the same file of every case, so with several failing cases it would
    /// hold another case's bytes.
    static let diffTool = SnapshotTestingConfiguration.DiffTool { golden, _ in
        "\(golden)\nAfter an intended change: SNAPSHOT_TESTING_RECORD=all swift test --filter GoldenTests"
    }
}
