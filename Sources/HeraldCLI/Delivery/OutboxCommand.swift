import ArgumentParser
import Foundation
import Herald
import HeraldDelivery

/// `herald outbox list|retry|drop|migrate`.
struct OutboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox", abstract: "Show the outbox, deliver what it still holds, drop deliveries, or copy them to another outbox.",
        subcommands: [List.self, Retry.self, Drop.self, Migrate.self])

    /// `herald outbox list`.
    struct List: ParsableCommand, HeraldRunnable {
        static let configuration = CommandConfiguration(
            abstract: "Print every delivery: state, destination, id, event, attempts and the last error.",
            discussion: """
                States: pending, sending, interrupted (its sender stopped mid-attempt), delivered, failed. A row this \
                version cannot read (an unknown service, event or state) is shown as unreadable, with why.
                """)

        @OptionGroup var options: DeliveryOptions

        @Option(name: .long, help: "Only deliveries in this state.")
        var state: DeliveryStateArgument?

        @Flag(name: .long, help: "Print a JSON array of deliveries instead of lines.")
        var json = false

        func run(in environment: CommandEnvironment) async throws(CommandFailure) -> HeraldExitStatus {
            let notifier = try options.notifier(in: environment)
            let states = state.map { Swift.Set([$0.state]) }
            let entries = try await delivering { () async throws(DeliveryError) in try await notifier.outbox.entries(states: states) }
            if json {
                let array = JSONValue.array(entries.map(\.jsonValue))
                environment.writeOutput(JSONWriter(prettyPrinted: true).bytes(array) + [UInt8(ascii: "\n")])
            } else {
                environment.writeOutput(Array(statusLines(entries).utf8))
            }
            return .success
        }
    }

    /// `herald outbox retry`.
    struct Retry: ParsableCommand, HeraldRunnable {
        static let configuration = CommandConfiguration(
            abstract: "Put failed deliveries back (all, or the given ids) and deliver everything pending or interrupted.",
            discussion: """
                Run this after a crash or an outage: deliveries keep their idempotency keys. Prints a summary line, \
                and a note for each wait before a delivery is tried again and for each unreadable row (left as it \
                is). Exit status 75 when a delivery failed again.
                """)

        @OptionGroup var options: DeliveryOptions

        @Argument(help: "Delivery ids (from 'herald outbox list'); all failed deliveries when none.")
        var ids: [Int64] = []

        func run(in environment: CommandEnvironment) async throws(CommandFailure) -> HeraldExitStatus {
            let notifier = try await options.checkedNotifier(in: environment)
            let ids = ids.isEmpty ? nil : ids
            let requeued = try await delivering { () async throws(DeliveryError) in try await notifier.outbox.retryFailed(ids: ids) }
            let progress = DeliveryOptions.progressPrinter(environment)
            let summary = try await delivering { () async throws(DeliveryError) in try await notifier.deliverPending(progress: progress) }
            let entries = try await delivering { () async throws(DeliveryError) in try await notifier.outbox.entries() }
            for case .unreadable(let row) in entries {
                environment.writeError("note: delivery #\(row.id) is unreadable (\(row.reason)); left as it is\n")
            }
            let failed = entries.filter { $0.status?.state == .failed }
            environment.writeOutput(Array("requeued \(requeued) failed; delivered \(summary.delivered), retried \(summary.retried), failed \(summary.failed)\n".utf8))
            guard failed.isEmpty else {
                throw CommandFailure(
                    message: "\(failed.count) deliver\(failed.count == 1 ? "y" : "ies") failed; see 'herald outbox list --state failed'",
                    status: .deliveryFailed)
            }
            return .success
        }
    }

    /// `herald outbox drop`.
    struct Drop: ParsableCommand, HeraldRunnable {
        static let configuration = CommandConfiguration(
            abstract: "Delete deliveries that must not be sent: the given ids, or every one whose destination is no longer defined.",
            discussion: """
                A delivery being attempted right now is not dropped. With --orphaned: the deliveries not yet \
                delivered whose scope or service the destinations file no longer defines. Prints a summary line.
                """)

        @OptionGroup var options: DeliveryOptions

        @Flag(name: .long, help: "Drop every undelivered delivery to a destination the destinations file no longer defines.")
        var orphaned = false

        @Argument(help: "Delivery ids (from 'herald outbox list').")
        var ids: [Int64] = []

        func validate() throws {
            guard orphaned != !ids.isEmpty else { throw ValidationError("give delivery ids or --orphaned (not both)") }
        }

        func run(in environment: CommandEnvironment) async throws(CommandFailure) -> HeraldExitStatus {
            let notifier = try options.notifier(in: environment)
            let ids = orphaned ? try await delivering { () async throws(DeliveryError) in try await notifier.orphans().deliveries.map(\.id) } : ids
            let dropped = try await delivering { () async throws(DeliveryError) in try await notifier.outbox.drop(ids: ids) }
            environment.writeOutput(Array("dropped \(dropped.count) deliver\(dropped.count == 1 ? "y" : "ies")\n".utf8))
            let kept = Swift.Set(ids).subtracting(dropped).sorted()
            guard kept.isEmpty else {
                throw CommandFailure(
                    message: "not dropped (no such delivery, or being sent right now): \(kept.map { "#\($0)" }.joined(separator: ", "))",
                    status: .usage)
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
