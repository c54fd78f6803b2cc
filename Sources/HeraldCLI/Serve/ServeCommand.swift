import ArgumentParser
import Foundation
import HeraldDelivery
import HeraldServer
import Logging
import ServiceLifecycle

/// `herald serve`: the HTTP API and the delivery worker in one process, until SIGTERM or SIGINT.
struct ServeCommand: ParsableCommand, HeraldRunnable {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run Herald as an HTTP service: the API (GET /openapi.yaml describes it) and the delivery worker.",
        discussion: """
            Bearer tokens come from the environment variables the destinations file names under server.tokens; \
            without one the server does not start, unless --insecure-open-loopback runs it open on a loopback \
            address. Prints 'listening on http://HOST:PORT' on standard output once it listens, and logs to \
            standard error (no token or secret in any line). On SIGTERM or SIGINT it stops accepting, answers the \
            requests under way, lets delivery attempts under way finish within server.shutdown_grace_period and \
            gives back the leases of the rest, then exits 0. Exit status 71 when it cannot listen or stops on an \
            error, 74 when the outbox fails.
            """)

    @OptionGroup var options: DeliveryOptions

    @Option(name: .long, help: ArgumentHelp("The address to listen on, HOST:PORT ([::1]:PORT for IPv6; port 0 picks a free one).", valueName: "host:port"))
    var listen = ListenAddress.default.description

    @Flag(name: .customLong("insecure-open-loopback"), help: "Run without tokens, every caller an admin; only on a loopback --listen address.")
    var openOnLoopback = false

    @Flag(name: .customLong("no-delivery"), help: "Only accept and answer; other instances sharing the outbox deliver.")
    var noDelivery = false

    func run(in environment: CommandEnvironment) async throws(CommandFailure) -> HeraldExitStatus {
        let address: ListenAddress
        do throws(ServerSetupError) { address = try ListenAddress(parsing: listen) } catch { throw failure(error, in: environment) }
        let configuration = try options.configuration(in: environment)
        let checked = try await options.checkedNotifier(for: configuration, in: environment)
        let outbox = checked.outbox
        let variables = DeliveryEnvironment(environment.variables)
        // The stored destinations' secrets too (those stored before the start; none is ever logged).
        let redactor = try await delivering { () async throws(DeliveryError) in try await checked.directory().redactor }
        var logger = Logger(label: "herald.serve") { label in
            RedactingLogHandler(wrapping: StreamLogHandler.standardError(label: label), redactor: redactor)
        }
        logger.logLevel = .info
        let server: HeraldServer
        do throws(ServerSetupError) {
            server = try HeraldServer(
                configuration: configuration, outbox: outbox, environment: variables, address: address, openOnLoopback: openOnLoopback,
                logger: logger)
        } catch {
            throw failure(error, in: environment)
        }
        let services = server.services(delivering: !noDelivery) { port in
            var shown = address
            shown.port = port
            environment.writeOutput(Array("listening on http://\(shown)\n".utf8))
        }
        var groupConfiguration = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = server.maximumShutdownDuration
        do {
            try await ServiceGroup(configuration: groupConfiguration).run()
        } catch let error as DeliveryError {
            throw CommandFailure(error)
        } catch {
            throw CommandFailure(message: "herald serve on \(redactor.redact(server.describe(error)))", status: .serverFailure)
        }
        return .success
    }

    private func failure(_ error: ServerSetupError, in environment: CommandEnvironment) -> CommandFailure {
        switch error {
        case .usage(let reason):
            CommandFailure(message: reason, status: .usage)
        case .configuration(let error):
            CommandFailure(
                message: ConfigurationError(file: options.configurationPath(in: environment), path: error.path, reason: error.reason).description,
                status: .configurationError)
        }
    }
}
