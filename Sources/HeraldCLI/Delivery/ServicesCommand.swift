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
                whether it is set. Exit status 78 when the file is invalid, a required variable is not set, or a \
                webhook URL will be refused (not http or https; plain http to a host that is not loopback).
                """)

        @OptionGroup var options: DeliveryOptions

        func run(in environment: CommandEnvironment) async throws(CommandFailure) -> HeraldExitStatus {
            let configuration = try options.configuration(in: environment)
            let variables = DeliveryEnvironment(environment.variables)
            var report = ""
            var missing: [String] = []
            var refused: [String] = []
            for service in Service.catalogue {
                guard let configured = configuration.services[service] else {
                    report += "\(service.id): not configured\n"
                    continue
                }
                let statuses = configured.environmentStatus(in: variables)
                let serviceMissing = statuses.filter(\.isMissing).map(\.name)
                let serviceRefused = statuses.filter { $0.refusal != nil }.map(\.name)
                missing += serviceMissing
                refused += serviceRefused
                let state =
                    if !serviceMissing.isEmpty { "missing environment variables" }
                    else if !serviceRefused.isEmpty { "unusable environment variables" }
                    else { "ok" }
                report += "\(service.id): \(state)\n"
                report += "  scopes: \(configured.scopes.joined(separator: ", "))\n"
                for status in statuses {
                    var value: String =
                        if !status.isSet { status.isRequired ? "not set (required)" : "not set" }
                        else if status.isSecret { "set (secret, not shown)" }
                        else { "= \(displayable(status.value ?? "", limit: 200))" }
                    if let refusal = status.refusal { value += "; refused: \(refusal)" }
                    report += "  \(status.name) (\(status.declaration.purpose)): \(value)\n"
                }
            }
            environment.writeOutput(Array(report.utf8))
            guard missing.isEmpty else {
                throw CommandFailure(
                    message: "required environment variable\(missing.count == 1 ? " is" : "s are") not set: \(missing.joined(separator: ", "))",
                    status: .configurationError)
            }
            guard refused.isEmpty else {
                throw CommandFailure(
                    message: "environment variable\(refused.count == 1 ? "" : "s") \(refused.joined(separator: ", ")) will be refused when sending; see above",
                    status: .configurationError)
            }
            return .success
        }
    }
}
