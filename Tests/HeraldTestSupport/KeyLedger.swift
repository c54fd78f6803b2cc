import Foundation

/// What a receiver accepted, by idempotency key: distinct keys and duplicates.
public actor KeyLedger {
    /// How many accepted requests carried each key (`<none>` for requests without one).
    public private(set) var counts: [String: Int] = [:]
    /// The accepted requests, in order.
    public private(set) var accepted: [ReceivedRequest] = []
    /// How many requests reached the receiver, accepted or not.
    public private(set) var seen = 0

    /// An empty ledger.
    public init() {}

    /// Records a request that reached the receiver (accepted or not).
    public func saw() { seen += 1 }

    /// Records an accepted request.
    public func accept(_ request: ReceivedRequest) {
        counts[request.idempotencyKey ?? "<none>", default: 0] += 1
        accepted.append(request)
    }

    /// How many different keys were accepted.
    public var distinctKeys: Int { counts.count }
    /// How many accepted requests repeated a key accepted before.
    public var duplicates: Int { counts.values.reduce(0) { $0 + $1 - 1 } }
    /// The keys accepted more than once.
    public var duplicateKeys: Set<String> { Set(counts.filter { $0.value > 1 }.keys) }
}
