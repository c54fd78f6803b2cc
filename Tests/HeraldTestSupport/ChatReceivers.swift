import Foundation

extension Receivers {
    /// The Telegram Bot API of bot `token`: `POST /bot<token>/<method>` with JSON or multipart parameters, answered
    /// with `{"ok": true, "result": <message>}` (an array for `sendMediaGroup`); another token gets 401.
    public static func telegramBotAPI(_ ledger: KeyLedger, token: String) -> @Sendable (ReceivedRequest) async -> TestReply {
        { request in
            await ledger.saw()
            guard request.method == "POST", request.path.hasPrefix("/bot\(token)/") else {
                return .json(401, #"{"ok":false,"error_code":401,"description":"Unauthorized"}"#)
            }
            await ledger.accept(request)
            let id = await ledger.accepted.count
            let sent = #"{"message_id":\#(id),"chat":{"id":-1001234567890,"type":"supergroup"},"date":1700000000}"#
            return .json(200, #"{"ok":true,"result":\#(request.path.hasSuffix("/sendMediaGroup") ? "[\(sent)]" : sent)}"#)
        }
    }

    /// A Discord webhook's `execute` with `wait=true`, JSON or multipart, answered with the created message.
    public static func discordWebhook(_ ledger: KeyLedger) -> @Sendable (ReceivedRequest) async -> TestReply {
        { request in
            await ledger.saw()
            guard request.method == "POST", request.path.hasPrefix("/api/webhooks/"), request.path.hasSuffix("?wait=true") else {
                return .json(405, #"{"message": "405: Method Not Allowed", "code": 0}"#)
            }
            await ledger.accept(request)
            let count = await ledger.accepted.count
            return .json(200, #"{"id": "1300000000000000\#(count)", "type": 0, "channel_id": "99"}"#)
        }
    }
}
