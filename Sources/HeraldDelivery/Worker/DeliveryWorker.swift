import Foundation
import Herald
import Logging

/// Delivers what the outbox holds: claims due deliveries, renders and sends them with bounded concurrency, and
/// records each outcome (delivered, retry after a backoff, failed).
///
/// A worker has a unique owner id for its leases. Cancelling it is like a crash: attempts under way are left in
/// flight and any worker takes them over when their leases expire.
struct DeliveryWorker: Sendable {
    let outbox: Outbox
    let configuration: DeliveryConfiguration
    let transport: any DeliveryTransport
    let environment: DeliveryEnvironment
    let logger: Logger
    let owner = UUID().uuidString.lowercased()

    /// Works until nothing is pending or in flight (`untilIdle`), or until cancelled.
    func run(untilIdle: Bool) async throws(DeliveryError) -> DeliveryRunSummary {
        let policy = configuration.policy
        let redactor = SecretRedactor(secrets: configuration.secrets(in: environment))
        var summary = DeliveryRunSummary()
        var failure: DeliveryError?
        await withTaskGroup(of: WorkerEvent.self) { group in
            var running = 0
            var timerRunning = false
            work: while !Task.isCancelled {
                do throws(DeliveryError) {
                    let claimed = try await outbox.claim(
                        limit: policy.concurrency - running, owner: owner, now: Date(),
                        lease: { policy.lease(forRequests: $0 + 1) })
                    for delivery in claimed {
                        running += 1
                        group.addTask { await .attempted(attempt(delivery, redactor: redactor)) }
                    }
                    let next = try await outbox.nextDueDate(excludingOwner: owner)
                    if next == nil, running == 0, untilIdle { break work }
                    if !timerRunning, running < policy.concurrency {
                        // Wake for the next due delivery (or to poll), unless an attempt finishes first.
                        let wait = min(max(next?.timeIntervalSinceNow ?? .infinity, 0.001), policy.pollInterval.seconds)
                        timerRunning = true
                        group.addTask {
                            try? await Task.sleep(for: .milliseconds(Int64((wait * 1000).rounded(.up))))
                            return .timer
                        }
                    }
                } catch {
                    failure = error
                    break work
                }
                switch await group.next() {
                case .attempted(let result)?:
                    running -= 1
                    summary.add(result)
                case .timer?: timerRunning = false
                case nil: break work
                }
            }
            group.cancelAll()
        }
        if let failure { throw failure }
        return summary
    }

    /// One attempt at one delivery; returns what happened, or `nil` when cancelled before the outcome was known.
    private func attempt(_ delivery: ClaimedDelivery, redactor: SecretRedactor) async -> AttemptResult? {
        let metadata: Logger.Metadata = [
            "delivery": "\(delivery.id)", "destination": "\(delivery.destination)", "attempt": "\(delivery.attempt)",
            "idempotency_key": "\(delivery.idempotencyKey)",
        ]
        let outcome = await outcome(of: delivery, redactor: redactor)
        guard !Task.isCancelled, let outcome else { return nil }
        do throws(DeliveryError) {
            guard try await outbox.record(outcome, of: delivery, owner: owner, now: Date()) else {
                logger.warning("attempt outcome not recorded: another sender took the delivery over", metadata: metadata)
                return nil
            }
        } catch {
            logger.error("cannot record an attempt's outcome: \(error)", metadata: metadata)
            return nil
        }
        switch outcome {
        case .delivered:
            logger.info("delivered", metadata: metadata)
            return .delivered
        case .retry(let reason, let at):
            logger.notice("will retry: \(reason)", metadata: metadata.merging(["retry_at": "\(at)"]) { $1 })
            return .retried
        case .failed(let reason):
            logger.error("failed: \(reason)", metadata: metadata)
            return .failed
        }
    }

    private func outcome(of delivery: ClaimedDelivery, redactor: SecretRedactor) async -> AttemptOutcome? {
        guard let service = configuration.services[delivery.service] else {
            return .failed(reason: "\(delivery.service.displayName) is not configured in the destinations file")
        }
        guard service.scopes.contains(delivery.scope) else {
            return .failed(reason: "scope \(delivery.scope) is not configured for \(delivery.service.displayName)")
        }
        let message: NotificationMessage
        do {
            // The outbox's own row, from a message already accepted: its attachments, inlined as base64, may make
            // it larger than the cap on messages read from outside.
            message = try NotificationMessage(json: delivery.message, options: MessageDecodingOptions(maximumMessageBytes: .max))
        } catch {
            return .failed(reason: "the stored message cannot be read: \(error)")
        }
        let rendering: Rendering
        do throws(RenderError) {
            rendering = try service.render(message)
        } catch {
            return .failed(reason: "cannot be rendered for \(delivery.service.displayName): \(error.reason)")
        }
        let exchange = DeliveryExchange(
            idempotencyKey: delivery.idempotencyKey, transport: transport,
            requestTimeout: configuration.policy.requestTimeout, environment: environment, redactor: redactor)
        do throws(SendFailure) {
            let receipt = try await service.send(rendering, to: delivery.scope, through: exchange)
            return .delivered(reference: receipt.reference.map(redactor.redact))
        } catch {
            if Task.isCancelled { return nil }
            switch error {
            case .rejected(let reason):
                return .failed(reason: redactor.redact(reason))
            case .transient(let reason, let retryAfter):
                let reason = redactor.redact(reason)
                let policy = configuration.policy
                guard delivery.countedAttempts < policy.maximumAttempts else {
                    return .failed(reason: "gave up after \(delivery.countedAttempts) attempts: \(reason)")
                }
                let delay = policy.backoff(afterAttempt: delivery.countedAttempts, retryAfter: retryAfter)
                return .retry(reason: reason, at: Date().addingTimeInterval(delay.seconds))
            }
        }
    }
}

/// What one worker run did.
public struct DeliveryRunSummary: Hashable, Sendable {
    /// Deliveries the services accepted.
    public var delivered: Int
    /// Attempts that failed transiently and were scheduled again.
    public var retried: Int
    /// Deliveries that failed for good.
    public var failed: Int

    /// Creates a summary.
    public init(delivered: Int = 0, retried: Int = 0, failed: Int = 0) {
        self.delivered = delivered
        self.retried = retried
        self.failed = failed
    }

    mutating func add(_ result: AttemptResult?) {
        switch result {
        case .delivered?: delivered += 1
        case .retried?: retried += 1
        case .failed?: failed += 1
        case nil: break
        }
    }
}

/// A recorded attempt's result.
enum AttemptResult: Sendable {
    case delivered, retried, failed
}

/// What a worker's child task reports.
private enum WorkerEvent: Sendable {
    case attempted(AttemptResult?)
    case timer
}
