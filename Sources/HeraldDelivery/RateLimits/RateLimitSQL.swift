import Foundation

/// The rate limits' tables and statements, written once for SQLite and PostgreSQL (see ``OutboxSQL``).
///
/// Every send under a limited key is a row of `rate_limit_sends`; a key's row in `rate_limit_keys` is locked
/// (written) first by whoever counts that key's sends, so that workers sharing the outbox count one after the
/// other: in SQLite under the file's write lock, in PostgreSQL under the key row's lock, taken in key order so that
/// two workers never wait for each other in a cycle. The row also holds `held_until`, the time a service's
/// `Retry-After` answer asked every send under that key to wait for.
enum RateLimitSQL {
    /// The migration `v10-rate-limits`, the same statements for both storages (SQLite reads `DOUBLE PRECISION` as
    /// REAL).
    static let migration = [
        "ALTER TABLE deliveries ADD COLUMN rate_limited_answers INTEGER NOT NULL DEFAULT 0",
        "CREATE TABLE rate_limit_keys (key TEXT PRIMARY KEY, held_until DOUBLE PRECISION NOT NULL DEFAULT 0)",
        "CREATE TABLE rate_limit_sends (key TEXT NOT NULL, sent_at DOUBLE PRECISION NOT NULL)",
        "CREATE INDEX rate_limit_sends_key ON rate_limit_sends(key, sent_at)",
    ]

    /// Locks a key's row (creating it) and reads its `held_until`; argument: the key.
    static let lockKey = """
        INSERT INTO rate_limit_keys (key, held_until) VALUES (?, 0)
        ON CONFLICT (key) DO UPDATE SET held_until = rate_limit_keys.held_until RETURNING held_until
        """
    /// A key's most recent sends after a time, newest first; arguments: key, time, how many.
    static let recentSends = "SELECT sent_at FROM rate_limit_sends WHERE key = ? AND sent_at > ? ORDER BY sent_at DESC LIMIT ?"
    /// Records a send; arguments: key, time.
    static let insertSend = "INSERT INTO rate_limit_sends (key, sent_at) VALUES (?, ?)"
    /// Forgets a key's sends no window can count any more; arguments: key, time.
    static let pruneSends = "DELETE FROM rate_limit_sends WHERE key = ? AND sent_at <= ?"
    /// Holds a key until a time, unless held longer already; arguments: key, time.
    static let hold = """
        INSERT INTO rate_limit_keys (key, held_until) VALUES (?, ?)
        ON CONFLICT (key) DO UPDATE SET held_until = CASE WHEN excluded.held_until > rate_limit_keys.held_until
            THEN excluded.held_until ELSE rate_limit_keys.held_until END
        """

    /// The rules to count, one per key (the strictest when two share a key), in key order: the order keys are
    /// locked in.
    static func ordered(_ rules: [RateLimitRule]) -> [RateLimitRule] {
        var strictest: [String: RateLimitRule] = [:]
        for rule in rules {
            if let kept = strictest[rule.key], kept.limit.heldSeconds / Double(kept.limit.count) >= rule.limit.heldSeconds / Double(rule.limit.count) { continue }
            strictest[rule.key] = rule
        }
        return strictest.keys.sorted().compactMap { strictest[$0] }
    }

    /// The arguments of ``recentSends`` for `rule` at `time`.
    static func recentArguments(_ rule: RateLimitRule, time: Double) -> [SQLValue] {
        [.text(rule.key), .real(time - rule.limit.heldSeconds), SQLValue(rule.limit.count)]
    }

    /// One key's state as a take reads it: its rule, `held_until`, and its most recent sends (newest first).
    struct KeyState {
        var rule: RateLimitRule
        var heldUntil: Double
        var recent: [Double]
    }

    /// The time a take at `time` records its send at, when every key of `keys` has a free slot then; `nil` with
    /// the earliest time they may all be free otherwise. The recorded time is never before a key's newest send:
    /// a worker that waited for another's lock on the key sends after it, whatever its clock read before.
    static func slot(_ keys: [KeyState], time: Double) -> (at: Double, free: Bool) {
        let at = keys.compactMap(\.recent.first).reduce(time, max)
        var free = at
        for key in keys {
            free = max(free, key.heldUntil)
            let counted = key.recent.filter { $0 > at - key.rule.limit.heldSeconds }
            if counted.count >= key.rule.limit.count, let oldest = counted.last { free = max(free, oldest + key.rule.limit.heldSeconds) }
        }
        return free <= at ? (at, true) : (free, false)
    }

    /// The statements recording a send under each of `rules` at `time`, and forgetting sends no window counts.
    static func taking(_ rules: [RateLimitRule], time: Double) -> [(String, [SQLValue])] {
        rules.flatMap { rule in
            [(insertSend, [.text(rule.key), .real(time)]), (pruneSends, [.text(rule.key), .real(time - rule.limit.heldSeconds)])]
        }
    }

    /// Moves a send's recorded time to when it was answered; arguments: the new time, key, the slot's time.
    static let settle = "UPDATE rate_limit_sends SET sent_at = ? WHERE key = ? AND sent_at = ?"

    /// The statements moving the sends taken under `rules` at `slot` to `answered`.
    static func settling(_ rules: [RateLimitRule], slot: Double, answered: Double) -> [(String, [SQLValue])] {
        ordered(rules).map { (settle, [.real(answered), .text($0.key), .real(slot)]) }
    }

    /// The statements holding the keys a `Retry-After` answer names, recorded with `outcome`.
    static func holding(_ outcome: AttemptOutcome) -> [(String, [SQLValue])] {
        guard case .rateLimited(_, let at, let keys) = outcome else { return [] }
        return keys.sorted().map { (hold, [.text($0), .real(at.timeIntervalSince1970)]) }
    }
}
