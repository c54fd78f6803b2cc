import Foundation
import Herald

/// Feature toggles: per destination (service and scope) and feature, whether the feature's events reach it. The
/// table holds overrides only; a destination without a row for a feature gets the feature's default.
extension Outbox {
    /// Every stored override, optionally only those of one service or scope, sorted by service, scope and feature.
    public func toggleOverrides(service: String? = nil, scope: String? = nil) async throws(DeliveryError) -> [StoredToggle] {
        try await storage.toggleOverrides(service: service, scope: scope)
    }

    /// In one transaction: for each change, stores whether `feature` is on for the destination, or removes its
    /// override (back to the feature's default) when the change is `nil`.
    func setToggles(_ changes: [(feature: String, isOn: Bool?)], for destination: Destination) async throws(DeliveryError) {
        try await storage.setToggles(
            changes.map { ToggleChange(feature: $0.feature, isOn: $0.isOn) }, service: destination.service.id, scope: destination.scope)
    }
}

/// One toggle override as the outbox stores it: service, scope and feature unchecked.
public struct StoredToggle: Hashable, Sendable {
    /// The service's id.
    public var service: String
    /// The scope.
    public var scope: String
    /// The feature's id.
    public var feature: String
    /// Whether the feature is on for the destination.
    public var isOn: Bool
}

/// One change of a destination's toggles: `isOn` stored, or the override removed when `nil`.
struct ToggleChange: Sendable {
    var feature: String
    var isOn: Bool?
}
