import Foundation

/// Runs a program found on the `PATH` (python3, cmark-gfm, ...) and collects what it prints.
public struct ExternalCommand: Sendable {
    /// The exit status.
    public let status: Int32
    /// Standard output and standard error, interleaved as written.
    public let output: String

    /// Runs `program` with `arguments` in the repository root, feeding `input` to its standard input.
    ///
    /// A program that is not on the `PATH` is an error naming it, thrown before anything runs; a program that exits
    /// without reading its input is not a crash (the input is written with the throwing `write(contentsOf:)`).
    public static func run(_ program: String, _ arguments: [String], input: Data = Data()) throws -> ExternalCommand {
        guard let executable = Self.find(program) else { throw NotInstalled(program: program) }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = RepositoryPaths.root
        let inputPipe = Pipe()
        let outputPipe = Pipe()
        process.standardInput = inputPipe
        process.standardOutput = outputPipe
        process.standardError = outputPipe
        try process.run()
        let writer = Thread {
            try? inputPipe.fileHandleForWriting.write(contentsOf: input)
            try? inputPipe.fileHandleForWriting.close()
        }
        writer.start()
        let output = outputPipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ExternalCommand(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self))
    }

    /// The executable `program` on the `PATH`, if any.
    static func find(_ program: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").lazy.map { URL(fileURLWithPath: String($0)).appendingPathComponent(program) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// A program the tests need is not installed.
    struct NotInstalled: Error, CustomStringConvertible {
        let program: String
        var description: String { "\(program) is not installed or not on the PATH" }
    }
}
