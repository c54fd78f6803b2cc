import Logging
import Synchronization

/// Collects every log line (message and metadata) a logger writes, for checking that no secret is logged.
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])

    /// A logger writing here at trace level.
    var logger: Logger {
        Logger(label: "herald.test") { _ in Handler(capture: self) }
    }

    /// The lines so far.
    var captured: [String] { lines.withLock { $0 } }

    fileprivate func append(_ line: String) { lines.withLock { $0.append(line) } }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            capture.append("\(event.level) \(event.message) \(fields)")
        }
    }
}
