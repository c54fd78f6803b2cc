import HeraldCore
import Hummingbird
import Logging

/// The request context of Herald's router: Hummingbird's core storage only (the caller is checked per endpoint).
struct APIRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}

/// Answers every failure in the one error shape and logs one line per request (method, path, status).
///
/// ``APIError``s are answered as they are; Hummingbird's own errors (no such endpoint, a body over the limit) are
/// turned into the same shape; anything else is a 500 whose cause is logged, never sent.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = try answer(to: error, for: request).response(from: request, context: context)
        }
        logger.info("\(request.method) \(displayable(request.uri.path, limit: 200)) \(response.status.code)")
        return response
    }

    private func answer(to error: any Error, for request: Request) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as HTTPError where error.status == .notFound:
            return APIError(
                status: .notFound, code: "not_found",
                message: "no endpoint \(request.method) \(displayable(request.uri.path, limit: 200)); see /openapi.yaml",
                path: displayable(request.uri.path, limit: 200))
        case let error as any HTTPResponseError:
            return APIError(status: error.status, code: "http_error", message: error.status.reasonPhrase, path: "")
        default:
            logger.error("internal error: \(error)", metadata: ["method": "\(request.method)", "path": "\(request.uri.path)"])
            return APIError(status: .internalServerError, code: "internal_error", message: "internal error; the server's log says more", path: "")
        }
    }
}
