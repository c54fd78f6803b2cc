/// The unit a service counts a limit in.
public enum LimitUnit: String, Hashable, Sendable {
    /// Bytes of UTF-8 (Teams' webhook envelope, Signal's inline text, SciLog's HTML).
    case utf8Bytes = "UTF-8 bytes"
    /// Characters as a reader sees them: grapheme clusters.
    case characters
    /// UTF-16 code units, which JavaScript and Java count (`👋` is two).
    case utf16CodeUnits = "UTF-16 code units"
    /// Things counted whole: blocks, embeds, attachments.
    case items
}

/// One limit a service puts on every message it receives: what it measures, the most it takes, and in which unit.
///
/// ``measure`` sizes the message a service would receive for a document already fitted and adjusted for it, in
/// ``unit``: the whole payload (Teams' webhook envelope), the text a reader sees (Signal's message), the markup
/// (SciLog's HTML), or a count (Slack's blocks). It is handed the ``maximum`` and may stop early: once it knows the
/// size exceeds the maximum it may return any larger number, so that a megabyte message is not encoded in full
/// only to be found too large.
public struct MessageLimit: Sendable, CustomStringConvertible {
    /// What is limited, as a reader of the report would name it: `webhook message`, `message text`, `entry HTML`.
    public var subject: String
    /// The most the service takes, in ``unit``.
    public var maximum: Int
    /// The unit of ``maximum`` and of what ``measure`` returns.
    public var unit: LimitUnit
    /// The size of the message showing a document, in ``unit``; given the maximum, it may stop early above it.
    public var measure: @Sendable (_ document: Document, _ maximum: Int) -> Int

    /// Declares a limit.
    public init(
        subject: String, maximum: Int, unit: LimitUnit, measure: @escaping @Sendable (_ document: Document, _ maximum: Int) -> Int
    ) {
        self.subject = subject
        self.maximum = maximum
        self.unit = unit
        self.measure = measure
    }

    /// Whether the message showing `document` is within the limit.
    public func admits(_ document: Document) -> Bool { measure(document, maximum) <= maximum }

    /// `28000 UTF-8 bytes of webhook message`.
    public var description: String { "\(maximum) \(unit.rawValue) of \(subject)" }
}

/// Everything a service limits: what each message may hold, and how many messages one notification may become.
///
/// The limits stage (``Document/limited(to:serviceName:)``) splits a document that exceeds a limit into several
/// messages when ``maximumMessages`` allows, and cuts it, with a visible marker and a report, only after the last
/// message it may send.
public struct ServiceLimits: Sendable {
    /// The limits every message must meet.
    public var perMessage: [MessageLimit]
    /// How many messages one notification may become: 1 for a service that takes one message (a logbook entry).
    public var maximumMessages: Int

    /// Declares a service's limits; `maximumMessages` is at least 1.
    public init(perMessage: [MessageLimit], maximumMessages: Int) {
        self.perMessage = perMessage
        self.maximumMessages = max(1, maximumMessages)
    }

    /// No limits: every document is one message.
    public static let none = ServiceLimits(perMessage: [], maximumMessages: 1)

    /// Whether the message showing `document` meets every limit.
    public func admit(_ document: Document) -> Bool { perMessage.allSatisfy { $0.admits(document) } }

    /// `28000 UTF-8 bytes of webhook message` (several joined by `and`).
    public var description: String { perMessage.map(\.description).joined(separator: " and ") }
}
