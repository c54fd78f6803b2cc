import Herald
import HeraldCore

/// A named group of events that one toggle per destination switches on or off together, after the printer-farm
/// server's plugin features (`notify_on_print_done`, …).
///
/// Every event belongs to at most one feature. An event in no feature (a custom one) is governed by routes alone.
/// A feature is named by its ``id`` (`print_done`) or by the printer-farm server's name for it, ``seedName``
/// (`notify_on_print_done`).
public struct Feature: Hashable, Sendable, Identifiable {
    /// The feature's id: lowercase letters, digits and `_`, starting with a letter (`failure_alert`).
    public var id: String
    /// The name shown to people (`Failure alert`).
    public var displayName: String
    /// The events it groups, in declaration order.
    public var events: [NotificationEvent]
    /// Whether a destination without a toggle of its own receives the feature's events.
    public var isOnByDefault: Bool
    /// The services that support it when it is declared in the destinations file and limited to some; `nil` for a
    /// built-in feature (its support is each plugin's ``ServicePlugin/supportedFeatures``) or an unlimited one.
    public var services: Set<Service>?
    /// Whether the destinations file declared it.
    public var isDeclared: Bool

    /// Creates a feature.
    public init(
        id: String, displayName: String, events: [NotificationEvent], isOnByDefault: Bool, services: Set<Service>? = nil,
        isDeclared: Bool = false
    ) {
        self.id = id
        self.displayName = displayName
        self.events = events
        self.isOnByDefault = isOnByDefault
        self.services = services
        self.isDeclared = isDeclared
    }

    /// The printer-farm server's name for the feature: `notify_on_` and the id (`notify_on_failure_alert`).
    /// Accepted wherever a feature is named.
    public var seedName: String { Self.seedPrefix + id }

    /// The prefix of the printer-farm server's feature names.
    static let seedPrefix = "notify_on_"
}

extension Feature {
    /// The built-in features, in this order: the printer-farm server's six, with its defaults (failure alert, print
    /// done and filament change on), then BEC's alarms and scans, both on so that BEC routes keep working.
    ///
    /// | id | the printer-farm name | events | default |
    /// | --- | --- | --- | --- |
    /// | `failure_alert` | `notify_on_failure_alert` | FailureAlert | on |
    /// | `print_done` | `notify_on_print_done` | PrintDone | on |
    /// | `print_cancelled` | `notify_on_print_cancelled` | PrintCancelled | off |
    /// | `filament_change` | `notify_on_filament_change` | FilamentChange | on |
    /// | `other_print_events` | `notify_on_other_print_events` | PrintStarted, PrintPaused, PrintResumed | off |
    /// | `heater_status` | `notify_on_heater_status` | HeaterCooledDown, HeaterTargetReached | off |
    /// | `alarms` | | alarm_warning, alarm_minor, alarm_major, scan_interlock | on |
    /// | `scans` | | new_scan, scan_completed | on |
    public static let builtIn: [Feature] = [
        Feature(id: "failure_alert", displayName: "Failure alert", events: [.failureAlert], isOnByDefault: true),
        Feature(id: "print_done", displayName: "Print done", events: [.printDone], isOnByDefault: true),
        Feature(id: "print_cancelled", displayName: "Print cancelled", events: [.printCancelled], isOnByDefault: false),
        Feature(id: "filament_change", displayName: "Filament change", events: [.filamentChange], isOnByDefault: true),
        Feature(
            id: "other_print_events", displayName: "Other print events", events: [.printStarted, .printPaused, .printResumed],
            isOnByDefault: false),
        Feature(
            id: "heater_status", displayName: "Heater status", events: [.heaterCooledDown, .heaterTargetReached],
            isOnByDefault: false),
        Feature(
            id: "alarms", displayName: "Alarms", events: [.alarmWarning, .alarmMinor, .alarmMajor, .scanInterlock],
            isOnByDefault: true),
        Feature(id: "scans", displayName: "Scans", events: [.newScan, .scanCompleted], isOnByDefault: true),
    ]

    /// Whether `id` is a feature id: 1 to 64 characters, lowercase ASCII letters, digits and `_`, starting with a
    /// letter.
    static func isValidID(_ id: String) -> Bool {
        guard let first = id.unicodeScalars.first, ("a"..."z").contains(first), id.unicodeScalars.count <= 64 else { return false }
        return id.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }
}

/// The features a plugin supports.
public enum SupportedFeatures: Hashable, Sendable {
    /// Every feature, built-in or declared in the destinations file.
    case all
    /// Only these built-in features (by id), and the features the destinations file declares without limiting them
    /// to other services.
    case only(Set<String>)

    /// Whether the built-in feature `id` is supported.
    public func containsBuiltIn(_ id: String) -> Bool {
        switch self {
        case .all: true
        case .only(let ids): ids.contains(id)
        }
    }
}
