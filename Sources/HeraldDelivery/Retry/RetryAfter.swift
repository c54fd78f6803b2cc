import Foundation

/// The `Retry-After` response header (RFC 9110 §10.2.3): a number of seconds or an HTTP date.
enum RetryAfter {
    /// The longest delay read: a week, the most `maximum_retry_after` can be.
    static let maximumDelay = Duration.seconds(604_800)
    /// The longest value read; an HTTP date is 29 characters.
    static let maximumLength = 64

    /// The delay `value` asks for, measured from `now`, at most ``maximumDelay``; `nil` when the value is neither
    /// form or longer than ``maximumLength``. A date in the past asks for no delay.
    static func delay(from value: String, now: Date) -> Duration? {
        guard value.utf8.count <= maximumLength else { return nil }
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty, trimmed.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) {
            guard let seconds = Int64(trimmed) else { return maximumDelay }
            return min(.seconds(seconds), maximumDelay)
        }
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: trimmed) {
                let seconds = min(max(0, date.timeIntervalSince(now)), maximumDelay.seconds)
                return .milliseconds(Int64(seconds * 1000))
            }
        }
        return nil
    }
}
