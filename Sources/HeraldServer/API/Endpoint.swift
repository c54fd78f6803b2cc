import Foundation
import HeraldDelivery
import Hummingbird

/// One operation of the API as the OpenAPI document (`openapi.yaml`) describes it: method, path template and the
/// role it needs (`nil`: open to anyone).
public struct APIOperation: Hashable, Sendable, CustomStringConvertible {
    /// The HTTP method, e.g. `POST`.
    public var method: String
    /// The path template, e.g. `/v1/notifications/{id}`.
    public var path: String
    /// The role a bearer token needs; `nil` when no token is needed.
    public var requiredRole: AccessRole?

    /// `POST /v1/notifications (notify)`.
    public var description: String { "\(method) \(path) (\(requiredRole?.rawValue ?? "open"))" }
}

/// An endpoint: its operation and its handler. ``HeraldAPI/endpoints`` lists them all; the router is built from
/// that list and the tests compare it with the OpenAPI document.
struct Endpoint: Sendable {
    /// The method.
    let method: HTTPRequest.Method
    /// The OpenAPI path template (`{id}`).
    let path: String
    /// The role needed; `nil` for an open endpoint.
    let role: AccessRole?
    /// Whether the token may also come as the query parameter `access_token`, for senders that cannot set a header.
    var acceptsQueryToken = false
    /// Answers a request that passed the access check, told who made it (`nil` on an open endpoint).
    let handle: @Sendable (HeraldAPI, Request, APIRequestContext, AccessTokens.Holder?) async throws -> Response

    /// The operation.
    var operation: APIOperation { APIOperation(method: method.rawValue, path: path, requiredRole: role) }

    /// The path as Hummingbird's router writes it (`:id` for `{id}`).
    var routerPath: RouterPath {
        RouterPath(path.split(separator: "/").map { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}") ? ":" + segment.dropFirst().dropLast() : String(segment)
        }.joined(separator: "/"))
    }
}

extension Router<APIRequestContext> {
    /// Registers every endpoint of `api`, each behind its access check.
    func register(_ api: HeraldAPI) {
        for endpoint in HeraldAPI.endpoints {
            on(endpoint.routerPath, method: endpoint.method) { request, context in
                let holder = try api.authorize(request, for: endpoint.role, acceptingQueryToken: endpoint.acceptsQueryToken)
                return try await endpoint.handle(api, request, context, holder)
            }
        }
    }
}

extension Parameters {
    /// The path parameter `name`, percent-decoded (Hummingbird leaves path segments as sent).
    func decoded(_ name: String) -> String {
        let raw = get(name) ?? ""
        return raw.removingPercentEncoding ?? raw
    }
}
