import ArgumentParser
import Foundation
import Herald
import HeraldDelivery

extension OutboxCommand {
    /// `herald outbox migrate`.
    struct Migrate: ParsableCommand, HeraldRunnable {
        static let configuration = CommandConfiguration(
            abstract: "Copy the undelivered deliveries of a SQLite outbox into another outbox (PostgreSQL).",
            discussion: """
                Copies every pending, interrupted and failed delivery with its notification, and every route, keeping \
                idempotency keys, attempts and retry times, so a delivery interrupted in the old outbox is taken \
                over (with the same key) in the new one. Running it again copies nothing twice. A delivery being \
                sent right now is not copied: stop the workers on the old outbox first. The old outbox is not changed. \
                --to is a postgres:// URL (password from PGPASSWORD) or a destinations file naming the new outbox.
                """)

        @Option(name: .long, help: ArgumentHelp("The SQLite outbox to copy from.", valueName: "file"))
        var from: String

        @Option(name: .long, help: ArgumentHelp("The outbox to copy into: a postgres:// URL or a destinations file.", valueName: "url-or-file"))
        var to: String

        func run(in environment: CommandEnvironment) async throws(CommandFailure) -> HeraldExitStatus {
            let source = URL(fileURLWithPath: from, relativeTo: URL(fileURLWithPath: environment.currentDirectory, isDirectory: true)).path
            guard FileManager.default.fileExists(atPath: source) else {
                throw CommandFailure(message: "--from: \(displayable(source, limit: 200)): no such outbox file", status: .usage)
            }
            let variables = DeliveryEnvironment(environment.variables)
            let target = try targetLocation(in: environment)
            let (transfer, added) = try await delivering { () async throws(DeliveryError) in
                let transfer = try await Outbox(path: source).exportUnfinished()
                return (transfer, try await Outbox(location: target, environment: variables).importTransfer(transfer))
            }
            environment.writeOutput(Array(
                "copied \(added) of \(transfer.deliveryCount) undelivered deliveries (\(transfer.deliveryCount - added) were there already)\n".utf8))
            if transfer.inFlight > 0 {
                environment.writeError(
                    "note: \(transfer.inFlight) deliver\(transfer.inFlight == 1 ? "y is" : "ies are") being sent right now and \(transfer.inFlight == 1 ? "was" : "were") not copied; stop the workers on \(displayable(source, limit: 200)) and run this again\n")
            }
            return .success
        }

        /// `--to` as an outbox location: a URL, or the `outbox` of a destinations file.
        private func targetLocation(in environment: CommandEnvironment) throws(CommandFailure) -> OutboxLocation {
            do throws(DeliveryError) {
                if PostgresOutboxSettings.isURL(to) { return try OutboxLocation(to) }
            } catch {
                throw CommandFailure(message: "--to: \(error.description)", status: .usage)
            }
            let file = URL(fileURLWithPath: to, relativeTo: URL(fileURLWithPath: environment.currentDirectory, isDirectory: true)).path
            let configuration: DeliveryConfiguration
            do throws(ConfigurationError) {
                configuration = try DeliveryConfiguration(contentsOf: file)
            } catch {
                throw CommandFailure(message: "--to: \(error.description)", status: .configurationError)
            }
            guard let location = configuration.outboxLocation else {
                throw CommandFailure(message: "--to: \(displayable(to, limit: 200)) names no outbox", status: .configurationError)
            }
            return location
        }
    }
}
