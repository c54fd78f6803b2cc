import Foundation
import Herald
import Logging
import Metrics
import Synchronization

/// Delivers what the outbox holds: claims due deliveries, renders and sends them with bounded concurrency, and
/// records each outcome (delivered, retry after a backoff, failed).
///
/// A worker has a unique owner id for its leases and never takes its own rows over. While an attempt runs (reading
/// and rendering the stored message included) a heartbeat renews its lease every third of it; when a renewal
/// finds the lease taken over, the attempt is cancelled and its outcome not recorded. A failed outbox write stops
/// the worker with ``DeliveryError/storage(_:)``: nothing is reported as progress unless it is recorded.
/// Cancelling a worker is like a crash: attempts under way are left in flight and any worker takes them over when
/// their leases expire. A worker told to stop (``run(untilIdle:stop:gracePeriod:)``) drains instead: it claims
/// nothing more, lets the attempts under way finish within the grace period, then cancels the rest and gives their
/// leases back, so that the next worker takes them over at once.
///
/// Each claimed delivery starts a lane: the transaction that records an attempt's outcome claims the next due
/// delivery for the same lane, so that under load a worker writes once per delivery. A worker prunes delivered
/// rows older than ``DeliveryPolicy/keepDelivered`` when it starts and every ``pruneInterval`` while it runs.
///
/// Every recorded attempt's duration (reading, rendering and sending) goes to the timer
/// `herald_delivery_attempt_duration_seconds` of `metrics`, with the dimensions `service` and `outcome`
/// (`delivered`, `retry` or `failed`).
struct DeliveryWorker: Sendable {
    let outbox: Outbox
    /// The destinations file: the policy.
    let configuration: DeliveryConfiguration
    /// Where deliveries go: the file's and the stored destinations, read again when a claim sees their version move.
    let destinations: DestinationCache
    let transport: any DeliveryTransport
    let logger: Logger
    /// The time recorded in the outbox (leases, retries).
    let clock: @Sendable () -> Date
    /// Told about every recorded wait.
    let progress: @Sendable (DeliveryProgress) -> Void
    /// Where attempt durations go.
    let metrics: any MetricsFactory
    /// Ends a wait for work early: this process queued some.
    let workQueued: WorkSignal
    let owner = UUID().uuidString.lowercased()

    /// The timer's label.
    static let attemptDurationLabel = "herald_delivery_attempt_duration_seconds"

    /// Works until nothing is pending or in flight (`untilIdle`), until cancelled, or until `stop` returns; then it
    /// drains for up to `gracePeriod` and gives back the leases of the attempts it cancels. `stop` must return
    /// when its task is cancelled.
    func run(
        untilIdle: Bool, stop: (@Sendable () async -> Void)? = nil, gracePeriod: Duration = .zero
    ) async throws(DeliveryError) -> DeliveryRunSummary {
        let policy = configuration.policy
        logPruned(try await prune(after: .zero).get())
        var summary = DeliveryRunSummary()
        var failure: DeliveryError?
        var stopped = false
        let claimingMore = ClaimingSwitch()
        await withTaskGroup(of: WorkerEvent.self) { group in
            var running = 0
            var timerRunning = false
            if let stop {
                group.addTask {
                    await stop()
                    return .stop
                }
            }
            group.addTask { await .pruned(prune(after: Self.pruneInterval)) }
            work: while !Task.isCancelled {
                if stopped {
                    // Draining: nothing more is claimed; wait for the attempts under way or the end of the grace.
                    if running == 0 { break work }
                } else {
                    claiming: do throws(DeliveryError) {
                        let queued = workQueued.generation
                        let claimedAt = clock()
                        let batch = try await outbox.claim(limit: policy.concurrency - running, owner: owner, now: claimedAt, policy: policy)
                        summary.failed += logAbandoned(batch)
                        for delivery in batch.deliveries {
                            running += 1
                            group.addTask { await .lane(lane(delivery, at: batch.destinationsVersion, while: claimingMore)) }
                        }
                        // The next due time matters only for a wake-up that no finishing attempt will bring, and to see
                        // that a run until idle is over.
                        let mayBeIdle = untilIdle && running == 0
                        guard mayBeIdle || (!timerRunning && running < policy.concurrency) else { break claiming }
                        let next = try await outbox.nextDueDate(excludingOwner: owner)
                        if next == nil, mayBeIdle { break work }
                        guard !timerRunning else { break claiming }
                        // Wake for the next due delivery (or to poll), unless an attempt finishes or work is queued first. One
                        // due at the claim and not taken by it is being taken by another worker (its row was locked): poll.
                        let due = next.flatMap { $0 > claimedAt ? $0.timeIntervalSince(clock()) : nil } ?? .infinity
                        let wait = min(max(due, 0.001), policy.pollInterval.seconds)
                        timerRunning = true
                        group.addTask {
                            await workQueued.wait(upTo: .milliseconds(Int64((wait * 1000).rounded(.up))), since: queued)
                            return .timer
                        }
                    } catch {
                        failure = error
                        break work
                    }
                }
                switch await group.next() {
                case .lane(let report)?:
                    running -= 1
                    summary.add(report.summary)
                    if let error = report.failure {
                        failure = error
                        break work
                    }
                case .timer?: timerRunning = false
                case .pruned(.success(let count))?:
                    logPruned(count)
                    group.addTask { await .pruned(prune(after: Self.pruneInterval)) }
                case .pruned(.failure(let error))?:
                    failure = error
                    break work
                case .stop?:
                    stopped = true
                    claimingMore.turnOff()
                    logger.info("stopping: \(running) attempts under way may finish within \(gracePeriod)")
                    group.addTask {
                        try? await Task.sleep(for: gracePeriod)
                        return .graceOver
                    }
                case .graceOver?:
                    logger.warning("the grace period is over: \(running) attempts under way are cut short; their leases are given back")
                    break work
                case nil: break work
                }
            }
            group.cancelAll()
        }
        if let failure { throw failure }
        if stopped, !Task.isCancelled {
            // Attempts cut short at the end of the grace period: the next worker resends them at once.
            _ = try await outbox.releaseLeases(owner: owner, now: clock())
        }
        return summary
    }

    /// How often a running worker prunes delivered rows older than ``DeliveryPolicy/keepDelivered``.
    static let pruneInterval = Duration.seconds(60)

    private func logPruned(_ count: Int) {
        if count > 0 { logger.info("pruned \(count) deliveries delivered more than \(configuration.policy.keepDelivered) ago") }
    }

    /// Waits `delay`, then prunes the outbox's delivered rows older than the policy keeps them; `0` when cancelled.
    private func prune(after delay: Duration) async -> Result<Int, DeliveryError> {
        guard (try? await Task.sleep(for: delay)) != nil else { return .success(0) }
        do throws(DeliveryError) {
            return .success(try await outbox.pruneDelivered(before: clock().addingTimeInterval(-configuration.policy.keepDelivered.seconds)))
        } catch {
            return Task.isCancelled ? .success(0) : .failure(error)
        }
    }

    /// Attempts `first`, then, while `claiming` holds, the delivery that each recorded outcome's transaction claims
    /// next: under load a worker writes once per delivery, and each of its lanes follows the due deliveries.
    /// The destinations are read again when a claim saw another version of them than the lane holds.
    private func lane(_ first: ClaimedDelivery, at version: Int, while claiming: ClaimingSwitch) async -> LaneReport {
        var report = LaneReport()
        var directory: DestinationDirectory?
        var next: (delivery: ClaimedDelivery, version: Int)? = (first, version)
        while let (delivery, version) = next {
            do throws(DeliveryError) {
                let current: DestinationDirectory
                if let directory, directory.version == version { current = directory } else { current = try await destinations.directory() }
                directory = current
                let (result, batch) = try await attempt(delivery, directory: current, claimingNext: claiming.isOn ? 1 : 0).get()
                report.summary.add(result)
                report.summary.failed += logAbandoned(batch)
                next = batch.deliveries.first.map { ($0, batch.destinationsVersion) }
            } catch {
                report.failure = error
                next = nil
            }
        }
        return report
    }

    /// Logs the deliveries `batch` failed for having been interrupted too often; returns how many.
    private func logAbandoned(_ batch: ClaimBatch) -> Int {
        for id in batch.abandoned {
            logger.error("failed: \(Outbox.interruptedReason(configuration.policy.maximumInterruptedAttempts))", metadata: ["delivery": "\(id)"])
        }
        return batch.abandoned.count
    }

    /// One attempt at one delivery, its lease renewed while it runs; returns what happened, `nil` when the outcome
    /// is not known or not ours to record (cancelled, or taken over), with up to `claimingNext` deliveries claimed
    /// in the transaction that recorded it; or the outbox's failure.
    private func attempt(
        _ delivery: ClaimedDelivery, directory: DestinationDirectory, claimingNext: Int
    ) async -> Result<(AttemptResult?, ClaimBatch), DeliveryError> {
        let metadata: Logger.Metadata = [
            "delivery": "\(delivery.id)", "destination": "\(delivery.destination)", "attempt": "\(delivery.attempt)",
            "idempotency_key": "\(delivery.idempotencyKey)",
        ]
        let started = ContinuousClock.now
        let leased = await withTaskGroup(of: LeasedAttempt?.self) { group in
            group.addTask { await outcome(of: delivery, directory: directory) }
            group.addTask { await heartbeat(delivery) }
            let first = await group.next().flatMap { $0 }
            group.cancelAll()
            return first
        }
        let ended: AttemptOutcome
        switch leased {
        case .finished(let outcome?)? where !Task.isCancelled: ended = outcome
        case .finished?, nil: return .success((nil, ClaimBatch()))
        case .leaseLost?:
            logger.warning("attempt abandoned: another sender took the delivery over", metadata: metadata)
            return .success((nil, ClaimBatch()))
        case .storageFailure(let error)?: return .failure(error)
        }
        let next: ClaimBatch
        do throws(DeliveryError) {
            let recorded = try await outbox.recordAndClaim(
                ended, of: delivery, owner: owner, now: clock(), limit: claimingNext, policy: configuration.policy)
            guard recorded.recorded else {
                logger.warning("attempt outcome not recorded: another sender took the delivery over", metadata: metadata)
                return .success((nil, ClaimBatch()))
            }
            next = recorded.next
        } catch {
            logger.error("cannot record an attempt's outcome: \(error)", metadata: metadata)
            return .failure(error)
        }
        Timer(label: Self.attemptDurationLabel, dimensions: [("service", delivery.service.id), ("outcome", ended.name)], factory: metrics)
            .record(duration: started.duration(to: .now))
        switch ended {
        case .delivered:
            logger.info("delivered", metadata: metadata)
            return .success((.delivered, next))
        case .retry(let reason, let at):
            logger.notice("will retry: \(reason)", metadata: metadata.merging(["retry_at": "\(at)"]) { $1 })
            progress(.waiting(DeliveryWait(
                deliveryID: delivery.id, destination: delivery.destination, attempt: delivery.countedAttempts, until: at,
                reason: reason)))
            return .success((.retried, next))
        case .failed(let reason):
            logger.error("failed: \(reason)", metadata: metadata)
            return .success((.failed, next))
        case .rateLimited(nil, let at, _):
            logger.debug("waiting for a rate limit", metadata: metadata.merging(["retry_at": "\(at)"]) { $1 })
            return .success((nil, next))
        case .rateLimited(let reason?, let at, _):
            logger.notice("will retry: \(reason)", metadata: metadata.merging(["retry_at": "\(at)"]) { $1 })
            progress(.waiting(DeliveryWait(
                deliveryID: delivery.id, destination: delivery.destination, attempt: delivery.countedAttempts, until: at,
                reason: reason)))
            return .success((.retried, next))
        }
    }

    /// Renews `delivery`'s lease every third of it until cancelled (returning `nil`), until the lease is found
    /// taken over, or until the outbox cannot be written.
    private func heartbeat(_ delivery: ClaimedDelivery) async -> LeasedAttempt? {
        let lease = configuration.policy.lease(forRequests: delivery.attachmentCount + 1)
        while true {
            do { try await Task.sleep(for: lease / 3) } catch { return nil }
            do throws(DeliveryError) {
                guard try await outbox.renewLease(of: delivery, owner: owner, now: clock(), duration: lease) else { return .leaseLost }
            } catch {
                return Task.isCancelled ? nil : .storageFailure(error)
            }
        }
    }

    /// Renders the delivery and sends its messages in order, from the first the service has not accepted yet; each
    /// accepted one is recorded before the next is sent, so that a later attempt does not send it again.
    private func outcome(of delivery: ClaimedDelivery, directory: DestinationDirectory) async -> LeasedAttempt {
        let target: DeliveryTarget
        switch directory.target(for: delivery.destination) {
        case .success(let found): target = found
        case .failure(let failure): return .finished(.failed(reason: failure.reason))
        }
        let service = target.service
        let redactor = directory.redactor
        let message: NotificationMessage
        do {
            // The outbox's own row, from a message already accepted: its attachments, inlined as base64, may make
            // it larger than the cap on messages read from outside.
            message = try NotificationMessage(json: delivery.message, options: MessageDecodingOptions(maximumMessageBytes: .max))
        } catch {
            return .finished(.failed(reason: "the stored message cannot be read: \(error)"))
        }
        let rendering: Rendering
        do throws(RenderError) {
            rendering = try service.render(message)
        } catch {
            return .finished(.failed(reason: "cannot be rendered for \(delivery.service.displayName): \(error.reason)"))
        }
        let exchange = DeliveryExchange(
            idempotencyKey: delivery.idempotencyKey, transport: transport,
            requestTimeout: configuration.policy.requestTimeout, environment: target.environment, redactor: redactor)
        let count = rendering.messages.count
        let rules = service.rateLimits(for: delivery.scope)
        var receipt = SendReceipt(status: 200)
        for index in min(delivery.messagesSent, count)..<count {
            // Every message takes a slot under the destination's rate limits first; one not free yet sends the
            // delivery again when it is, without counting the attempt. The slot counts from the answer.
            let slot: Double
            do throws(DeliveryError) {
                switch try await outbox.takeRateLimitSlots(rules, now: clock()) {
                case .taken(let at): slot = at
                case .wait(let until): return .finished(.rateLimited(reason: nil, at: until, holding: []))
                }
            } catch {
                return .storageFailure(error)
            }
            let sent: Result<SendReceipt, SendFailure>
            do throws(SendFailure) {
                sent = .success(try await service.send(rendering.messages[index], to: delivery.scope, through: exchange.forMessage(index, of: count)))
            } catch {
                sent = .failure(error)
            }
            if Task.isCancelled { return .finished(nil) }
            do throws(DeliveryError) {
                try await outbox.settleRateLimitSlots(rules, slot: slot, answeredAt: clock())
            } catch {
                return .storageFailure(error)
            }
            switch sent {
            case .success(let answer): receipt = answer
            case .failure(let error):
                return .finished(failedOrRetried(delivery, error, rules: rules, redactor: redactor, messagesSent: index, of: count))
            }
            guard index + 1 < count else { break }
            do throws(DeliveryError) {
                guard try await outbox.recordMessagesSent(index + 1, of: delivery, owner: owner, now: clock()) else { return .leaseLost }
            } catch {
                return .storageFailure(error)
            }
        }
        return .finished(.delivered(reference: receipt.reference.map(redactor.redact)))
    }

    /// What a failed send means for the delivery: a rejection fails it, a transient failure schedules a retry
    /// within the attempt budget. An answer with `Retry-After` within the budget is retried when the service
    /// asked, uncounted (see ``RateLimit/uncountedAnswers``), and holds the destination's rate-limit keys (the credential's when the
    /// destination has none) until then, so that no worker sends under them before. The reason says how many
    /// messages went out before when there are several.
    private func failedOrRetried(
        _ delivery: ClaimedDelivery, _ error: SendFailure, rules: [RateLimitRule], redactor: SecretRedactor, messagesSent: Int, of count: Int
    ) -> AttemptOutcome {
        let progress = count > 1 ? "message \(messagesSent + 1) of \(count): " : ""
        switch error {
        case .rejected(let reason):
            return .failed(reason: progress + redactor.redact(reason))
        case .transient(let reason, let retryAfter):
            let reason = progress + redactor.redact(reason)
            let policy = configuration.policy
            guard delivery.countedAttempts < policy.maximumAttempts else {
                return .failed(reason: "gave up after \(delivery.countedAttempts) attempts: \(reason)")
            }
            if let retryAfter {
                let destinationKeys = rules.filter { $0.extent == .destination }.map(\.key)
                let held = destinationKeys.isEmpty ? rules.map(\.key) : destinationKeys
                let at = clock().addingTimeInterval(min(retryAfter, policy.maximumRetryAfter).seconds)
                return .rateLimited(reason: reason, at: at, holding: held)
            }
            let delay = policy.backoff(afterAttempt: delivery.countedAttempts, retryAfter: retryAfter)
            return .retry(reason: reason, at: clock().addingTimeInterval(delay.seconds))
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

    mutating func add(_ other: DeliveryRunSummary) {
        delivered += other.delivered
        retried += other.retried
        failed += other.failed
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

/// How an attempt under a renewed lease ended: with an outcome (`nil` when cancelled), or because the lease was
/// lost or could not be renewed.
private enum LeasedAttempt: Sendable {
    case finished(AttemptOutcome?)
    case leaseLost
    case storageFailure(DeliveryError)
}

/// Whether a worker's lanes claim their next delivery: no longer once the worker is told to stop.
private final class ClaimingSwitch: Sendable {
    private let on = Mutex(true)
    var isOn: Bool { on.withLock { $0 } }
    func turnOff() { on.withLock { $0 = false } }
}

/// What one lane did: its attempts' results, and the outbox's failure that ended it.
private struct LaneReport: Sendable {
    var summary = DeliveryRunSummary()
    var failure: DeliveryError?
}

/// What a worker's child task reports.
private enum WorkerEvent: Sendable {
    case lane(LaneReport)
    case timer
    /// Delivered rows were pruned (how many), or could not be.
    case pruned(Result<Int, DeliveryError>)
    /// The worker is told to stop.
    case stop
    /// The grace period after `stop` is over.
    case graceOver
}
