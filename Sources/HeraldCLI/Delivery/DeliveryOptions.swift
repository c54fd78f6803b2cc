import ArgumentParser
import Foundation
import Herald
import HeraldDelivery
import Logging

/// The options every delivery command shares: where the destinations file and the outbox are.
struct DeliveryOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The destinations file (YAML).", discussion: "Default: $HERALD_CONFIG, else herald.yaml in the current directory.", valueName: "file"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("The outbox database (SQLite).", discussion: "Default: the destinations file's 'outbox', else herald-outbox.sqlite beside it.", valueName: "file"))
    var outbox: String?

    /// The destinations file's path.
    func configurationPath(in environment: CommandEnvironment) -> String {
        resolve(config ?? environment.variables["HERALD_CONFIG"] ?? "herald.yaml", in: environment)
    }

    /// Reads and validates the destinations file.
    func configuration(in environment: CommandEnvironment) throws(CommandFailure) -> DeliveryConfiguration {
        let path = configurationPath(in: environment)
        guard FileManager.default.fileExists(atPath: path) else {
            throw CommandFailure(message: "\(path): no such destinations file (give --config or set HERALD_CONFIG)", status: .configurationError)
        }
        do throws(ConfigurationError) {
            return try DeliveryConfiguration(contentsOf: path)
        } catch {
            throw CommandFailure(message: error.description, status: .configurationError)
        }
    }

    /// Opens the outbox.
    func openOutbox(for configuration: DeliveryConfiguration, in environment: CommandEnvironment) throws(CommandFailure) -> Outbox {
        let path = outbox.map { resolve($0, in: environment) } ?? configuration.outboxPath
            ?? URL(fileURLWithPath: configurationPath(in: environment)).deletingLastPathComponent().appendingPathComponent("herald-outbox.sqlite").path
        do throws(DeliveryError) {
            return try Outbox(path: path)
        } catch {
            throw CommandFailure(message: error.description, status: .storageFailure)
        }
    }

    /// The configuration, the outbox and a notifier on them, reading secrets from `environment`.
    func notifier(in environment: CommandEnvironment) throws(CommandFailure) -> Notifier {
        try notifier(for: configuration(in: environment), in: environment)
    }

    /// The outbox of `configuration` and a notifier on them, reading secrets from `environment`.
    func notifier(for configuration: DeliveryConfiguration, in environment: CommandEnvironment) throws(CommandFailure) -> Notifier {
        Notifier(
            configuration: configuration, outbox: try openOutbox(for: configuration, in: environment),
            environment: DeliveryEnvironment(environment.variables),
            logger: Logger(label: "herald.delivery", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    private func resolve(_ path: String, in environment: CommandEnvironment) -> String {
        URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: environment.currentDirectory, isDirectory: true)).path
    }
}

extension CommandFailure {
    /// The failure for a delivery error: storage problems exit 74, the rest 78.
    init(_ error: DeliveryError) {
        switch error {
        case .storage: self.init(message: error.description, status: .storageFailure)
        case .invalidEvent: self.init(message: error.description, status: .usage)
        case .invalidConfiguration, .invalidRoute: self.init(message: error.description, status: .configurationError)
        }
    }
}

/// Runs `body`, turning a ``DeliveryError`` into a ``CommandFailure``.
func delivering<T>(_ body: () async throws(DeliveryError) -> T) async throws(CommandFailure) -> T {
    do throws(DeliveryError) { return try await body() } catch { throw CommandFailure(error) }
}

/// Parses an event argument.
func parseEvent(_ name: String) throws(CommandFailure) -> NotificationEvent {
    do throws(DeliveryError) { return try NotificationEvent(validating: name) } catch { throw CommandFailure(error) }
}

/// Parses a service argument.
func parseService(_ name: String) throws(CommandFailure) -> Service {
    guard let service = Service(rawValue: name) else {
        throw CommandFailure(
            message: "unknown service \(quoted(name)); expected one of \(Service.allCases.map(\.rawValue).joined(separator: ", "))",
            status: .usage)
    }
    return service
}

/// One line per delivery: `state  destination  #id  attempts  [reason]`.
func statusLines(_ deliveries: [DeliveryStatus]) -> String {
    deliveries.map { delivery in
        var line = "\(delivery.state.rawValue)\t\(delivery.destination)\t#\(delivery.id)\t\(delivery.event)\tattempts \(delivery.attempts)"
        if delivery.state != .delivered, let error = delivery.lastError { line += "\t\(error)" }
        return line + "\n"
    }.joined()
}
