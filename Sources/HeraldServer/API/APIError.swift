import Foundation
import Herald
import HeraldCore
import HeraldDelivery
import Hummingbird

/// A refused or failed request, answered as `{"error": {"code", "message", "path"}}`: a stable code, the sentence
/// the command line would print after `error:`, and where in the request the problem is.
///
/// `path` is a JSON path into the body (`message.parts[3].color`), `body` for the body as a whole, a parameter
/// (`path.service`, `query.scope`), a header (`header.Authorization`), or the request's path for an unknown endpoint.
struct APIError: Error, HTTPResponseError, Sendable {
    /// The HTTP status.
    var status: HTTPResponse.Status
    /// A stable, machine-readable code (`invalid_message`).
    var code: String
    /// One sentence, as the command line words it.
    var message: String
    /// Where in the request.
    var path: String
    /// Extra response headers (`Retry-After`, `WWW-Authenticate`).
    var headers: HTTPFields = [:]

    /// The error as the JSON value of the response body.
    var jsonValue: JSONValue {
        ["error": ["code": .string(code), "message": .string(message), "path": .string(path)]]
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = Body.response(jsonValue, status: status)
        response.headers.append(contentsOf: headers)
        return response
    }
}

extension APIError {
    /// 401: no token, or one the server does not know, in `path` (the header, or `query.access_token`).
    static func unauthorized(_ message: String, path: String = "header.Authorization") -> APIError {
        APIError(
            status: .unauthorized, code: "unauthorized", message: message, path: path,
            headers: [.wwwAuthenticate: #"Bearer realm="herald""#])
    }

    /// 403: a valid token whose role may not do this.
    static func forbidden(_ holder: AccessTokens.Holder, needs role: AccessRole) -> APIError {
        APIError(
            status: .forbidden, code: "forbidden",
            message: "token \(quoted(holder.name)) has the role \(holder.role.rawValue); this needs the role \(role.rawValue)",
            path: "header.Authorization")
    }

    /// 429: the token's rate limit is used up for `seconds`.
    static func rateLimited(_ holder: AccessTokens.Holder, retryAfter seconds: Int) -> APIError {
        APIError(
            status: .tooManyRequests, code: "rate_limited",
            message: "token \(quoted(holder.name)) made too many requests; try again in \(seconds) s",
            path: "header.Authorization", headers: [.retryAfter: String(seconds)])
    }

    /// 413: the body is over the limit, refused before it is read.
    static func bodyTooLarge(limit: Int) -> APIError {
        APIError(
            status: .contentTooLarge, code: "body_too_large",
            message: "the request body is larger than the limit of \(limit) bytes", path: "body")
    }

    /// 400: the body is not JSON, with line and column.
    static func malformedJSON(_ error: JSONSyntaxError) -> APIError {
        APIError(status: .badRequest, code: "malformed_json", message: MessageInputError.malformedJSON(error).description, path: "body")
    }

    /// 422: the body's JSON is not what the endpoint takes (a message, a route), naming the JSON path.
    static func invalid(_ error: MessageError, code: String = "invalid_request") -> APIError {
        APIError(status: .unprocessableContent, code: code, message: error.description, path: error.path.isEmpty ? "body" : error.path)
    }

    /// The answer to a routing, configuration or outbox failure: 503 when the outbox does not answer, 422 otherwise.
    static func delivery(_ error: DeliveryError, path: String) -> APIError {
        switch error {
        case .storage:
            APIError(status: .serviceUnavailable, code: "storage_unavailable", message: error.description, path: "")
        case .invalidEvent:
            APIError(status: .unprocessableContent, code: "invalid_event", message: error.description, path: path)
        case .invalidRoute:
            APIError(status: .unprocessableContent, code: "invalid_route", message: error.description, path: path)
        case .invalidConfiguration:
            APIError(status: .unprocessableContent, code: "invalid_configuration", message: error.description, path: path)
        case .unsupportedFeature:
            APIError(status: .unprocessableContent, code: "unsupported_feature", message: error.description, path: path)
        case .invalidToggle:
            APIError(status: .unprocessableContent, code: "invalid_toggle", message: error.description, path: path)
        }
    }

    /// 404: no such service in the catalogue, in path parameter `parameter`.
    static func unknownService(_ name: String, parameter: String = "path.service") -> APIError {
        APIError(
            status: .notFound, code: "unknown_service",
            message: Service.unknownServiceReason(name),
            path: parameter)
    }
}
