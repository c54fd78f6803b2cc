import ArgumentParser
import Foundation
import Herald
import HeraldDelivery

/// `herald outbox list|retry`.
struct OutboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox", abstract: "Show the outbox, or deliver what it still holds.", subcommands: [List.self, Retry.self])

    /// `herald outbox list`.
    struct List: ParsableCommand, HeraldRunnable {
        static let configuration = CommandConfiguration(
            abstract: "Print every delivery: state, destination, id, event, attempts and the last error.",
            discussion: "States: pending, sending, interrupted (its sender stopped mid-attempt), delivered, failed.")

        @OptionGroup var options: DeliveryOptions

        @Option(name: .long, help: "Only deliveries in this state.")
        var state: DeliveryStateArgument?

        @Flag(name: .long, help: "Print a JSON array of deliveries instead of lines.")
        var json = false

        func run(in environment: CommandEnvironment) async throws(CommandFailure) -> HeraldExitStatus {
            let notifier = try options.notifier(in: environment)
            let states = state.map { Swift.Set([$0.state]) }
            let deliveries = try await delivering { () async throws(DeliveryError) in try await notifier.outbox.deliveries(states: states) }
            if json {
                let array = JSONValue.array(deliveries.map(\.jsonValue))
                environment.writeOutput(JSONWriter(prettyPrinted: true).bytes(array) + [UInt8(ascii: "\n")])
            } else {
                environment.writeOutput(Array(statusLines(deliveries).utf8))
            }
            return .success
        }
    }

    /// `herald outbox retry`.
    struct Retry: ParsableCommand, HeraldRunnable {
        static let configuration = CommandConfiguration(
            abstract: "Put failed deliveries back (all, or the given ids) and deliver everything pending or interrupted.",
            discussion: """
                Run this after a crash or an outage: deliveries keep their idempotency keys. Prints a summary line. \
                Exit status 75 when a delivery failed again.
                """)

        @OptionGroup var options: DeliveryOptions

        @Argument(help: "Delivery ids (from 'herald outbox list'); all failed deliveries when none.")
        var ids: [Int64] = []

        func run(in environment: CommandEnvironment) async throws(CommandFailure) -> HeraldExitStatus {
            let notifier = try options.notifier(in: environment)
            let ids = ids.isEmpty ? nil : ids
            let requeued = try await delivering { () async throws(DeliveryError) in try await notifier.outbox.retryFailed(ids: ids) }
            let summary = try await delivering { () async throws(DeliveryError) in try await notifier.deliverPending() }
            let failed = try await delivering { () async throws(DeliveryError) in try await notifier.outbox.deliveries(states: [.failed]) }
            environment.writeOutput(Array("requeued \(requeued) failed; delivered \(summary.delivered), retried \(summary.retried), failed \(summary.failed)\n".utf8))
            guard failed.isEmpty else {
                throw CommandFailure(
                    message: "\(failed.count) deliver\(failed.count == 1 ? "y" : "ies") failed; see 'herald outbox list --state failed'",
                    status: .deliveryFailed)
            }
            return .success
        }
    }
}

/// A `--state` value.
struct DeliveryStateArgument: ExpressibleByArgument {
    let state: DeliveryState

    init?(argument: String) {
        guard let state = DeliveryState(rawValue: argument) else { return nil }
        self.state = state
    }

    static var allValueStrings: [String] { DeliveryState.allCases.map(\.rawValue) }
}

extension DeliveryStatus {
    /// The delivery as JSON for `herald outbox list --json`.
    var jsonValue: JSONValue {
        var object: [String: JSONValue] = [
            "id": .integer(Int(id)), "notification": .string(notificationID), "event": .string(event.rawValue),
            "service": .string(service.rawValue), "scope": .string(scope), "idempotency_key": .string(idempotencyKey),
            "state": .string(state.rawValue), "attempts": .integer(attempts), "interrupted_attempts": .integer(interruptedAttempts),
            "created_at": .string(Self.timestamp(createdAt)),
        ]
        if let lastError { object["last_error"] = .string(lastError) }
        if let nextAttemptAt { object["next_attempt_at"] = .string(Self.timestamp(nextAttemptAt)) }
        if let deliveredAt { object["delivered_at"] = .string(Self.timestamp(deliveredAt)) }
        if let reference { object["reference"] = .string(reference) }
        return .object(object)
    }

    private static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}
