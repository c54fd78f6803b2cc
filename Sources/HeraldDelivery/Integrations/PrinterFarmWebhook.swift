import Foundation
import HeraldCore

/// The body that a printer-farm server's (Obico's) webhook notification channel posts, read and turned into a
/// Herald event and message.
///
/// ```json
/// {"event": {"type": "PrintFailure", "is_warning": true, "print_paused": false},
///  "printer": {"id": 3, "name": "Prusa MK4 #2"},
///  "print": {"id": 812, "filename": "bracket.gcode", "started_at": 1765076400.5, "ended_at": ""},
///  "img_url": "https://farm.example/media/snapshots/812.jpg"}
/// ```
///
/// `event.type` is `PrintFailure` (a failure alert, with `is_warning` and `print_paused`), one of the farm's
/// notification types (`PrintStarted`, `PrintDone`, `PrintCancelled`, `PrintPaused`, `PrintResumed`,
/// `FilamentChange`, `HeaterCooledDown`, `HeaterTargetReached`), or any other name, which becomes a custom event of
/// that name. The test button's body `{"event": "TestEvent"}` (and older servers' `"event": "<type>"` with the alert
/// flags beside it) is read too. Times are Unix seconds, `""` or `null` when unknown (ISO 8601 text is accepted).
/// `print` and `img_url` may be missing; `img_url` empty means no snapshot. Unknown members are ignored, as the farm
/// may add some; the known ones are checked, with caps.
public struct PrinterFarmWebhook: Hashable, Sendable {
    /// A printer: its name (text shown as it is, never markup).
    public struct Printer: Hashable, Sendable {
        /// The printer's name.
        public var name: String
    }

    /// A print job: its file name and times.
    public struct PrintJob: Hashable, Sendable {
        /// The G-code file's name.
        public var filename: String
        /// When it started.
        public var startedAt: Date?
        /// When it ended.
        public var endedAt: Date?
    }

    /// The longest printer name, in characters (the farm server stores up to 256).
    public static let maximumPrinterNameLength = 256
    /// The longest file name, in characters (the farm server stores up to 1000).
    public static let maximumFilenameLength = 1000
    /// The longest event type, in characters.
    public static let maximumTypeLength = 64
    /// The largest body read, in bytes; the farm's bodies are well under 4 KiB.
    public static let maximumBodyBytes = 64 * 1024

    /// `event.type` as sent.
    public var type: String
    /// The Herald event: `FailureAlert` for `PrintFailure`, otherwise `event.type` itself (the farm's notification
    /// types are Herald's printer-farm events; another name is a custom event).
    public var event: NotificationEvent
    /// A failure alert's `is_warning`: a possible failure rather than a certain one.
    public var isWarning: Bool
    /// A failure alert's `print_paused`: the farm paused the print.
    public var printPaused: Bool
    /// The printer; `nil` only for the test message.
    public var printer: Printer?
    /// The print job, when the event concerns one.
    public var print: PrintJob?
    /// The snapshot's URL; `nil` when missing or empty.
    public var imageURL: String?

    /// Whether this is a failure alert (`PrintFailure`).
    public var isFailureAlert: Bool { type == "PrintFailure" }

    /// Reads a body; errors name the JSON path (`printer.name`).
    public init(json: JSONValue) throws(MessageError) {
        guard case .object(let root) = json else { throw MessageError(path: "", reason: "expected an object, found \(json.typeDescription)") }
        var flags = root
        var typePath = "event"
        let type: String
        switch root["event"] {
        case .string(let name)?:
            type = name
        case .object(let event)?:
            guard case .string(let name)? = event["type"] else { throw MessageError(path: "event.type", reason: "is required: a string") }
            type = name
            flags = event
            typePath = "event.type"
        case nil:
            throw MessageError(path: "event", reason: "is required")
        case let other?:
            throw MessageError(path: "event", reason: "expected an object with a type, found \(other.typeDescription)")
        }
        let flagPath = typePath == "event" ? "" : "event."
        guard type.count <= Self.maximumTypeLength, let named = NotificationEvent(rawValue: type) else {
            throw MessageError(path: typePath, reason: "must be an event name of 1 to \(Self.maximumTypeLength) characters on one line")
        }
        self.type = type
        event = type == "PrintFailure" ? .failureAlert : named
        isWarning = try Self.flag(flags["is_warning"], at: flagPath + "is_warning")
        printPaused = try Self.flag(flags["print_paused"], at: flagPath + "print_paused")
        switch root["printer"] {
        case nil, .null?:
            guard type == "TestEvent" else { throw MessageError(path: "printer", reason: "is required") }
            printer = nil
        case .object(let object)?:
            try Self.identifier(object["id"], at: "printer.id")
            printer = Printer(name: try Self.text(object["name"], at: "printer.name", maximum: Self.maximumPrinterNameLength))
        case let other?:
            throw MessageError(path: "printer", reason: "expected an object, found \(other.typeDescription)")
        }
        switch root["print"] {
        case nil, .null?:
            print = nil
        case .object(let object)?:
            try Self.identifier(object["id"], at: "print.id")
            print = PrintJob(
                filename: try Self.text(object["filename"], at: "print.filename", maximum: Self.maximumFilenameLength),
                startedAt: try Self.time(object["started_at"], at: "print.started_at"),
                endedAt: try Self.time(object["ended_at"], at: "print.ended_at"))
        case let other?:
            throw MessageError(path: "print", reason: "expected an object, found \(other.typeDescription)")
        }
        switch root["img_url"] {
        case nil, .null?: imageURL = nil
        case .string(let url)?: imageURL = url.isEmpty ? nil : url
        case let other?: throw MessageError(path: "img_url", reason: "expected a string, found \(other.typeDescription)")
        }
    }

    /// The message: a title, one sentence naming the printer (bold) and the file as plain text runs, for a failure
    /// alert whether the print was paused, the print's times, and the snapshot (or a line saying why it is
    /// unavailable).
    public func message(snapshot: Attachment?, unavailableSnapshot reason: String?) throws(MessageError) -> NotificationMessage {
        let wording = self.wording
        var message = try NotificationMessage(title: wording.title)
        if let printer {
            try message.addText(wording.lead)
            try message.addText(printer.name, bold: true)
            try message.addText(wording.verb)
            if let print {
                try message.addText(wording.fileConnector)
                try message.addText(print.filename)
            }
            try message.addText(".")
        } else {
            try message.addText("A test notification from the printer farm's webhook channel reached Herald.")
        }
        if isFailureAlert {
            try message.addText(printPaused ? "\n\nThe print was paused." : "\n\nThe print was not paused.", bold: printPaused)
        }
        let times = [("Started", print?.startedAt), ("Ended", print?.endedAt)].compactMap { label, date in
            date.map { "\(label): \(Self.format($0))" }
        }
        if !times.isEmpty { try message.addText("\n\n" + times.joined(separator: "\n")) }
        if let reason { try message.addText("\n\nThe snapshot was unavailable: \(reason).", italic: true) }
        if let snapshot { message.addAttachment(snapshot) }
        return message
    }

    /// The title and the sentence's pieces around the printer's and the file's names.
    private var wording: (title: String, lead: String, verb: String, fileConnector: String) {
        switch type {
        case "PrintFailure" where isWarning: ("Possible print failure", "Possible failure on printer ", " while printing", " ")
        case "PrintFailure": ("Print failure", "Failure on printer ", " while printing", " ")
        case "PrintStarted": ("Print started", "Printer ", " started printing", " ")
        case "PrintDone": ("Print done", "Printer ", " finished printing", " ")
        case "PrintCancelled": ("Print cancelled", "Printer ", " cancelled printing", " ")
        case "PrintPaused": ("Print paused", "Printer ", " paused printing", " ")
        case "PrintResumed": ("Print resumed", "Printer ", " resumed printing", " ")
        case "FilamentChange": ("Filament change needed", "Printer ", " needs a filament change", " while printing ")
        case "HeaterCooledDown": ("Heater cooled down", "A heater of printer ", " cooled down", " after printing ")
        case "HeaterTargetReached": ("Heater at target temperature", "A heater of printer ", " reached its target temperature", " for ")
        case "TestEvent": ("Test notification", "Test notification for printer ", "", " with ")
        default: ("Printer farm event \(type)", "Event \(type) on printer ", "", " while printing ")
        }
    }

    /// `2026-12-07 03:16 UTC`.
    private static func format(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(
            format: "%04ld-%02ld-%02ld %02ld:%02ld UTC", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0, parts.minute ?? 0)
    }

    private static func flag(_ value: JSONValue?, at path: String) throws(MessageError) -> Bool {
        switch value {
        case nil, .null?: false
        case .bool(let flag)?: flag
        case let other?: throw MessageError(path: path, reason: "expected true or false, found \(other.typeDescription)")
        }
    }

    private static func identifier(_ value: JSONValue?, at path: String) throws(MessageError) {
        switch value {
        case nil, .null?, .integer?: return
        case .string(let text)? where text.count <= 64: return
        case let other?: throw MessageError(path: path, reason: "expected a number or a string of at most 64 characters, found \(other.typeDescription)")
        }
    }

    private static func text(_ value: JSONValue?, at path: String, maximum: Int) throws(MessageError) -> String {
        guard case .string(let text)? = value else {
            throw MessageError(path: path, reason: value == nil ? "is required" : "expected a string, found \(value?.typeDescription ?? "")")
        }
        guard text.count <= maximum else { throw MessageError(path: path, reason: "is longer than \(maximum) characters") }
        return text
    }

    /// Unix seconds (the farm's `datetime.timestamp()`), `""` or `null` for none, or ISO 8601 text; years 1970 to 9999.
    private static func time(_ value: JSONValue?, at path: String) throws(MessageError) -> Date? {
        let seconds: Double
        switch value {
        case nil, .null?: return nil
        case .string(let text)? where text.isEmpty: return nil
        case .integer(let number)?: seconds = Double(number)
        case .double(let number)?: seconds = number
        case .string(let text)?:
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            guard text.count <= 64, let date = formatter.date(from: text) ?? ISO8601DateFormatter().date(from: text) else {
                throw MessageError(path: path, reason: "expected Unix seconds or an ISO 8601 time, found \(quoted(text, limit: echoedValueLimit))")
            }
            seconds = date.timeIntervalSince1970
        case let other?:
            throw MessageError(path: path, reason: "expected Unix seconds, found \(other.typeDescription)")
        }
        guard seconds.isFinite, (0...253_402_300_799).contains(seconds) else {
            throw MessageError(path: path, reason: "is not a time between 1970 and 9999")
        }
        return Date(timeIntervalSince1970: seconds)
    }
}
