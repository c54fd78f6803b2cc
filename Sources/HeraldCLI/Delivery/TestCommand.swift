import ArgumentParser
import Herald
import HeraldDelivery

/// `herald test SERVICE SCOPE`: send the service's test message to one destination.
struct TestCommand: ParsableCommand, HeraldRunnable {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Send a test message to one destination, once, outside the outbox.",
        discussion: "Exit status 75 when the service does not accept it; the error line gives the service's answer.")

    @OptionGroup var options: DeliveryOptions
    @Argument(help: "The service.") var service: String
    @Argument(help: "One of its configured scopes.") var scope: String

    func run(in environment: CommandEnvironment) async throws(CommandFailure) -> HeraldExitStatus {
        let destination = Destination(service: try parseService(service), scope: scope)
        let notifier = try options.notifier(in: environment)
        let result = try await delivering { () async throws(DeliveryError) in try await notifier.sendTestMessage(to: destination) }
        switch result {
        case .success(let receipt):
            let reference = receipt.reference.map { ", reference \($0)" } ?? ""
            environment.writeOutput(Array("delivered a test message to \(destination) (HTTP \(receipt.status)\(reference))\n".utf8))
            return .success
        case .failure(let failure):
            throw CommandFailure(message: "\(destination): \(failure)", status: .deliveryFailed)
        }
    }
}
