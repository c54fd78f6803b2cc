import HeraldCore
import HeraldDelivery
import Hummingbird

extension HeraldAPI {
    /// The request header a sender names a publication with: the same key, from the same token, within
    /// ``PublicationKey/window`` publishes once (a retry after a lost answer queues nothing twice).
    static let idempotencyKeyHeader = FieldName("Idempotency-Key")!
    /// The response header set on an answer replayed for a key seen before.
    static let replayedHeader = FieldName("Idempotent-Replayed")!

    /// A header's name (HTTPTypes' `HTTPField.Name`, reached through the `HTTPFields` Hummingbird exports).
    typealias FieldName = HTTPFields.Element.Name

    /// The key `request` names for `body` from `holder` (`open` on a server without tokens), or `nil` when it
    /// names none; 422 when the header is not 1 to 255 visible ASCII characters.
    static func publicationKey(of request: Request, by holder: AccessTokens.Holder?, body: [UInt8]) throws(APIError) -> PublicationKey? {
        guard let value = request.headers[idempotencyKeyHeader] else { return nil }
        guard let key = PublicationKey(caller: holder?.name ?? "open", key: value, request: body) else {
            throw APIError(
                status: .unprocessableContent, code: "invalid_idempotency_key",
                message: "the Idempotency-Key header must be 1 to \(PublicationKey.maximumLength) visible ASCII characters",
                path: "header.Idempotency-Key")
        }
        return key
    }
}

extension APIError {
    /// 422: `key` was used within its window for another request.
    static func idempotencyKeyReused(_ key: PublicationKey) -> APIError {
        APIError(
            status: .unprocessableContent, code: "idempotency_key_reused",
            message: "Idempotency-Key \(quoted(key.key, limit: 80)) was used within the last \(Int(PublicationKey.window / 3600)) hours for another request; send a new key with a new notification",
            path: "header.Idempotency-Key")
    }
}
