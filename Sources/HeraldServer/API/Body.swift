import HeraldCore
import Hummingbird
import NIOCore

/// Request and response bodies: JSON written by Herald's deterministic writer, and request bodies read under the
/// server's cap.
enum Body {
    /// A response carrying `value` as compact JSON and a final line feed.
    static func response(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        bytes(JSONWriter().bytes(value) + [UInt8(ascii: "\n")], status: status, headers: headers)
    }

    /// A response carrying `body` as it is, as `contentType`.
    static func bytes(
        _ body: [UInt8], status: HTTPResponse.Status = .ok, contentType: String = "application/json", headers: HTTPFields = [:]
    ) -> Response {
        var fields = headers
        fields[.contentType] = contentType
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// The request's body, at most `limit` bytes: a `Content-Length` over the limit is refused before anything is
    /// read, and a body without one is read only up to the limit.
    static func read(_ request: Request, limit: Int) async throws(APIError) -> [UInt8] {
        if let declared = request.headers[.contentLength], let length = Int(declared), length > limit {
            throw .bodyTooLarge(limit: limit)
        }
        do {
            return Array(buffer: try await request.body.collect(upTo: limit))
        } catch is NIOTooManyBytesError {
            throw .bodyTooLarge(limit: limit)
        } catch {
            throw APIError(status: .badRequest, code: "unreadable_body", message: "the request body could not be read", path: "body")
        }
    }

    /// The request's body read under `limit` and parsed as JSON with Herald's reader (its caps on nesting and on
    /// values apply).
    static func readJSON(_ request: Request, limit: Int) async throws(APIError) -> JSONValue {
        try json(try await read(request, limit: limit))
    }

    /// `bytes` parsed as JSON with Herald's reader (its caps on nesting and on values apply).
    static func json(_ bytes: [UInt8]) throws(APIError) -> JSONValue {
        do throws(JSONSyntaxError) { return try JSONReader().read(bytes) } catch { throw .malformedJSON(error) }
    }
}
