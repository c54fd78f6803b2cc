import Foundation
import HeraldCLI
import Synchronization

/// Runs `herald` in-process with captured standard streams.
public struct CapturedCommand: Sendable {
    /// What went to standard output.
    public let output: [UInt8]
    /// What went to standard error.
    public let error: String
    /// The exit status.
    public let status: HeraldExitStatus

    /// Standard output as text.
    public var outputText: String { String(decoding: output, as: UTF8.self) }

    /// Runs `herald arguments` with `input` on standard input, in `directory`, with environment `variables`.
    public static func run(
        _ arguments: [String], input: String = "", in directory: URL = RepositoryPaths.root, styledTerminal: Bool = false,
        variables: [String: String] = [:]
    ) async -> CapturedCommand {
        let output = Mutex<[UInt8]>([])
        let error = Mutex("")
        let inputBytes = Array(input.utf8)
        let environment = CommandEnvironment(
            readStandardInput: { limit in Array(inputBytes.prefix(limit)) },
            writeOutput: { bytes in output.withLock { $0 += bytes } },
            writeError: { text in error.withLock { $0 += text } },
            outputIsStyledTerminal: styledTerminal, currentDirectory: directory.path, variables: variables)
        let status = await HeraldMain.run(arguments: arguments, environment: environment)
        return CapturedCommand(output: output.withLock { $0 }, error: error.withLock { $0 }, status: status)
    }
}
