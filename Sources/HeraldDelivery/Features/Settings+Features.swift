import Herald
import HeraldCore

extension Settings {
    /// An optional switch: `on` or `off`, or a boolean.
    public mutating func onOff(_ key: String) throws(ConfigurationError) -> Bool? {
        switch value(key) {
        case nil, .null?: return nil
        case .bool(let value)?: return value
        case .string("on")?: return true
        case .string("off")?: return false
        default: throw ConfigurationError(path: path(of: key), reason: "expected on or off")
        }
    }

    /// An optional, non-empty list of built-in features (each by id or printer-farm name) among `supported`, the
    /// features `service` supports; answers their ids.
    public mutating func features(_ key: String, within supported: Set<String>, service: Service) throws(ConfigurationError) -> Set<String>? {
        guard let names = try strings(key) else { return nil }
        let listPath = path(of: key)
        guard !names.isEmpty else {
            throw ConfigurationError(path: listPath, reason: "names no feature; leave it out for every feature \(service.id) supports")
        }
        var ids: Set<String> = []
        for (index, name) in names.enumerated() {
            let path = "\(listPath)[\(index)]"
            guard let feature = FeatureCatalogue.builtIn.feature(named: name) else {
                throw ConfigurationError(path: path, reason: FeatureCatalogue.builtIn.unknownFeatureReason(name))
            }
            guard supported.contains(feature.id) else {
                throw ConfigurationError(
                    path: path, reason: "\(service.id) does not support feature \(feature.id); it supports \(Feature.builtIn.map(\.id).filter(supported.contains).joined(separator: ", "))")
            }
            ids.insert(feature.id)
        }
        return ids
    }
}
