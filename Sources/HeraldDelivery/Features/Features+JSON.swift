import Herald
import HeraldCore

extension Feature {
    /// `{"id", "name", "events", "default", "printer_farm_name", "declared"}`, and `services` when a declared
    /// feature is limited to some.
    public var jsonValue: JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(id), "name": .string(displayName), "events": .array(events.map { .string($0.rawValue) }),
            "default": .bool(isOnByDefault), "printer_farm_name": .string(seedName), "declared": .bool(isDeclared),
        ]
        if let services { object["services"] = .array(services.map(\.id).sorted().map(JSONValue.string)) }
        return .object(object)
    }
}

extension DeliveryConfiguration {
    /// What `herald features --json` prints and `GET /v1/features` answers: `{"features": [...], "services":
    /// [{"id", "configured", "supported_features"}]}`, every feature in catalogue order and every service of the
    /// catalogue with the ids of the features it supports (configured: with its configuration; otherwise its
    /// plugin's).
    public var featuresJSON: JSONValue {
        let support = Service.catalogue.map { service -> JSONValue in
            [
                "id": .string(service.id), "configured": .bool(services[service] != nil),
                "supported_features": .array(supportedFeatureIDs(of: service).map(JSONValue.string)),
            ]
        }
        return ["features": .array(features.features.map(\.jsonValue)), "services": .array(support)]
    }

    /// The ids of the features `service` supports: with its configuration when configured, else its plugin's.
    public func supportedFeatureIDs(of service: Service) -> [String] {
        let supported = services[service]?.supportedFeatures ?? service.plugin?.supportedFeatures ?? .all
        return features.supported(by: service, supported: supported).map(\.id)
    }
}

extension FeatureToggle {
    /// `{"service", "scope", "feature", "name", "on", "default"}`: whether the feature is on for the destination
    /// and whether that is its default (the destination has no toggle of its own).
    public var jsonValue: JSONValue {
        [
            "service": .string(destination.service.id), "scope": .string(destination.scope), "feature": .string(feature.id),
            "name": .string(feature.displayName), "on": .bool(isOn), "default": .bool(isDefault),
        ]
    }
}
