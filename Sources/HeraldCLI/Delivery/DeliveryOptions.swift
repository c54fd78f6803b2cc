import ArgumentParser
import Foundation
import Herald
import HeraldDelivery
import Logging

/// The options every delivery command shares: where the destinations file and the outbox are.
struct DeliveryOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The destinations file (YAML).", discussion: "Default: $HERALD_CONFIG, else herald.yaml in the current directory.", valueName: "file"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("The outbox: a SQLite file or a postgres:// URL (password from PGPASSWORD).", discussion: "Default: the destinations file's 'outbox', else herald-outbox.sqlite beside it.", valueName: "file-or-url"))
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
        do throws(DeliveryError) {
            let location = try outbox.map { text throws(DeliveryError) in try OutboxLocation(text) { resolve($0, in: environment) } }
                ?? configuration.outboxLocation
                ?? .sqlite(path: URL(fileURLWithPath: configurationPath(in: environment)).deletingLastPathComponent()
                    .appendingPathComponent("herald-outbox.sqlite").path)
            return try Outbox(location: location, environment: DeliveryEnvironment(environment.variables))
        } catch {
            throw CommandFailure(error)
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

    /// ``notifier(for:in:)``, refusing (exit 78) when the stored destinations' secrets do not open (the key's
    /// variable unset, malformed or wrong), or when the outbox names destinations neither the file nor the stored
    /// destinations define: a route or an undelivered delivery to a removed scope could never be delivered. The error says how
    /// to drop or re-point them; `routes unset`, `outbox drop` and the listing commands do not refuse.
    func checkedNotifier(for configuration: DeliveryConfiguration? = nil, in environment: CommandEnvironment) async throws(CommandFailure) -> Notifier {
        let notifier: Notifier
        if let configuration {
            notifier = try self.notifier(for: configuration, in: environment)
        } else {
            notifier = try self.notifier(in: environment)
        }
        try await delivering { () async throws(DeliveryError) in try await notifier.checkStoredDestinations() }
        let orphans = try await delivering { () async throws(DeliveryError) in try await notifier.orphans() }
        guard orphans.isEmpty else {
            throw CommandFailure(message: Self.describe(orphans, file: configurationPath(in: environment)), status: .configurationError)
        }
        return notifier
    }

    /// One line naming the orphaned routes and deliveries (the first few of each) and the commands that fix them.
    private static func describe(_ orphans: Orphans, file: String) -> String {
        let shown = 5
        func list(_ items: [String]) -> String {
            items.prefix(shown).joined(separator: ", ") + (items.count > shown ? " and \(items.count - shown) more" : "")
        }
        func name(_ text: String) -> String { displayable(text, limit: 80) }
        var found: [String] = []
        var fixes: [String] = []
        if let first = orphans.routes.first {
            found.append("route\(orphans.routes.count == 1 ? "" : "s") " + list(orphans.routes.map { "\(name($0.event)) → \(name($0.service))/\(name($0.scope))" }))
            fixes.append(
                "drop each route with 'herald routes unset EVENT SERVICE SCOPE' (e.g. 'herald routes unset \(name(first.event)) \(name(first.service)) \(name(first.scope))') or re-point it with 'herald routes set'")
        }
        if !orphans.deliveries.isEmpty {
            found.append("undelivered deliver\(orphans.deliveries.count == 1 ? "y" : "ies") " + list(orphans.deliveries.map { "#\($0.id) (\(name($0.destination)))" }))
            fixes.append("drop the deliveries with 'herald outbox drop --orphaned'")
        }
        return "\(displayable(file, limit: 200)) no longer defines the destinations of \(found.joined(separator: " and ")); "
            + fixes.joined(separator: ", and ") + ", or define those scopes again"
    }

    /// Prints each wait of a delivery as a `note:` line on standard error: the destination, the service's reason,
    /// and until when (local time, ISO 8601).
    static func progressPrinter(_ environment: CommandEnvironment) -> @Sendable (DeliveryProgress) -> Void {
        { progress in
            switch progress {
            case .waiting(let wait):
                let until = wait.until.formatted(Date.ISO8601FormatStyle(timeZoneSeparator: .colon, timeZone: .current))
                environment.writeError("note: \(wait.destination) (#\(wait.deliveryID)): \(displayable(wait.reason, limit: 300)); waiting until \(until) to try again\n")
            }
        }
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
        case .invalidConfiguration, .invalidRoute, .unsupportedFeature, .invalidToggle: self.init(message: error.description, status: .configurationError)
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
    guard let service = Service(id: name) else {
        throw CommandFailure(message: Service.unknownServiceReason(name), status: .usage)
    }
    return service
}

/// One line per delivery: `state  destination  #id  event  attempts  [reason]`; an unreadable row as
/// `unreadable  #id  why`.
func statusLines(_ entries: [OutboxEntry]) -> String {
    entries.map { entry in
        switch entry {
        case .delivery(let delivery):
            var line = "\(delivery.state.rawValue)\t\(delivery.destination)\t#\(delivery.id)\t\(delivery.event)\tattempts \(delivery.attempts)"
            if delivery.state != .delivered, let error = delivery.lastError { line += "\t\(error)" }
            return line + "\n"
        case .unreadable(let row):
            return "unreadable\t#\(row.id)\t\(row.reason)\n"
        }
    }.joined()
}
