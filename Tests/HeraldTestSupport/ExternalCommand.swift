import Foundation

/// Runs a program found on the `PATH` (python3, cmark-gfm, ...) and collects what it prints.
public struct ExternalCommand: Sendable {
    /// The exit status.
    public let status: Int32
    /// Standard output and standard error, interleaved as written.
    public let output: String

    /// Runs `program` with `arguments` in the repository root, feeding `input` to its standard input.
    public static func run(_ program: String, _ arguments: [String], input: Data = Data()) throws -> ExternalCommand {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        process.currentDirectoryURL = RepositoryPaths.root
        let inputPipe = Pipe()
        let outputPipe = Pipe()
        process.standardInput = inputPipe
        process.standardOutput = outputPipe
        process.standardError = outputPipe
        try process.run()
        let writer = Thread {
            inputPipe.fileHandleForWriting.write(input)
            try? inputPipe.fileHandleForWriting.close()
        }
        writer.start()
        let output = outputPipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ExternalCommand(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self))
    }
}
