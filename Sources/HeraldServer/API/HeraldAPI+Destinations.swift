import Herald
import HeraldCore
import HeraldDelivery
import Hummingbird

extension HeraldAPI {
    /// `GET /v1/destinations`: the destinations file's scopes and the destinations created at run time (`origin`
    /// `file` or `api`), as `herald destinations list --json` prints them; a stored one's secret settings are
    /// named, never shown.
    func listDestinations() async throws(APIError) -> Response {
        let listings: [DestinationListing]
        do throws(DeliveryError) { listings = try await notifier.listDestinations() } catch { throw .delivery(error, path: "") }
        return Body.response(["destinations": .array(listings.map(\.jsonValue))])
    }

    /// `GET /v1/destinations/{service}/{name}`: one destination, or 404.
    func destination(service serviceName: String, name: String) async throws(APIError) -> Response {
        let destination = try Self.destination(serviceName, name)
        let directory: DestinationDirectory
        do throws(DeliveryError) { directory = try await notifier.directory() } catch { throw .delivery(error, path: "") }
        guard let listing = directory.listing(of: destination) else { throw .destination(.notFound("no destination \(destination)")) }
        return Body.response(listing.jsonValue)
    }

    /// `POST /v1/destinations` `{"service", "name", "config"}`: validates `config` with the service's plugin and
    /// stores the destination (201), as `herald destinations add` does.
    func createDestination(_ request: Request) async throws(APIError) -> Response {
        let body = try await Body.readJSON(request, limit: settings.requestLimitBytes)
        let serviceName: String
        let name: String
        let config: JSONValue
        do throws(MessageError) {
            let members = try JSONObjectReader(body, path: "")
            try members.allowOnly(["service", "name", "config"])
            serviceName = try members.required(members.string("service"), "service")
            name = try members.required(members.string("name"), "name")
            config = try members.required(members.members["config"], "config")
        } catch {
            throw .invalid(error)
        }
        guard let service = Service(id: serviceName) else {
            throw .invalid(MessageError(path: "service", reason: Service.unknownServiceReason(serviceName)))
        }
        do throws(DestinationError) {
            let listing = try await notifier.addDestination(Destination(service: service, scope: name), config: config)
            return Body.response(listing.jsonValue, status: .created)
        } catch {
            throw .destination(error)
        }
    }

    /// `PUT /v1/destinations/{service}/{name}` `{"config"}`: replaces a stored destination's config (its secrets
    /// given again).
    func replaceDestination(_ request: Request, service serviceName: String, name: String) async throws(APIError) -> Response {
        let destination = try Self.destination(serviceName, name)
        let body = try await Body.readJSON(request, limit: settings.requestLimitBytes)
        let config: JSONValue
        do throws(MessageError) {
            let members = try JSONObjectReader(body, path: "")
            try members.allowOnly(["config"])
            config = try members.required(members.members["config"], "config")
        } catch {
            throw .invalid(error)
        }
        do throws(DestinationError) {
            return Body.response(try await notifier.replaceDestination(destination, config: config).jsonValue)
        } catch {
            throw .destination(error)
        }
    }

    /// `DELETE /v1/destinations/{service}/{name}`: removes a stored destination (204); 409 while routes or
    /// undelivered deliveries name it.
    func deleteDestination(service serviceName: String, name: String) async throws(APIError) -> Response {
        let destination = try Self.destination(serviceName, name)
        do throws(DestinationError) { try await notifier.removeDestination(destination) } catch { throw .destination(error) }
        return Response(status: .noContent)
    }

    /// The destination named by the path parameters; 404 for a service not in the catalogue.
    private static func destination(_ serviceName: String, _ name: String) throws(APIError) -> Destination {
        guard let service = Service(id: serviceName) else { throw .unknownService(serviceName) }
        return Destination(service: service, scope: name)
    }
}

extension APIError {
    /// The answer to a refused destination change: 422 naming the setting, 409 for a name taken or still in use,
    /// 404 for none stored, and the outbox's failures as ``delivery(_:path:)`` answers them.
    static func destination(_ error: DestinationError) -> APIError {
        switch error {
        case .invalid(let path, _):
            APIError(status: .unprocessableContent, code: "invalid_destination", message: error.description, path: path.isEmpty ? "body" : path)
        case .conflict:
            APIError(status: .conflict, code: "destination_conflict", message: error.description, path: "name")
        case .notFound:
            APIError(status: .notFound, code: "unknown_destination", message: error.description, path: "path.name")
        case .delivery(let error):
            .delivery(error, path: "")
        }
    }
}
