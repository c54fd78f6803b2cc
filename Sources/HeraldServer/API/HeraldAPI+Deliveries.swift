import HeraldCore
import HeraldDelivery
import Hummingbird

extension HeraldAPI {
    /// The most deliveries `GET /v1/destinations/{service}/{name}/deliveries` answers, and how many without `limit`.
    static let recentDeliveriesLimit = (default: 20, maximum: 100)

    /// `GET /v1/destinations/{service}/{name}/deliveries[?limit=N]`: the destination's last `N` deliveries (1 to
    /// 100, 20 by default), newest first, each as `GET /v1/notifications/{id}` shows it (state, attempts, last error
    /// redacted); 404 for a destination neither the file nor a stored destination defines.
    func recentDeliveries(_ request: Request, service name: String, scope: String) async throws(APIError) -> Response {
        var limit = Self.recentDeliveriesLimit.default
        if let text = request.uri.queryParameters["limit"] {
            guard let value = Int(String(text)), (1...Self.recentDeliveriesLimit.maximum).contains(value) else {
                throw APIError(
                    status: .unprocessableContent, code: "invalid_request",
                    message: "limit \(quoted(String(text), limit: echoedValueLimit)) is not a whole number from 1 to \(Self.recentDeliveriesLimit.maximum)",
                    path: "query.limit")
            }
            limit = value
        }
        let destination = try await configuredDestination(service: name, scope: scope)
        let entries: [OutboxEntry]
        do throws(DeliveryError) { entries = try await notifier.outbox.recentEntries(to: destination, limit: limit) } catch {
            throw .delivery(error, path: "")
        }
        return Body.response([
            "service": .string(destination.service.id), "scope": .string(destination.scope),
            "deliveries": .array(entries.map(shown)),
        ])
    }
}
