import Foundation
import HeraldCore

extension OutboxEntry {
    /// The row as JSON, as `herald outbox list --json` and `herald serve` show it: a delivery, or
    /// `{"id", "state": "unreadable", "reason"}`.
    public var jsonValue: JSONValue {
        switch self {
        case .delivery(let status): status.jsonValue
        case .unreadable(let row): .object(["id": .integer(Int(row.id)), "state": "unreadable", "reason": .string(row.reason)])
        }
    }
}

extension DeliveryStatus {
    /// The delivery as JSON, as `herald outbox list --json` and `herald serve` show it: its id, notification,
    /// event, service, scope, idempotency key, state, attempts and times, and the last error and the service's
    /// reference when there are (both redacted when they were recorded).
    public var jsonValue: JSONValue {
        var object: [String: JSONValue] = [
            "id": .integer(Int(id)), "notification": .string(notificationID), "event": .string(event.rawValue),
            "service": .string(service.id), "scope": .string(scope), "idempotency_key": .string(idempotencyKey),
            "state": .string(state.rawValue), "attempts": .integer(attempts), "interrupted_attempts": .integer(interruptedAttempts),
            "created_at": .string(Self.timestamp(createdAt)),
        ]
        if let lastError { object["last_error"] = .string(lastError) }
        if let nextAttemptAt { object["next_attempt_at"] = .string(Self.timestamp(nextAttemptAt)) }
        if let deliveredAt { object["delivered_at"] = .string(Self.timestamp(deliveredAt)) }
        if let reference { object["reference"] = .string(reference) }
        return .object(object)
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}
