import Foundation
import HeraldCore

/// What a command reads from and writes to, so that commands run the same in the process and in tests.
public struct CommandEnvironment: Sendable {
    /// Reads standard input to the end, but at most the given number of bytes (the caller's cap plus one, so
    /// that it can tell input over the cap from input at it).
    public var readStandardInput: @Sendable (_ maximumCount: Int) -> [UInt8]
    /// Writes bytes to standard output.
    public var writeOutput: @Sendable ([UInt8]) -> Void
    /// Writes text to standard error.
    public var writeError: @Sendable (String) -> Void
    /// Whether standard output is a terminal that shows ANSI styles.
    public var outputIsStyledTerminal: Bool
    /// The directory relative paths are resolved against.
    public var currentDirectory: String
    /// The environment variables delivery commands read (the destinations file's location, secrets).
    public var variables: [String: String]

    /// Creates an environment.
    public init(
        readStandardInput: @escaping @Sendable (_ maximumCount: Int) -> [UInt8], writeOutput: @escaping @Sendable ([UInt8]) -> Void,
        writeError: @escaping @Sendable (String) -> Void, outputIsStyledTerminal: Bool, currentDirectory: String,
        variables: [String: String] = [:]
    ) {
        self.readStandardInput = readStandardInput
        self.writeOutput = writeOutput
        self.writeError = writeError
        self.outputIsStyledTerminal = outputIsStyledTerminal
        self.currentDirectory = currentDirectory
        self.variables = variables
    }

    /// The process's standard streams; ANSI styles when standard output is a terminal and `NO_COLOR` is unset.
    public static var process: CommandEnvironment {
        CommandEnvironment(
            // A read error ends the input like its end does: what was read is then refused as malformed.
            readStandardInput: { limit in (try? readBytes(from: STDIN_FILENO, atMost: limit)) ?? [] },
            writeOutput: { FileHandle.standardOutput.write(Data($0)) },
            writeError: { FileHandle.standardError.write(Data($0.utf8)) },
            outputIsStyledTerminal: isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil,
            currentDirectory: FileManager.default.currentDirectoryPath,
            variables: ProcessInfo.processInfo.environment)
    }
}
