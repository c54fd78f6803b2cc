import Synchronization

/// Wakes the workers of one process that wait for work, when that process has queued some: a notification
/// accepted by `herald serve` is claimed at once instead of at the worker's next poll. Workers of other processes
/// still find it when they poll (`delivery.poll_interval`).
///
/// Written by hand: none of the package's dependencies has an awaitable, cancellable event of this kind.
final class WorkSignal: Sendable {
    private struct Waiters {
        /// How many times `signal()` was called.
        var generation = 0
        var next = 0
        var continuations: [Int: CheckedContinuation<Void, Never>] = [:]
    }

    private let waiters = Mutex(Waiters())

    /// How many times work was queued so far: read before looking for work, then given to ``wait(upTo:since:)``.
    var generation: Int { waiters.withLock { $0.generation } }

    /// Ends every wait under way.
    func signal() {
        let woken = waiters.withLock { waiters in
            waiters.generation += 1
            defer { waiters.continuations = [:] }
            return Array(waiters.continuations.values)
        }
        for continuation in woken { continuation.resume() }
    }

    /// Returns after `timeout`, once work was queued after `generation` was read (at once if it was already), or
    /// when the task is cancelled, whichever comes first.
    func wait(upTo timeout: Duration, since generation: Int) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: timeout) }
            group.addTask { await self.signal(after: generation) }
            await group.next()
            group.cancelAll()
        }
    }

    private func signal(after generation: Int) async {
        let id = waiters.withLock { waiters in
            defer { waiters.next += 1 }
            return waiters.next
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                // Work queued since `generation`, or a cancellation that came before this registration and found
                // nothing to resume: resume here.
                let done = waiters.withLock { waiters in
                    if Task.isCancelled || waiters.generation != generation { return true }
                    waiters.continuations[id] = continuation
                    return false
                }
                if done { continuation.resume() }
            }
        } onCancel: {
            waiters.withLock { $0.continuations.removeValue(forKey: id) }?.resume()
        }
    }
}
