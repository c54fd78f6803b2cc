import ArgumentParser
import Foundation
import Herald
import HeraldCore
import HeraldDelivery

/// `herald features`: the features (named groups of events), their defaults, and which each service supports.
struct FeaturesCommand: ParsableCommand, HeraldRunnable {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Print the features (named groups of events), their defaults, and which features each service supports.",
        discussion: """
            One line per feature: id, default (on or off), its events, its name and the printer-farm server's name \
            for it (accepted wherever a feature is named); then one line per service with the features it supports. \
            The destinations file's features are included when there is one (--config, $HERALD_CONFIG or \
            herald.yaml in the current directory); otherwise only the built-in ones, with each plugin's support.
            """)

    @OptionGroup var options: DeliveryOptions

    @Flag(name: .long, help: "Print JSON: {\"features\": [...], \"services\": [...]}, as GET /v1/features answers.")
    var json = false

    func run(in environment: CommandEnvironment) async throws(CommandFailure) -> HeraldExitStatus {
        let hasFile = options.config != nil || environment.variables["HERALD_CONFIG"] != nil
            || FileManager.default.fileExists(atPath: options.configurationPath(in: environment))
        let configuration = hasFile ? try options.configuration(in: environment) : DeliveryConfiguration(services: [])
        if json {
            environment.writeOutput(JSONWriter(prettyPrinted: true).bytes(configuration.featuresJSON) + [UInt8(ascii: "\n")])
            return .success
        }
        var text: String = configuration.features.features.map { feature in
            let events = feature.events.map(\.rawValue).joined(separator: ",")
            return "\(feature.id)\t\(feature.isOnByDefault ? "on" : "off")\t\(events)\t\(feature.displayName)\t\(feature.seedName)\n"
        }.joined()
        text += "\n" + Service.catalogue.map { "\($0.id)\t\(configuration.supportedFeatureIDs(of: $0).joined(separator: ","))\n" }.joined()
        environment.writeOutput(Array(text.utf8))
        return .success
    }
}

/// `herald toggles list|set|reset`.
struct TogglesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "toggles", abstract: "Show or change which features reach each destination.",
        discussion: """
            A destination (service and scope) receives an event of a feature only when its toggle of that feature \
            is on; without a toggle of its own it gets the feature's default ('herald features'). An event in no \
            feature goes wherever its routes say.
            """,
        subcommands: [List.self, Set.self, Reset.self])

    /// `herald toggles list`.
    struct List: ParsableCommand, HeraldRunnable {
        static let configuration = CommandConfiguration(
            abstract: "Print each configured destination's toggles: service, scope, feature, on or off, default or set.")

        @OptionGroup var options: DeliveryOptions
        @Option(name: .long, help: "Only this service's destinations.") var service: String?
        @Option(name: .long, help: "Only destinations with this scope.") var scope: String?
        @Flag(name: .long, help: "Print a JSON array of {service, scope, feature, name, on, default}.") var json = false

        func run(in environment: CommandEnvironment) async throws(CommandFailure) -> HeraldExitStatus {
            let service = try self.service.map { name throws(CommandFailure) in try parseService(name) }
            let notifier = try options.notifier(in: environment)
            let toggles = try await delivering { () async throws(DeliveryError) in try await notifier.toggles(service: service, scope: scope) }
            writeToggles(toggles, json: json, in: environment)
            return .success
        }
    }

    /// `herald toggles set SERVICE SCOPE FEATURE on|off`.
    struct Set: ParsableCommand, HeraldRunnable {
        static let configuration = CommandConfiguration(
            abstract: "Turn FEATURE on or off for one destination; prints the toggle.")

        @OptionGroup var options: DeliveryOptions
        @Argument(help: "The service.") var service: String
        @Argument(help: "A configured scope of the service.") var scope: String
        @Argument(help: "The feature: its id (print_done) or the printer-farm name (notify_on_print_done).") var feature: String
        @Argument(help: "on or off.") var value: ToggleValue

        func run(in environment: CommandEnvironment) async throws(CommandFailure) -> HeraldExitStatus {
            try await change(service: service, scope: scope, feature: feature, to: value == .on, options: options, in: environment)
        }
    }

    /// `herald toggles reset SERVICE SCOPE FEATURE`.
    struct Reset: ParsableCommand, HeraldRunnable {
        static let configuration = CommandConfiguration(
            abstract: "Put FEATURE back to its default for one destination; prints the toggle.")

        @OptionGroup var options: DeliveryOptions
        @Argument(help: "The service.") var service: String
        @Argument(help: "A configured scope of the service.") var scope: String
        @Argument(help: "The feature: its id or the printer-farm name.") var feature: String

        func run(in environment: CommandEnvironment) async throws(CommandFailure) -> HeraldExitStatus {
            try await change(service: service, scope: scope, feature: feature, to: nil, options: options, in: environment)
        }
    }

    /// `on` or `off`.
    enum ToggleValue: String, ExpressibleByArgument, CaseIterable {
        case on, off
    }

    /// Sets one toggle (`nil`: back to the default) and prints it.
    private static func change(
        service: String, scope: String, feature: String, to isOn: Bool?, options: DeliveryOptions, in environment: CommandEnvironment
    ) async throws(CommandFailure) -> HeraldExitStatus {
        let destination = Destination(service: try parseService(service), scope: scope)
        let notifier = try options.notifier(in: environment)
        let toggles = try await delivering { () async throws(DeliveryError) in
            let toggles = try await notifier.setToggles([(feature, isOn)], for: destination)
            let id = try notifier.toggleFeature(named: feature, on: try await notifier.configuredService(for: destination)).id
            return toggles.filter { $0.feature.id == id }
        }
        writeToggles(toggles, json: false, in: environment)
        return .success
    }
}

/// Prints toggles as lines `service scope feature on|off default|set`, or as a JSON array.
private func writeToggles(_ toggles: [FeatureToggle], json: Bool, in environment: CommandEnvironment) {
    if json {
        environment.writeOutput(JSONWriter(prettyPrinted: true).bytes(.array(toggles.map(\.jsonValue))) + [UInt8(ascii: "\n")])
        return
    }
    let lines = toggles.map { toggle in
        "\(toggle.destination.service.id)\t\(toggle.destination.scope)\t\(toggle.feature.id)\t\(toggle.isOn ? "on" : "off")\t\(toggle.isDefault ? "default" : "set")\n"
    }
    environment.writeOutput(Array(lines.joined().utf8))
}
