import ArgumentParser
import Foundation
import Herald
import HeraldCore
import HeraldDelivery

/// `herald destinations list|add|remove`: the destinations created at run time, stored in the outbox, through the
/// same code as `herald serve`'s `/v1/destinations`.
struct DestinationsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "destinations", abstract: "Show, create or remove the destinations stored in the outbox beside the file's.",
        subcommands: [List.self, Add.self, Remove.self])

    /// `herald destinations list [--json]`.
    struct List: ParsableCommand, HeraldRunnable {
        static let configuration = CommandConfiguration(
            abstract: "Print every destination: origin (file or api), service/name, the names of a stored one's secret settings, and why it cannot be used.")

        @OptionGroup var options: DeliveryOptions
        @Flag(name: .long, help: "Print {\"destinations\": [...]} as GET /v1/destinations answers.") var json = false

        func run(in environment: CommandEnvironment) async throws(CommandFailure) -> HeraldExitStatus {
            let notifier = try options.notifier(in: environment)
            let listings = try await delivering { () async throws(DeliveryError) in try await notifier.listDestinations() }
            if json {
                environment.writeOutput(JSONWriter().bytes(["destinations": .array(listings.map(\.jsonValue))]) + [UInt8(ascii: "\n")])
                return .success
            }
            let lines = listings.map { listing in
                var line = "\(listing.origin.rawValue)\t\(displayable(listing.destination.description, limit: 200))"
                if !listing.secretNames.isEmpty { line += "\tsecrets: \(listing.secretNames.joined(separator: ","))" }
                if let problem = listing.problem { line += "\t\(displayable(problem, limit: 300))" }
                return line + "\n"
            }
            environment.writeOutput(Array(lines.joined().utf8))
            return .success
        }
    }

    /// `herald destinations add SERVICE NAME CONFIG`.
    struct Add: ParsableCommand, HeraldRunnable {
        static let configuration = CommandConfiguration(
            abstract: "Create destination NAME of SERVICE from CONFIG, checked as services.SERVICE.scopes.NAME of the destinations file would be.",
            discussion: """
                CONFIG is a JSON object, or - to read it from standard input (so that a secret such as a webhook URL \
                stays out of the process list). Secrets are given inline (webhook_url, not webhook_url_env) and are \
                stored only sealed with the key that destinations.secret_key_env names.
                """)

        @OptionGroup var options: DeliveryOptions
        @Argument(help: "The service: discord, slack, ...") var service: String
        @Argument(help: "The destination's name (letters, digits and . _ - + @).") var name: String
        @Argument(help: "The config as a JSON object, or - for standard input.") var config: String

        func run(in environment: CommandEnvironment) async throws(CommandFailure) -> HeraldExitStatus {
            let service = try parseService(service)
            let value = try DestinationsCommand.readConfig(config, in: environment)
            let notifier = try await options.checkedNotifier(in: environment)
            let listing = try await DestinationsCommand.changing { () async throws(DestinationError) in
                try await notifier.addDestination(Destination(service: service, scope: name), config: value)
            }
            environment.writeOutput(Array("created \(listing.destination)\n".utf8))
            return .success
        }
    }

    /// `herald destinations remove SERVICE NAME`.
    struct Remove: ParsableCommand, HeraldRunnable {
        static let configuration = CommandConfiguration(
            abstract: "Remove stored destination NAME of SERVICE; refused while routes or undelivered deliveries name it.")

        @OptionGroup var options: DeliveryOptions
        @Argument(help: "The service.") var service: String
        @Argument(help: "The destination's name.") var name: String

        func run(in environment: CommandEnvironment) async throws(CommandFailure) -> HeraldExitStatus {
            let service = try parseService(service)
            let notifier = try options.notifier(in: environment)
            try await DestinationsCommand.changing { () async throws(DestinationError) in
                try await notifier.removeDestination(Destination(service: service, scope: name))
            }
            return .success
        }
    }

    /// The config argument (`-`: standard input) as JSON, at most ``DestinationSettings/maximumConfigBytes``.
    static func readConfig(_ argument: String, in environment: CommandEnvironment) throws(CommandFailure) -> JSONValue {
        let limit = DestinationSettings.maximumConfigBytes
        let bytes = argument == "-" ? environment.readStandardInput(limit + 1) : Array(argument.utf8)
        guard bytes.count <= limit else {
            throw CommandFailure(message: "config: larger than the limit of \(limit) bytes", status: .invalidInput)
        }
        do throws(JSONSyntaxError) { return try JSONReader().read(bytes) } catch {
            throw CommandFailure(message: "config:\(error.line):\(error.column): malformed JSON: \(error.reason)", status: .invalidInput)
        }
    }

    /// Runs `body`, turning a ``DestinationError`` into a ``CommandFailure``: an invalid config exits 65, a name
    /// taken or in use 78, none stored 64, the outbox's failures as ``delivering(_:)`` says.
    @discardableResult
    static func changing<T>(_ body: () async throws(DestinationError) -> T) async throws(CommandFailure) -> T {
        do throws(DestinationError) { return try await body() } catch {
            switch error {
            case .invalid: throw CommandFailure(message: error.description, status: .invalidInput)
            case .conflict: throw CommandFailure(message: error.description, status: .configurationError)
            case .notFound: throw CommandFailure(message: error.description, status: .usage)
            case .delivery(let failure): throw CommandFailure(failure)
            }
        }
    }
}
