import Foundation
import Testing

/// The built `herald` executable run as a process of its own, for tests that signal or kill it.
public enum HeraldProcess {
    /// The `herald` executable that `swift build --build-tests` put beside the test bundle.
    public static func executable() throws -> URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("herald")
        let candidates = [beside, RepositoryPaths.root.appendingPathComponent(".build/debug/herald")]
        return try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }, "herald is not built")
    }

    /// Starts `herald arguments` with `variables` added to this process's environment; standard output goes to
    /// `output` (nowhere when `nil`), standard error to `errors` (each a `Pipe` or a `FileHandle`).
    public static func start(_ arguments: [String], variables: [String: String], output: Any? = nil, errors: Any) throws -> Process {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(variables) { $1 }
        process.standardOutput = output ?? FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        return process
    }

    /// Waits for `process` to end, at most `limit`; one still running then is killed, and the test stops there.
    public static func waitForExit(_ process: Process, limit: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + limit
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        throw DidNotFinish(limit: limit)
    }

    /// `herald` ran longer than a test allows.
    public struct DidNotFinish: Error, CustomStringConvertible {
        /// The time it was given.
        public let limit: Duration

        /// `herald` did not finish within `limit`.
        public init(limit: Duration) { self.limit = limit }
        /// `herald did not finish within …`.
        public var description: String { "herald did not finish within \(limit)" }
    }
}
