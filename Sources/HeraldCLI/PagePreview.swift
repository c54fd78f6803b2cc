import Foundation
import HeraldServer

/// `herald render --open`: the preview page written to disk for people without a server.
enum PagePreview {
    /// Writes the page's files with `renderings` (what `--json` prints) embedded into a new directory
    /// `herald-preview-<UUID>` under `TMPDIR` (or the system's temporary directory) and returns the path of its
    /// `index.html`. A failure exits 74.
    static func write(_ renderings: [UInt8], in environment: CommandEnvironment) throws(CommandFailure) -> String {
        let base = environment.variables["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? FileManager.default.temporaryDirectory.path
        let directory = URL(fileURLWithPath: base, isDirectory: true).appendingPathComponent("herald-preview-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for file in PreviewPage.standalone(renderings: renderings) {
                try Data(file.bytes).write(to: directory.appendingPathComponent(file.fileName), options: .withoutOverwriting)
            }
        } catch {
            throw CommandFailure(message: "\(directory.path): the preview page cannot be written: \(error.localizedDescription)", status: .storageFailure)
        }
        return directory.appendingPathComponent("index.html").path
    }
}
