import Herald
import HeraldCore

/// The features in force: the built-in ones (``Feature/builtIn``) and those the destinations file declares under
/// `features`, with the feature of each event.
///
/// ```yaml
/// features:
///   beamtime:
///     name: Beamtime                # optional; the id by default
///     events: [beamtime_started, beamtime_ended]
///     default: on                   # on or off (true or false); on when left out
///     services: [signal, teams]     # optional: the only services that support it; every service when left out
/// ```
///
/// Invariants: ids are unique and none is another's printer-farm name; every event is in at most one feature.
public struct FeatureCatalogue: Hashable, Sendable {
    /// The features, built-in first, then the declared ones in id order.
    public let features: [Feature]
    private let indexByEvent: [NotificationEvent: Int]

    /// The most features the destinations file may declare.
    public static let maximumDeclaredFeatures = 64
    /// The most events one declared feature may group.
    public static let maximumEventsPerFeature = 256

    /// The built-in features only.
    public static let builtIn = FeatureCatalogue(checked: Feature.builtIn)

    private init(checked features: [Feature]) {
        self.features = features
        var index: [NotificationEvent: Int] = [:]
        for (position, feature) in features.enumerated() {
            for event in feature.events { index[event] = position }
        }
        indexByEvent = index
    }

    /// The built-in features and those declared in `settings` (the mapping under `features`), refusing an invalid
    /// or clashing id, an event already in a feature, and more than ``maximumDeclaredFeatures`` features or
    /// ``maximumEventsPerFeature`` events in one (counted before anything is validated).
    public init(declarations settings: Settings) throws(ConfigurationError) {
        let keys = settings.keys
        guard keys.count <= Self.maximumDeclaredFeatures else {
            throw ConfigurationError(
                path: settings.path, reason: "declares \(keys.count) features; the most is \(Self.maximumDeclaredFeatures)")
        }
        var root = settings
        var features = Feature.builtIn
        var owner: [NotificationEvent: String] = [:]
        for feature in features {
            for event in feature.events { owner[event] = feature.id }
        }
        for id in keys {
            let path = root.path(of: id)
            guard Feature.isValidID(id) else {
                throw ConfigurationError(
                    path: path, reason: "a feature id is 1 to 64 lowercase letters, digits and _, starting with a letter")
            }
            if let clash = features.first(where: { $0.id == id || $0.seedName == id }) {
                throw ConfigurationError(path: path, reason: "clashes with the built-in feature \(clash.id) (\(clash.seedName))")
            }
            guard !id.hasPrefix(Feature.seedPrefix) else {
                throw ConfigurationError(
                    path: path, reason: "a feature id must not start with \(Feature.seedPrefix): such names stand for built-in features")
            }
            guard var declaration = try root.settings(id) else {
                throw ConfigurationError(path: path, reason: "expected a mapping with events")
            }
            let feature = try Self.declared(id, &declaration, owner: owner)
            for event in feature.events { owner[event] = id }
            features.append(feature)
            try declaration.finish()
        }
        try root.finish()
        self.init(checked: features)
    }

    private static func declared(_ id: String, _ settings: inout Settings, owner: [NotificationEvent: String]) throws(ConfigurationError) -> Feature {
        let eventsPath = settings.path(of: "events")
        guard let names = try settings.strings("events"), !names.isEmpty else {
            throw ConfigurationError(path: eventsPath, reason: "is required: name at least one event")
        }
        guard names.count <= maximumEventsPerFeature else {
            throw ConfigurationError(path: eventsPath, reason: "names \(names.count) events; the most is \(maximumEventsPerFeature)")
        }
        var events: [NotificationEvent] = []
        for (index, name) in names.enumerated() {
            let path = "\(eventsPath)[\(index)]"
            let event: NotificationEvent
            do throws(DeliveryError) { event = try NotificationEvent(validating: name) } catch {
                throw ConfigurationError(path: path, reason: error.description)
            }
            if let other = owner[event] {
                throw ConfigurationError(path: path, reason: "event \(event) is already in feature \(other); an event belongs to one feature")
            }
            guard !events.contains(event) else { throw ConfigurationError(path: path, reason: "event \(event) is named twice") }
            events.append(event)
        }
        let isOn = try settings.onOff("default") ?? true
        var services: Set<Service>?
        if let serviceNames = try settings.strings("services") {
            var set: Set<Service> = []
            for (index, name) in serviceNames.enumerated() {
                guard let service = Service(id: name) else {
                    throw ConfigurationError(path: "\(settings.path(of: "services"))[\(index)]", reason: Service.unknownServiceReason(name))
                }
                set.insert(service)
            }
            services = set
        }
        let name = try settings.string("name") ?? id
        guard name.count <= 200, !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw ConfigurationError(path: settings.path(of: "name"), reason: "a feature's name is one line of at most 200 characters")
        }
        return Feature(id: id, displayName: name, events: events, isOnByDefault: isOn, services: services, isDeclared: true)
    }

    /// The feature `name` names: its id or its printer-farm name (`notify_on_print_done`).
    public func feature(named name: String) -> Feature? {
        features.first { $0.id == name || $0.seedName == name }
    }

    /// The feature `event` belongs to; `nil` for an event in none (governed by routes alone).
    public func feature(of event: NotificationEvent) -> Feature? {
        indexByEvent[event].map { features[$0] }
    }

    /// Whether a service with `supported` features (its plugin's, for its configuration) supports `feature`: a
    /// declared feature unless it is limited to other services, a built-in one when the plugin says so.
    public func isSupported(_ feature: Feature, by service: Service, supported: SupportedFeatures) -> Bool {
        if feature.isDeclared { return feature.services?.contains(service) ?? true }
        return supported.containsBuiltIn(feature.id)
    }

    /// The features a service with `supported` features supports, in catalogue order.
    public func supported(by service: Service, supported: SupportedFeatures) -> [Feature] {
        features.filter { isSupported($0, by: service, supported: supported) }
    }

    /// The reason a feature is refused for `name`, an unknown feature: the known ids follow.
    func unknownFeatureReason(_ name: String) -> String {
        "unknown feature \(quoted(name, limit: echoedValueLimit)); expected one of \(features.map(\.id).joined(separator: ", "))"
    }
}
