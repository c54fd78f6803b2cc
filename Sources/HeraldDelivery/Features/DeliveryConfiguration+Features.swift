import Herald

extension DeliveryConfiguration {
    /// Whether `configured` supports `feature` with its configuration.
    public func supports(_ feature: Feature, on configured: ConfiguredService) -> Bool {
        features.isSupported(feature, by: configured.id, supported: configured.supportedFeatures)
    }

    /// The features `configured` supports, in catalogue order.
    public func supportedFeatures(of configured: ConfiguredService) -> [Feature] {
        features.supported(by: configured.id, supported: configured.supportedFeatures)
    }

    /// The ids of the features `configured` supports, comma-separated, or `no feature`.
    func supportedFeatureList(of configured: ConfiguredService) -> String {
        let ids = supportedFeatures(of: configured).map(\.id)
        return ids.isEmpty ? "no feature" : ids.joined(separator: ", ")
    }
}
