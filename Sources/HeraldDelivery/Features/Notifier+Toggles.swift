import Herald
import HeraldCore

/// One destination's setting of one feature.
public struct FeatureToggle: Hashable, Sendable {
    /// The destination.
    public var destination: Destination
    /// The feature.
    public var feature: Feature
    /// Whether the feature's events reach the destination.
    public var isOn: Bool
    /// Whether the destination has no toggle of its own, so ``isOn`` is the feature's default.
    public var isDefault: Bool
}

extension Notifier {
    /// The toggle of every feature each destination (the file's and the stored ones) supports (optionally only one service's, or one
    /// scope's), sorted by destination, then in catalogue order. Refuses an unconfigured service or scope.
    public func toggles(service: Service? = nil, scope: String? = nil) async throws(DeliveryError) -> [FeatureToggle] {
        let directory = try await self.directory()
        var destinations: [Destination] = []
        if let service, let scope {
            _ = try directory.deliveryTarget(for: Destination(service: service, scope: scope))
            destinations = [Destination(service: service, scope: scope)]
        } else {
            for id in service.map({ [$0] }) ?? Service.catalogue {
                destinations += directory.scopes(of: id).filter { scope == nil || $0 == scope }.map { Destination(service: id, scope: $0) }
            }
            if let service, destinations.isEmpty { throw .invalidRoute("\(service.id) is not configured in the destinations file") }
            if let scope, destinations.isEmpty { throw .invalidRoute("no configured service has scope \(quoted(scope))") }
        }
        let overrides = try await outbox.toggleOverrides(service: service?.id, scope: scope)
        var stored: [Destination: [String: Bool]] = [:]
        for row in overrides {
            guard let service = Service(id: row.service) else { continue }
            stored[Destination(service: service, scope: row.scope), default: [:]][row.feature] = row.isOn
        }
        var toggles: [FeatureToggle] = []
        for destination in destinations.sorted() {
            for feature in configuration.supportedFeatures(of: try directory.deliveryTarget(for: destination).service) {
                let value = stored[destination]?[feature.id]
                toggles.append(FeatureToggle(destination: destination, feature: feature, isOn: value ?? feature.isOnByDefault, isDefault: value == nil))
            }
        }
        return toggles
    }

    /// The feature `name` (an id or a printer-farm name) for a toggle of `configured`: refuses an unknown feature
    /// (``DeliveryError/invalidToggle(_:)``) and one the service does not support
    /// (``DeliveryError/unsupportedFeature(_:)``).
    public func toggleFeature(named name: String, on configured: ConfiguredService) throws(DeliveryError) -> Feature {
        guard let feature = configuration.features.feature(named: name) else {
            throw .invalidToggle(configuration.features.unknownFeatureReason(name))
        }
        guard configuration.supports(feature, on: configured) else {
            throw .unsupportedFeature(
                "\(configured.id.id) does not support feature \(feature.id); it supports \(configuration.supportedFeatureList(of: configured))")
        }
        return feature
    }

    /// Atomically turns features on or off for one configured destination, or back to their defaults (`nil`);
    /// features are named by id or printer-farm name. Answers the destination's toggles. Refuses an unconfigured
    /// destination and an unknown or unsupported feature before changing anything.
    @discardableResult
    public func setToggles(_ changes: [(feature: String, isOn: Bool?)], for destination: Destination) async throws(DeliveryError) -> [FeatureToggle] {
        let configured = try await configuredService(for: destination)
        var resolved: [(feature: String, isOn: Bool?)] = []
        for change in changes {
            resolved.append((try toggleFeature(named: change.feature, on: configured).id, change.isOn))
        }
        try await outbox.setToggles(resolved, for: destination)
        logger.info("toggles changed", metadata: [
            "destination": "\(destination)",
            "toggles": "\(resolved.map { "\($0.feature)=\($0.isOn.map { $0 ? "on" : "off" } ?? "default")" })",
        ])
        return try await toggles(service: destination.service, scope: destination.scope)
    }
}
