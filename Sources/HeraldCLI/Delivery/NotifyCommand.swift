import ArgumentParser
import Herald
import HeraldDelivery

/// `herald notify EVENT FILE`: record a notification for every routed destination, then deliver.
struct NotifyCommand: ParsableCommand, HeraldRunnable {
    static let configuration = CommandConfiguration(
        commandName: "notify",
        abstract: "Publish a herald.message/v1 message as EVENT to every destination its routes name, and deliver it.",
        discussion: """
            The notification is written to the outbox before any attempt, then delivered with retries (waiting out \
            backoffs) until each destination has it or has failed. Prints one line per delivery, and a note for each \
            routed destination skipped because its toggle of the event's feature is off. Exit status 75 when \
            a delivery failed; it stays in the outbox for 'herald outbox retry'. While a delivery waits to be tried \
            again, a note on standard error says why and until when. Attachment files must lie in the message \
            file's directory or in a directory the destinations file lists under attachment_roots.
            """)

    @OptionGroup var options: DeliveryOptions

    @Flag(name: .long, help: "Only record the notification in the outbox; a later 'herald outbox retry' delivers it.")
    var queueOnly = false

    @Argument(help: "The event, e.g. scan_completed or PrintDone.")
    var event: String

    @Argument(help: "The message file, or - for standard input.")
    var file: String = "-"

    func run(in environment: CommandEnvironment) async throws(CommandFailure) -> HeraldExitStatus {
        let event = try parseEvent(event)
        let configuration = try options.configuration(in: environment)
        let input = try MessageInput.read(file, in: environment, attachmentRoots: configuration.attachmentRoots)
        let notifier = try await options.checkedNotifier(for: configuration, in: environment)
        environment.writeError(input.notes.map { "note: \(MessageInput.displayName(file)): \($0)\n" }.joined())
        let receipt = try await delivering { () async throws(DeliveryError) in try await notifier.notify(event, input.message) }
        environment.writeError(receipt.toggleNotes.map { "note: \($0)\n" }.joined())
        guard let id = receipt.notificationID else {
            environment.writeError("note: \(receipt.nothingSentNote(for: event))\n")
            return .success
        }
        if !queueOnly {
            let progress = DeliveryOptions.progressPrinter(environment)
            _ = try await delivering { () async throws(DeliveryError) in try await notifier.deliverPending(progress: progress) }
        }
        let entries = try await delivering { () async throws(DeliveryError) in try await notifier.outbox.entries(notificationID: id) }
        environment.writeOutput(Array(statusLines(entries).utf8))
        let deliveries = entries.compactMap(\.status)
        let failed = deliveries.filter { $0.state == .failed }.count
        guard failed == 0 else {
            throw CommandFailure(
                message: "\(failed) of \(deliveries.count) deliveries failed; 'herald outbox retry' sends them again",
                status: .deliveryFailed)
        }
        return .success
    }
}
