import Foundation
import HeraldCore
import HeraldDelivery
import Hummingbird
import Logging

/// What the endpoints work with: the notifier (and its outbox), the server's settings, who may call, the rate
/// limiter, the redactor and the metrics.
struct HeraldAPI: Sendable {
    /// Publishes, routes and reads the outbox.
    let notifier: Notifier
    /// Limits and grace.
    let settings: ServerSettings
    /// The accepted tokens.
    let tokens: AccessTokens
    /// Whether the server runs without tokens (on loopback only): every caller is then an admin named `open`.
    let isOpen: Bool
    /// Each token's rate limit.
    let rateLimiter: RateLimiter
    /// Finds every configured secret and token in text the server answers with.
    let redactor: SecretRedactor
    /// The variables the services read (their status is shown, a secret's value never).
    let environment: DeliveryEnvironment
    /// The counters and gauges of `/metrics`.
    let metrics: ServerMetrics

    /// Every endpoint, in the order of the OpenAPI document.
    static let endpoints: [Endpoint] = [
        Endpoint(method: .get, path: "/", role: nil) { _, _, _, _ in page(PreviewPage.html) },
        Endpoint(method: .get, path: "/page.js", role: nil) { _, _, _, _ in page(PreviewPage.script) },
        Endpoint(method: .get, path: "/page.css", role: nil) { _, _, _, _ in page(PreviewPage.styleSheet) },
        Endpoint(method: .get, path: "/healthz", role: nil) { api, _, _, _ in api.health() },
        Endpoint(method: .get, path: "/readyz", role: nil) { api, _, _, _ in try await api.readiness() },
        Endpoint(method: .get, path: "/openapi.yaml", role: nil) { _, _, _, _ in
            Body.bytes(HeraldServer.openAPIDocument, contentType: "application/yaml")
        },
        Endpoint(method: .get, path: "/metrics", role: .notify) { api, _, _, _ in try await api.metricsExposition() },
        Endpoint(method: .post, path: "/v1/notifications", role: .notify) { api, request, _, holder in
            try await api.postNotification(request, by: holder)
        },
        Endpoint(method: .get, path: "/v1/notifications/{id}", role: .notify) { api, _, context, _ in
            try await api.notification(id: context.parameters.decoded("id"))
        },
        Endpoint(method: .post, path: "/v1/render/{service}", role: .notify) { api, request, context, _ in
            try await api.render(request, service: context.parameters.decoded("service"))
        },
        Endpoint(method: .get, path: "/v1/routes", role: .notify) { api, _, _, _ in try await api.listRoutes() },
        Endpoint(method: .put, path: "/v1/routes", role: .admin) { api, request, _, _ in try await api.setRoute(request) },
        Endpoint(method: .delete, path: "/v1/routes", role: .admin) { api, request, _, _ in try await api.unsetRoute(request) },
        Endpoint(method: .get, path: "/v1/destinations", role: .notify) { api, _, _, _ in try await api.listDestinations() },
        Endpoint(method: .post, path: "/v1/destinations", role: .admin) { api, request, _, _ in try await api.createDestination(request) },
        Endpoint(method: .get, path: "/v1/destinations/{service}/{name}", role: .notify) { api, _, context, _ in
            try await api.destination(service: context.parameters.decoded("service"), name: context.parameters.decoded("name"))
        },
        Endpoint(method: .put, path: "/v1/destinations/{service}/{name}", role: .admin) { api, request, context, _ in
            try await api.replaceDestination(request, service: context.parameters.decoded("service"), name: context.parameters.decoded("name"))
        },
        Endpoint(method: .delete, path: "/v1/destinations/{service}/{name}", role: .admin) { api, _, context, _ in
            try await api.deleteDestination(service: context.parameters.decoded("service"), name: context.parameters.decoded("name"))
        },
        Endpoint(method: .get, path: "/v1/services", role: .notify) { api, _, _, _ in api.listServices() },
        Endpoint(method: .post, path: "/v1/services/{service}/scopes/{scope}/test", role: .admin) { api, _, context, _ in
            try await api.sendTestMessage(service: context.parameters.decoded("service"), scope: context.parameters.decoded("scope"))
        },
        Endpoint(method: .get, path: "/v1/features", role: .notify) { api, _, _, _ in api.listFeatures() },
        Endpoint(method: .get, path: "/v1/destinations/{service}/{name}/toggles", role: .notify) { api, _, context, _ in
            try await api.toggles(service: context.parameters.decoded("service"), scope: context.parameters.decoded("name"))
        },
        Endpoint(method: .get, path: "/v1/destinations/{service}/{name}/deliveries", role: .notify) { api, request, context, _ in
            try await api.recentDeliveries(request, service: context.parameters.decoded("service"), scope: context.parameters.decoded("name"))
        },
        Endpoint(method: .put, path: "/v1/destinations/{service}/{name}/toggles", role: .admin) { api, request, context, _ in
            try await api.setToggles(request, service: context.parameters.decoded("service"), scope: context.parameters.decoded("name"))
        },
        Endpoint(method: .post, path: "/v1/integrations/printer-farm", role: .notify, acceptsQueryToken: true) { api, request, _, _ in
            try await api.postPrinterFarmEvent(request)
        },
    ]

    /// Checks the caller of an endpoint that needs `role` (none for an open one): 401 without a known bearer token,
    /// 403 when its role is not enough, 429 when its rate limit is used up. Returns who called. When
    /// `acceptingQueryToken`, a request without an `Authorization` header may name its token in the query parameter
    /// `access_token` (RFC 6750 §2.3).
    func authorize(_ request: Request, for role: AccessRole?, acceptingQueryToken: Bool = false) throws(APIError) -> AccessTokens.Holder? {
        guard let role else { return nil }
        let holder: AccessTokens.Holder
        if isOpen {
            holder = AccessTokens.Holder(name: "open", role: .admin)
        } else if acceptingQueryToken, request.headers[.authorization] == nil, let token = request.uri.queryParameters.get("access_token") {
            guard let known = tokens.holder(of: token) else {
                throw .unauthorized("the access_token is not one of the server's tokens", path: "query.access_token")
            }
            holder = known
        } else {
            guard let header = request.headers[.authorization] else {
                throw .unauthorized("no bearer token; send the header Authorization: Bearer <token>")
            }
            let scheme = "bearer "
            guard header.count > scheme.count, header.prefix(scheme.count).lowercased() == scheme else {
                throw .unauthorized("the Authorization header is not Bearer <token>")
            }
            guard let known = tokens.holder(of: header.dropFirst(scheme.count).trimmingCharacters(in: .whitespaces)) else {
                throw .unauthorized("the bearer token is not one of the server's tokens")
            }
            holder = known
        }
        guard holder.role.permits(role) else { throw .forbidden(holder, needs: role) }
        if let wait = rateLimiter.take(for: holder.name) { throw .rateLimited(holder, retryAfter: wait) }
        return holder
    }
}
