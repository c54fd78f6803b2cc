import Herald
import HeraldCore
import HeraldDelivery
import Hummingbird

extension HeraldAPI {
    /// `GET /v1/features`: every feature (id, name, events, default, printer-farm name) and which features each
    /// service supports, as `herald features --json` prints them.
    func listFeatures() -> Response {
        Body.response(notifier.configuration.featuresJSON)
    }

    /// `GET /v1/destinations/{service}/{name}/toggles`: the destination's toggle of every feature its service
    /// supports, as `herald toggles list --service S --scope X --json` shows them; 404 for a destination the
    /// destinations file does not define.
    func toggles(service name: String, scope: String) async throws(APIError) -> Response {
        let destination = try await configuredDestination(service: name, scope: scope)
        let toggles: [FeatureToggle]
        do throws(DeliveryError) {
            toggles = try await notifier.toggles(service: destination.service, scope: destination.scope)
        } catch {
            throw .delivery(error, path: "")
        }
        return Self.answer(destination, toggles)
    }

    /// `PUT /v1/destinations/{service}/{name}/toggles` `{"print_done": false, "failure_alert": null, ...}`: turns
    /// each named feature (id or printer-farm name) on (`true`), off (`false`) or back to its default (`null`), all
    /// at once, as `herald toggles set` and `reset` do; answers the destination's toggles. A feature that is unknown
    /// or that the service does not support is refused (422, naming the key) before anything changes.
    func setToggles(_ request: Request, service name: String, scope: String) async throws(APIError) -> Response {
        let destination = try await configuredDestination(service: name, scope: scope)
        guard case .object(let members) = try await Body.readJSON(request, limit: settings.requestLimitBytes) else {
            throw .invalid(MessageError(path: "", reason: "expected an object of features, each true, false or null"))
        }
        guard !members.isEmpty else { throw .invalid(MessageError(path: "", reason: "name at least one feature")) }
        let limit = notifier.configuration.features.features.count
        guard members.count <= limit else {
            throw .invalid(MessageError(path: "", reason: "names \(members.count) features; there are only \(limit)"))
        }
        var changes: [(feature: String, isOn: Bool?)] = []
        var named: [String: String] = [:]
        for key in members.keys.sorted() {
            let isOn: Bool?
            switch members[key] {
            case .bool(let value)?: isOn = value
            case .null?: isOn = nil
            default: throw .invalid(MessageError(path: key, reason: "expected true (on), false (off) or null (the feature's default)"))
            }
            let feature: Feature
            do throws(DeliveryError) {
                feature = try notifier.toggleFeature(named: key, on: await notifier.configuredService(for: destination))
            } catch {
                throw .delivery(error, path: key)
            }
            if let other = named[feature.id] {
                throw .invalid(MessageError(path: key, reason: "names feature \(feature.id) again (as \(quoted(other)))"))
            }
            named[feature.id] = key
            changes.append((feature.id, isOn))
        }
        let toggles: [FeatureToggle]
        do throws(DeliveryError) { toggles = try await notifier.setToggles(changes, for: destination) } catch { throw .delivery(error, path: "") }
        return Self.answer(destination, toggles)
    }

    /// The destination `service`/`scope` if the destinations file or a stored destination defines it; 404 naming
    /// the path parameter otherwise.
    func configuredDestination(service name: String, scope: String) async throws(APIError) -> Destination {
        guard let service = Service(id: name) else { throw .unknownService(name) }
        let destination = Destination(service: service, scope: scope)
        do throws(DeliveryError) { _ = try await notifier.configuredService(for: destination) } catch {
            let path = (try? await notifier.directory().scopes(of: service).isEmpty) ?? true ? "path.service" : "path.name"
            throw APIError(status: .notFound, code: "unknown_destination", message: error.description, path: path)
        }
        return destination
    }

    /// `{"service", "scope", "toggles": [...]}`.
    private static func answer(_ destination: Destination, _ toggles: [FeatureToggle]) -> Response {
        Body.response([
            "service": .string(destination.service.id), "scope": .string(destination.scope),
            "toggles": .array(toggles.map(\.jsonValue)),
        ])
    }
}
