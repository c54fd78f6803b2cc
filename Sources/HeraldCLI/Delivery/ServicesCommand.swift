import ArgumentParser
import Herald
import HeraldDelivery

/// `herald services check`.
struct ServicesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "services", abstract: "Check the configured services.", subcommands: [Check.self])

    /// `herald services check`: the destinations file and the environment, secrets masked.
    struct Check: ParsableCommand, HeraldRunnable {
        static let configuration = CommandConfiguration(
            abstract: "Validate the destinations file and check every environment variable it names.",
            discussion: """
                Prints each configured service with its scopes and variables. A secret's value is never shown: only \
                whether it is set. Exit status 78 when the file is invalid or a required variable is not set.
                """)

        @OptionGroup var options: DeliveryOptions

        func run(in environment: CommandEnvironment) async throws(CommandFailure) -> HeraldExitStatus {
            let configuration = try options.configuration(in: environment)
            let variables = DeliveryEnvironment(environment.variables)
            var report = ""
            var missing: [String] = []
            for service in Service.allCases {
                guard let configured = configuration.services[service] else {
                    report += "\(service.rawValue): not configured\n"
                    continue
                }
                let statuses = configured.environmentStatus(in: variables)
                let serviceMissing = statuses.filter(\.isMissing).map(\.name)
                missing += serviceMissing
                report += "\(service.rawValue): \(serviceMissing.isEmpty ? "ok" : "missing environment variables")\n"
                report += "  scopes: \(configured.scopes.joined(separator: ", "))\n"
                for status in statuses {
                    let value: String =
                        if !status.isSet { status.isRequired ? "not set (required)" : "not set" }
                        else if status.isSecret { "set (secret, not shown)" }
                        else { "= \(status.value ?? "")" }
                    report += "  \(status.name) (\(status.declaration.purpose)): \(value)\n"
                }
            }
            environment.writeOutput(Array(report.utf8))
            guard missing.isEmpty else {
                throw CommandFailure(
                    message: "required environment variable\(missing.count == 1 ? " is" : "s are") not set: \(missing.joined(separator: ", "))",
                    status: .configurationError)
            }
            return .success
        }
    }
}
