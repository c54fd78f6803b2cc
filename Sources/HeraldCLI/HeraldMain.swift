import ArgumentParser
import Foundation

/// The `herald` executable's entry point: parses the arguments, runs the command, and turns every failure into
/// one `error:` line on standard error and a documented exit status (see ``HeraldExitStatus``).
public enum HeraldMain {
    /// Runs `herald` with the process arguments and exits.
    public static func run() async -> Never {
        let status = await run(arguments: Array(CommandLine.arguments.dropFirst()), environment: .process)
        exit(status.rawValue)
    }

    /// Runs `herald` with `arguments` in `environment`, writing through it, and returns the exit status.
    public static func run(arguments: [String], environment: CommandEnvironment) async -> HeraldExitStatus {
        do {
            var command = try HeraldCommand.parseAsRoot(arguments)
            guard let runnable = command as? HeraldRunnable else {
                try command.run()  // `herald` alone and `herald help`: ArgumentParser throws its help request.
                return .success
            }
            return try await runnable.run(in: environment)
        } catch let failure as CommandFailure {
            environment.writeError("error: \(failure.message)\n")
            return failure.status
        } catch {
            if HeraldCommand.exitCode(for: error) == .success {
                environment.writeOutput(Array((HeraldCommand.fullMessage(for: error) + "\n").utf8))
                return .success
            }
            let lines = HeraldCommand.message(for: error).split(separator: "\n")
            // ArgumentParser lists six or more valid values one per line ("  - value"): they join the one error line.
            let values = lines.dropFirst().filter { $0.hasPrefix("  - ") }.map { "'\($0.dropFirst(4))'" }
            let message = (lines.first.map(String.init) ?? "invalid arguments") + (values.isEmpty ? "" : " " + values.joined(separator: ", "))
            environment.writeError("error: \(message) (see 'herald help')\n")
            return .usage
        }
    }
}

/// A subcommand that does its work through a ``CommandEnvironment`` and reports failure as a ``CommandFailure``.
protocol HeraldRunnable {
    func run(in environment: CommandEnvironment) async throws(CommandFailure) -> HeraldExitStatus
}

/// The root command.
struct HeraldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "herald",
        abstract: "Render one rich notification for every service Herald knows, report what each cannot show, and deliver it.",
        subcommands: [
            RenderCommand.self, NotifyCommand.self, RoutesCommand.self, FeaturesCommand.self, TogglesCommand.self,
            ServicesCommand.self, TestCommand.self, OutboxCommand.self, DestinationsCommand.self, ServeCommand.self,
        ])
}
