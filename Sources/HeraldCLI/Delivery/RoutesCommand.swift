import ArgumentParser
import Herald
import HeraldDelivery

/// `herald routes list|set|unset`.
struct RoutesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "routes", abstract: "Show or change which destinations each event goes to.",
        subcommands: [List.self, Set.self, Unset.self])

    /// `herald routes list`.
    struct List: ParsableCommand, HeraldRunnable {
        static let configuration = CommandConfiguration(
            abstract: "Print every route: event, service and scopes, one per line.")

        @OptionGroup var options: DeliveryOptions

        func run(in environment: CommandEnvironment) async throws(CommandFailure) -> HeraldExitStatus {
            let notifier = try options.notifier(in: environment)
            let routes = try await delivering { () async throws(DeliveryError) in try await notifier.routes() }
            environment.writeOutput(Array(routes.map { "\($0.event)\t\($0.service.id)\t\($0.scopes.joined(separator: ","))\n" }.joined().utf8))
            return .success
        }
    }

    /// `herald routes set EVENT SERVICE SCOPE...`.
    struct Set: ParsableCommand, HeraldRunnable {
        static let configuration = CommandConfiguration(
            abstract: "Route EVENT on SERVICE to exactly these scopes (replacing the scopes it had).")

        @OptionGroup var options: DeliveryOptions
        @Argument(help: "The event.") var event: String
        @Argument(help: "The service: markdown, signal, ...") var service: String
        @Argument(help: "Configured scopes of the service.") var scopes: [String]

        func validate() throws {
            if scopes.isEmpty { throw ValidationError("name at least one scope") }
        }

        func run(in environment: CommandEnvironment) async throws(CommandFailure) -> HeraldExitStatus {
            let (event, service) = (try parseEvent(event), try parseService(service))
            let notifier = try await options.checkedNotifier(in: environment)
            try await delivering { () async throws(DeliveryError) in
                try await notifier.setAutoNotifications(event: event, service: service, enabled: true, scopes: scopes)
            }
            return .success
        }
    }

    /// `herald routes unset EVENT SERVICE [SCOPE...]`.
    struct Unset: ParsableCommand, HeraldRunnable {
        static let configuration = CommandConfiguration(
            abstract: "Stop routing EVENT on SERVICE to these scopes, or to any scope when none is given.")

        @OptionGroup var options: DeliveryOptions
        @Argument(help: "The event.") var event: String
        @Argument(help: "The service.") var service: String
        @Argument(help: "Scopes to remove; all when none.") var scopes: [String] = []

        func run(in environment: CommandEnvironment) async throws(CommandFailure) -> HeraldExitStatus {
            let (event, service) = (try parseEvent(event), try parseService(service))
            let notifier = try options.notifier(in: environment)
            try await delivering { () async throws(DeliveryError) in
                try await notifier.setAutoNotifications(event: event, service: service, enabled: false, scopes: scopes)
            }
            return .success
        }
    }
}
