import Herald
import HeraldCore
import HeraldDelivery
import Hummingbird

extension HeraldAPI {
    /// `POST /v1/notifications` `{"event", "message"}`: the message is a `herald.message/v1` object, a BEC
    /// notification or a plain string, read as the command line reads it (attachments only inline: a `path` is
    /// refused). `202` with the notification's id and deliveries once the outbox holds them; `200` with no id when
    /// no route takes the event or a toggle turns its feature off everywhere it is routed. The notes name each
    /// destination a toggle skipped. With an `Idempotency-Key` header seen from the same caller within its window,
    /// the same answer again (deliveries as they stand now, `Idempotent-Replayed: true`) and nothing queued.
    func postNotification(_ request: Request, by holder: AccessTokens.Holder?) async throws(APIError) -> Response {
        let bytes = try await Body.read(request, limit: settings.requestLimitBytes)
        let key = try Self.publicationKey(of: request, by: holder, body: bytes)
        let (event, imported) = try Self.notification(from: try Body.json(bytes))
        return try await publish(event, imported.message, notes: imported.notes.map(\.description), key: key)
    }

    /// Notifies `message` as `event` and answers as `POST /v1/notifications` does: `202` with the notification's
    /// id, deliveries and `notes` (with each destination a toggle skipped), or `200` with no id (and a note saying
    /// why) when nothing is sent; a replay for a `key` seen before, or `422` when the key came with another request.
    func publish(_ event: NotificationEvent, _ message: NotificationMessage, notes: [String], key: PublicationKey? = nil) async throws(APIError) -> Response {
        let publication: Publication
        do throws(DeliveryError) { publication = try await notifier.notify(event, message, key: key) } catch { throw .delivery(error, path: "event") }
        let receipt: NotificationReceipt
        var headers: HTTPFields = [:]
        switch publication {
        case .recorded(let recorded): receipt = recorded
        case .replayed(let earlier):
            receipt = earlier
            headers[Self.replayedHeader] = "true"
        case .keyReused(let reused): throw .idempotencyKeyReused(reused)
        }
        var notes = (notes + receipt.toggleNotes).map(JSONValue.string)
        guard let id = receipt.notificationID else {
            notes.append(.string(receipt.nothingSentNote(for: event)))
            return Body.response(["id": .null, "event": .string(event.rawValue), "deliveries": [], "notes": .array(notes)], headers: headers)
        }
        if case .recorded = publication { metrics.notificationsAccepted.increment() }
        headers[.location] = "/v1/notifications/\(id)"
        return Body.response(
            ["id": .string(id), "event": .string(event.rawValue), "deliveries": .array(receipt.deliveries.map(shown)), "notes": .array(notes)],
            status: .accepted, headers: headers)
    }

    /// `GET /v1/notifications/{id}`: each delivery's state, attempts and last error, as `herald outbox list --json`
    /// shows them; 404 for an id the outbox does not hold.
    func notification(id: String) async throws(APIError) -> Response {
        let entries: [OutboxEntry]
        do throws(DeliveryError) { entries = try await notifier.outbox.entries(notificationID: id) } catch { throw .delivery(error, path: "") }
        guard !entries.isEmpty else {
            throw APIError(
                status: .notFound, code: "not_found", message: "the outbox holds no notification \(quoted(id, limit: echoedValueLimit))",
                path: "path.id")
        }
        return Body.response(["id": .string(id), "deliveries": .array(entries.map(shown))])
    }

    /// An outbox row as JSON: a delivery redacted as below, an unreadable row as it is.
    func shown(_ entry: OutboxEntry) -> JSONValue {
        switch entry {
        case .delivery(let status): shown(status)
        case .unreadable: entry.jsonValue
        }
    }

    /// A delivery as JSON, its last error and reference redacted once more with the secrets known now.
    private func shown(_ status: DeliveryStatus) -> JSONValue {
        var status = status
        status.lastError = status.lastError.map(redactor.redact)
        status.reference = status.reference.map(redactor.redact)
        return status.jsonValue
    }

    /// The event and message of a notification body; errors name the JSON path (`message.parts[2].color`).
    static func notification(from body: JSONValue) throws(APIError) -> (NotificationEvent, BECImport) {
        let name: String
        let message: JSONValue
        do throws(MessageError) {
            let members = try JSONObjectReader(body, path: "")
            try members.allowOnly(["event", "message"])
            name = try members.required(members.string("event"), "event")
            message = try members.required(members.members["message"], "message")
        } catch {
            throw .invalid(error)
        }
        let event: NotificationEvent
        do throws(DeliveryError) { event = try NotificationEvent(validating: name) } catch { throw .delivery(error, path: "event") }
        switch message {
        case .string(let text):
            return (event, BECImport(message: .plainText(text), notes: []))
        case .object:
            do throws(MessageError) {
                // No base directory: an attachment `path` is refused; the server never reads a file a client names.
                var imported = try MessageDocument.read(message, options: MessageDecodingOptions())
                imported.notes = imported.notes.map { ImportNote(path: "message." + $0.path, message: $0.message) }
                return (event, imported)
            } catch {
                throw .invalid(error.nested(under: "message"), code: "invalid_message")
            }
        default:
            throw .invalid(MessageError(path: "message", reason: "expected a string or an object, found \(message.typeDescription)"))
        }
    }
}
