import Herald
import HeraldCore
import HeraldDelivery
import Hummingbird

extension HeraldAPI {
    /// `GET /v1/routes`: every route, sorted by event and service, as `herald routes list` prints them.
    func listRoutes() async throws(APIError) -> Response {
        let routes: [Route]
        do throws(DeliveryError) { routes = try await notifier.routes() } catch { throw .delivery(error, path: "") }
        return Body.response(["routes": .array(routes.map(\.jsonValue))])
    }

    /// `PUT /v1/routes` `{"event", "service", "scopes"}`: routes the event on the service to exactly these scopes,
    /// as `herald routes set` does; answers the route.
    func setRoute(_ request: Request) async throws(APIError) -> Response {
        let body = try await Body.readJSON(request, limit: settings.requestLimitBytes)
        let name: String
        let serviceName: String
        let scopes: [String]
        do throws(MessageError) {
            let members = try JSONObjectReader(body, path: "")
            try members.allowOnly(["event", "service", "scopes"])
            name = try members.required(members.string("event"), "event")
            serviceName = try members.required(members.string("service"), "service")
            scopes = try members.required(members.stringArray("scopes"), "scopes")
            guard !scopes.isEmpty else { throw MessageError(path: "scopes", reason: "name at least one scope") }
        } catch {
            throw .invalid(error)
        }
        let event = try Self.event(name, path: "event")
        guard let service = Service(id: serviceName) else {
            throw .invalid(MessageError(path: "service", reason: Service.unknownServiceReason(serviceName)))
        }
        do throws(DeliveryError) {
            try await notifier.setAutoNotifications(event: event, service: service, enabled: true, scopes: scopes)
        } catch {
            if case .unsupportedFeature = error { throw .delivery(error, path: "event") }
            throw .delivery(error, path: "scopes")
        }
        return Body.response(Route(event: event, service: service, scopes: Array(Set(scopes))).jsonValue)
    }

    /// `DELETE /v1/routes?event=E&service=S[&scope=X...]`: stops routing the event on the service to these scopes,
    /// or to any scope when none is given, as `herald routes unset` does.
    func unsetRoute(_ request: Request) async throws(APIError) -> Response {
        let query = request.uri.queryParameters
        func required(_ key: String) throws(APIError) -> String {
            guard let value = query[key[...]] else {
                throw APIError(
                    status: .unprocessableContent, code: "invalid_request", message: "missing query parameter \"\(key)\"", path: "query.\(key)")
            }
            return String(value)
        }
        let event = try Self.event(try required("event"), path: "query.event")
        let serviceName = try required("service")
        guard let service = Service(id: serviceName) else { throw .unknownService(serviceName, parameter: "query.service") }
        let scopes = query.getAll("scope").map { String($0) }
        do throws(DeliveryError) {
            try await notifier.setAutoNotifications(event: event, service: service, enabled: false, scopes: scopes)
        } catch {
            throw .delivery(error, path: "query.scope")
        }
        return Response(status: .noContent)
    }

    /// The event named `name`, or 422 naming `path`.
    private static func event(_ name: String, path: String) throws(APIError) -> NotificationEvent {
        do throws(DeliveryError) { return try NotificationEvent(validating: name) } catch { throw .delivery(error, path: path) }
    }
}

extension Route {
    /// `{"event", "service", "scopes"}`.
    var jsonValue: JSONValue {
        ["event": .string(event.rawValue), "service": .string(service.id), "scopes": .array(scopes.map(JSONValue.string))]
    }
}
