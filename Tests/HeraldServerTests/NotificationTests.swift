import Foundation
import HeraldCLI
import HeraldCore
import HeraldDelivery
import HeraldTestSupport
import Testing

/// `POST /v1/notifications` and `GET /v1/notifications/{id}` against a real receiver.
@Suite("notifications over HTTP")
struct NotificationTests {
    private static let message: JSONValue = [
        "format": "herald.message/v1",
        "parts": [
            ["type": "text", "text": "Interlock tripped", "bold": true, "color": "red"],
            ["type": "text", "text": " on X12SA."],
            ["type": "tags", "tags": ["x12sa"]],
        ],
    ]

    @Test("202 once the outbox holds it, then delivered, and its state readable")
    func acceptedThenDelivered() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Receivers.markdownWebhook(ledger)) { base in
            try await TestServer.with(variables: TestServer.variables(receiver: base)) { server in
                try await server.notifier.setAutoNotifications(event: .scanInterlock, service: .markdown, enabled: true, scopes: ["chat"])
                let response = try await server.send(.POST, "/v1/notifications", json: ["event": "scan_interlock", "message": Self.message])
                #expect(response.status == 202)
                guard case .object(let receipt) = try response.json(), case .string(let id)? = receipt["id"],
                    case .array(let deliveries)? = receipt["deliveries"], case .object(let delivery)? = deliveries.first
                else { Issue.record("not a receipt: \(response.text)"); return }
                #expect(response.header("Location") == "/v1/notifications/\(id)")
                #expect(deliveries.count == 1)
                #expect(delivery["service"] == "markdown" && delivery["scope"] == "chat")
                #expect(receipt["notes"] == [])

                let settled = try await server.waitUntilSettled(id)
                #expect(settled.map(\.state) == [.delivered])
                #expect(await ledger.distinctKeys == 1)
                #expect(await ledger.accepted.first?.text.contains("Interlock tripped") == true)
                #expect(await ledger.accepted.first?.idempotencyKey == settled.first?.idempotencyKey)

                let state = try await server.send(.GET, "/v1/notifications/\(id)")
                #expect(state.status == 200)
                guard case .object(let shown) = try state.json(), case .array(let shownDeliveries)? = shown["deliveries"],
                    case .object(let first)? = shownDeliveries.first
                else { Issue.record("not a state: \(state.text)"); return }
                #expect(shown["id"] == .string(id))
                #expect(first["state"] == "delivered" && first["attempts"] == 1 && first["delivered_at"] != nil)
                #expect(first["idempotency_key"] == settled.first.map { .string($0.idempotencyKey) })
            }
        }
    }

    @Test("a plain string and a BEC notification are messages too; the importer's notes come back")
    func plainTextAndBEC() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Receivers.markdownWebhook(ledger)) { base in
            try await TestServer.with(variables: TestServer.variables(receiver: base)) { server in
                try await server.notifier.setAutoNotifications(event: "beamline_ready", service: .markdown, enabled: true, scopes: ["chat"])
                let plain = try await server.send(.POST, "/v1/notifications", json: ["event": "beamline_ready", "message": "Checks passed"])
                #expect(plain.status == 202)
                let bec: JSONValue = [
                    "metadata": [:], "event": "beamline_ready",
                    "message": [["content": "<p>a <sensor1> b</p>"], ["tags": ["bl"]]],
                ]
                let imported = try await server.send(.POST, "/v1/notifications", json: ["event": "beamline_ready", "message": bec])
                #expect(imported.status == 202)
                guard case .object(let receipt) = try imported.json(), case .array(let notes)? = receipt["notes"] else {
                    Issue.record("not a receipt: \(imported.text)")
                    return
                }
                #expect(notes.count == 1)
                #expect(notes.first.map { if case .string(let note) = $0 { note.hasPrefix("message.message[0].content: ") } else { false } } == true)
                for case .object(let object) in [try plain.json(), try imported.json()] {
                    guard case .string(let id)? = object["id"] else { continue }
                    #expect(try await server.waitUntilSettled(id).map(\.state) == [.delivered])
                }
                #expect(await ledger.accepted.map(\.text).contains { $0.contains("Checks passed") })
            }
        }
    }

    @Test("an attachment by path is refused with 422 naming the part, and nothing is recorded")
    func pathAttachmentRefused() async throws {
        try await TestServer.with(variables: TestServer.variables(receiver: "http://127.0.0.1:9")) { server in
            try await server.notifier.setAutoNotifications(event: .scanCompleted, service: .markdown, enabled: true, scopes: ["chat"])
            let message: JSONValue = ["parts": [["type": "attachment", "path": "/etc/passwd"]]]
            let refused = try await server.send(.POST, "/v1/notifications", json: ["event": "scan_completed", "message": message])
            #expect(refused.status == 422)
            let error = try refused.error()
            #expect(error.code == "invalid_message")
            #expect(error.path == "message.parts[0].path")
            #expect(error.message == #"message.parts[0].path: attachments by path are not allowed here; send the bytes as base64 "data""#)
            #expect(try await server.notifier.outbox.deliveries().isEmpty)

            let rendered = try await server.send(.POST, "/v1/render/markdown", json: message)
            #expect(rendered.status == 422)
            #expect(try rendered.error().path == "parts[0].path")
        }
    }

    @Test("refusals name where, in the command line's words: malformed JSON, a bad value, an unknown member, a bad event")
    func refusals() async throws {
        try await TestServer.with(variables: TestServer.variables(receiver: "http://127.0.0.1:9")) { server in
            let malformed = try await server.send(.POST, "/v1/notifications", body: Array(#"{"event": "x",}"#.utf8))
            #expect(malformed.status == 400)
            #expect(try malformed.error().code == "malformed_json")
            #expect(try malformed.error().message.hasPrefix("malformed JSON at line 1, column "))

            let color: JSONValue = ["parts": [["type": "text", "text": "x", "color": "orange"]]]
            let badColor = try await server.send(.POST, "/v1/notifications", json: ["event": "scan_completed", "message": color])
            #expect(badColor.status == 422)
            // The command line's sentence for the same message, with the path inside the request body.
            let cli = await CapturedCommand.run(["render", "--json", "-"], input: JSONWriter().string(color))
            let shown = try badColor.error().message
            #expect(shown.hasPrefix("message."))
            #expect(cli.error == "error: <stdin>: \(shown.dropFirst("message.".count))\n")
            #expect(try badColor.error().path == "message.parts[0].color")

            let unknown = try await server.send(.POST, "/v1/notifications", json: ["event": "x", "message": "y", "priority": 1])
            #expect(unknown.status == 422)
            #expect(try unknown.error().message == "priority: unknown member; expected one of event, message")

            let missing = try await server.send(.POST, "/v1/notifications", json: ["message": "y"])
            #expect(try missing.error().message == #"missing member "event""#)

            let event = try await server.send(.POST, "/v1/notifications", json: ["event": " padded", "message": "y"])
            #expect(event.status == 422)
            #expect(try event.error().code == "invalid_event")
            #expect(try event.error().path == "event")

            let notFound = try await server.send(.GET, "/v1/notifications/no-such-id")
            #expect(notFound.status == 404)
            #expect(try notFound.error().path == "path.id")
        }
    }

    @Test("an event no route takes: 200, no id, a note, nothing recorded")
    func noRoute() async throws {
        try await TestServer.with(variables: TestServer.variables(receiver: "http://127.0.0.1:9")) { server in
            let response = try await server.send(.POST, "/v1/notifications", json: ["event": "PrintDone", "message": "done"])
            #expect(response.status == 200)
            #expect(try response.json() == ["id": nil, "event": "PrintDone", "deliveries": [], "notes": ["no route for event PrintDone; nothing was sent"]])
            #expect(try await server.notifier.outbox.deliveries().isEmpty)
        }
    }
}
