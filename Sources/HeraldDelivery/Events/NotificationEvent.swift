import HeraldCore

/// The name of something that happened (`scan_completed`, `PrintDone`), which routes map to destinations.
///
/// Event names are exact, case-sensitive strings: `PrintDone` and `printdone` are different events. The built-in
/// names are those the beamline control system BEC and printer-farm servers publish; any other name that is one
/// line without surrounding white space is allowed too.
public struct NotificationEvent: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    /// The exact name.
    public let rawValue: String

    /// Validates a name: not empty, one line, no leading or trailing white space, no control characters.
    public init(validating name: String) throws(DeliveryError) {
        guard !name.isEmpty else { throw DeliveryError.invalidEvent("an event name must not be empty") }
        guard name.trimmingCharacters(in: .whitespacesAndNewlines) == name,
            !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw DeliveryError.invalidEvent(
                "\(quoted(name)) is not an event name: one line, no control characters, no surrounding white space")
        }
        self.rawValue = name
    }

    /// Creates an event from a name; returns `nil` for a name ``init(validating:)`` refuses.
    public init?(rawValue: String) {
        guard let event = try? NotificationEvent(validating: rawValue) else { return nil }
        self = event
    }

    /// Creates an event from a literal name, which must be valid.
    public init(stringLiteral value: String) {
        guard let event = NotificationEvent(rawValue: value) else { preconditionFailure("invalid event name literal \(value)") }
        self = event
    }

    /// The name.
    public var description: String { rawValue }

    /// Orders by name.
    public static func < (lhs: NotificationEvent, rhs: NotificationEvent) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension NotificationEvent {
    /// BEC: a scan started.
    public static let newScan: NotificationEvent = "new_scan"
    /// BEC: a scan finished.
    public static let scanCompleted: NotificationEvent = "scan_completed"
    /// BEC: a warning alarm.
    public static let alarmWarning: NotificationEvent = "alarm_warning"
    /// BEC: a minor alarm.
    public static let alarmMinor: NotificationEvent = "alarm_minor"
    /// BEC: a major alarm.
    public static let alarmMajor: NotificationEvent = "alarm_major"
    /// BEC: a scan was interlocked.
    public static let scanInterlock: NotificationEvent = "scan_interlock"
    /// Printer farm: a print started.
    public static let printStarted: NotificationEvent = "PrintStarted"
    /// Printer farm: a print finished.
    public static let printDone: NotificationEvent = "PrintDone"
    /// Printer farm: a print was cancelled.
    public static let printCancelled: NotificationEvent = "PrintCancelled"
    /// Printer farm: a print was paused.
    public static let printPaused: NotificationEvent = "PrintPaused"
    /// Printer farm: a paused print resumed.
    public static let printResumed: NotificationEvent = "PrintResumed"
    /// Printer farm: the filament must be changed.
    public static let filamentChange: NotificationEvent = "FilamentChange"
    /// Printer farm: a heater cooled down.
    public static let heaterCooledDown: NotificationEvent = "HeaterCooledDown"
    /// Printer farm: a heater reached its target temperature.
    public static let heaterTargetReached: NotificationEvent = "HeaterTargetReached"
    /// Printer farm: a print failure was detected.
    public static let failureAlert: NotificationEvent = "FailureAlert"

    /// The built-in events, BEC's first, then the printer farms'.
    public static let builtIn: [NotificationEvent] = [
        .newScan, .scanCompleted, .alarmWarning, .alarmMinor, .alarmMajor, .scanInterlock,
        .printStarted, .printDone, .printCancelled, .printPaused, .printResumed, .filamentChange,
        .heaterCooledDown, .heaterTargetReached, .failureAlert,
    ]

    /// Whether this is one of ``builtIn``.
    public var isBuiltIn: Bool { Self.builtIn.contains(self) }
}
