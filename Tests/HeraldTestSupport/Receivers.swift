import Foundation
import Herald

/// Handlers that behave like each service's HTTP endpoint on acceptance.
public enum Receivers {
    /// A receiver that accepts every request at once and answers 200 only `delay` later, so that a sender stopped in
    /// between leaves an accepted send unanswered.
    public static func slow(_ ledger: KeyLedger, answeringAfter delay: Duration) -> @Sendable (ReceivedRequest) async -> TestReply {
        { request in
            await ledger.saw()
            await ledger.accept(request)
            return .respond(status: 200, after: delay)
        }
    }

    /// A chat tool's Markdown webhook: `POST` with a JSON object carrying the text.
    public static func markdownWebhook(_ ledger: KeyLedger) -> @Sendable (ReceivedRequest) async -> TestReply {
        { request in
            await ledger.saw()
            guard request.method == "POST", case .object? = try? JSONReader().read(request.body) else {
                return .json(400, #"{"message": "expected a JSON object"}"#)
            }
            await ledger.accept(request)
            return .respond(status: 200, body: Array("ok".utf8))
        }
    }

    /// A Discord webhook's `execute?wait=true`: takes a JSON or multipart `POST` and answers the created message with
    /// an id, or with `reply` when one is given.
    public static func discordWebhook(_ ledger: KeyLedger, reply: TestReply? = nil) -> @Sendable (ReceivedRequest) async -> TestReply {
        { request in
            await ledger.saw()
            guard request.method == "POST", request.path.hasSuffix("?wait=true") else {
                return .json(405, #"{"message": "405: Method Not Allowed", "code": 0}"#)
            }
            if let reply { return reply }
            await ledger.accept(request)
            let count = await ledger.accepted.count
            return .json(200, #"{"id": "1300000000000000\#(count)", "type": 0, "channel_id": "99"}"#)
        }
    }

    /// signal-cli's HTTP daemon: JSON-RPC `send` at `/api/v1/rpc`.
    public static func signalJSONRPC(_ ledger: KeyLedger) -> @Sendable (ReceivedRequest) async -> TestReply {
        { request in
            await ledger.saw()
            guard request.path == "/api/v1/rpc", case .object(let call)? = try? JSONReader().read(request.body),
                call["method"] == "send", case .object(let params)? = call["params"], params["message"] != nil
            else {
                return .json(200, #"{"jsonrpc": "2.0", "error": {"code": -32602, "message": "Invalid params"}, "id": null}"#)
            }
            let id = call["id"].map { JSONWriter().string($0) } ?? "null"
            guard params["recipient"] != nil || params["groupId"] != nil else {
                return .json(200, #"{"jsonrpc": "2.0", "error": {"code": -32602, "message": "No recipients given"}, "id": \#(id)}"#)
            }
            await ledger.accept(request)
            return .json(200, #"{"jsonrpc": "2.0", "result": {"timestamp": 1700000000000, "results": [{"recipientAddress": {"number": "+41791234567"}, "type": "SUCCESS"}]}, "id": \#(id)}"#)
        }
    }

    /// signal-cli-rest-api: `POST /v2/send`.
    public static func signalREST(_ ledger: KeyLedger) -> @Sendable (ReceivedRequest) async -> TestReply {
        { request in
            await ledger.saw()
            guard request.path == "/v2/send", case .object(let body)? = try? JSONReader().read(request.body),
                case .string? = body["number"], case .array(let recipients)? = body["recipients"], !recipients.isEmpty
            else {
                return .json(400, #"{"error": "Couldn't process request - invalid request"}"#)
            }
            await ledger.accept(request)
            return .json(201, #"{"timestamp": "1700000000000"}"#)
        }
    }
}

extension Receivers {
    /// SciLog's API: `POST /filesnippet/files` (multipart, answers a Filesnippet with `id` and `accessHash`) and
    /// `POST /basesnippets`, both only with `Authorization: Bearer <token>`.
    public static func scilog(_ ledger: KeyLedger, token: String) -> @Sendable (ReceivedRequest) async -> TestReply {
        { request in
            await ledger.saw()
            guard request.header("Authorization") == "Bearer \(token)" else {
                return .json(401, #"{"error": {"statusCode": 401, "name": "UnauthorizedError", "message": "Invalid token"}}"#)
            }
            await ledger.accept(request)
            switch request.path {
            case "/api/v1/filesnippet/files":
                guard request.header("Content-Type")?.hasPrefix("multipart/form-data; boundary=") == true else {
                    return .json(400, #"{"error": {"message": "expected multipart"}}"#)
                }
                let number = await ledger.accepted.count
                return .json(200, #"{"id": "file-\#(number)", "accessHash": "hash-\#(number)", "snippetType": "image"}"#)
            case "/api/v1/basesnippets":
                return .json(200, #"{"id": "snippet-1", "snippetType": "paragraph"}"#)
            default:
                return .json(404, #"{"error": {"message": "not found"}}"#)
            }
        }
    }
}
