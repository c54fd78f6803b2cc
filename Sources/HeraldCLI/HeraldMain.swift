import ArgumentParser
import Foundation

/// The `herald` executable's entry point: parses the arguments, runs the command, and turns every failure into
/// one `error:` line on standard error and a documented exit status (see ``ExitStatus``).
public enum HeraldMain {
    /// Runs `herald` with the process arguments and exits.
    public static func run() -> Never {
        let status = run(arguments: Array(CommandLine.arguments.dropFirst()), environment: .process)
        exit(status.rawValue)
    }

    /// Runs `herald` with `arguments` in `environment`, writing through it, and returns the exit status.
    public static func run(arguments: [String], environment: CommandEnvironment) -> ExitStatus {
        let command: ParsableCommand
        do {
            command = try HeraldCommand.parseAsRoot(arguments)
        } catch {
            let exitCode = HeraldCommand.exitCode(for: error)
            if exitCode == .success {
                environment.writeOutput(Array((HeraldCommand.fullMessage(for: error) + "\n").utf8))
                return .success
            }
            let message = HeraldCommand.message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid arguments"
            environment.writeError("error: \(message) (see 'herald help')\n")
            return .usage
        }
        guard let runnable = command as? HeraldRunnable else {
            environment.writeOutput(Array((HeraldCommand.helpMessage(for: type(of: command)) + "\n").utf8))
            return .success
        }
        do {
            return try runnable.run(in: environment)
        } catch {
            environment.writeError("error: \(error.message)\n")
            return error.status
        }
    }
}

/// A subcommand that does its work through a ``CommandEnvironment`` and reports failure as a ``CommandFailure``.
protocol HeraldRunnable {
    func run(in environment: CommandEnvironment) throws(CommandFailure) -> ExitStatus
}

/// The root command.
struct HeraldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "herald",
        abstract: "Render one rich notification for SciLog, Teams, Signal and Markdown, and report what each cannot show.",
        subcommands: [RenderCommand.self])
}
