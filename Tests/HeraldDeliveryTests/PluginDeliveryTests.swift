import Foundation
import Herald
import HeraldDelivery
import Testing

/// Each plugin against a local server that behaves like its service.
@Suite("plugins deliver what each service expects")
struct PluginDeliveryTests {
    static let webhookVariable = "TEST_CHAT_WEBHOOK_URL"

    @Test("Markdown: POST {\"<body_field>\": markdown} with an Idempotency-Key, to the URL from the environment")
    func markdownWebhook() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Receivers.markdownWebhook(ledger)) { base in
            let directory = try temporaryDirectory()
            let config = try configuration("""
                services:
                  markdown:
                    scopes:
                      lab-chat: {url_env: \(Self.webhookVariable), body_field: content}
                """)
            let notifier = try makeNotifier(config, in: directory, environment: [Self.webhookVariable: base + "/hooks/abc"])
            try await notifier.setAutoNotifications(event: .scanCompleted, service: .markdown, enabled: true, scopes: ["lab-chat"])
            let receipt = try await notifier.notify(.scanCompleted, try sampleMessage(12))
            #expect(receipt.deliveries.map(\.state) == [.pending])
            let summary = try await notifier.deliverPending()
            #expect(summary.delivered == 1)
            let requests = await ledger.accepted
            try #require(requests.count == 1)
            let request = requests[0]
            #expect(request.path == "/hooks/abc")
            #expect(request.header("Content-Type") == "application/json; charset=utf-8")
            #expect(request.idempotencyKey == receipt.deliveries[0].idempotencyKey)
            let expected = try MarkdownRenderer().render(try sampleMessage(12).withEvent("scan_completed")).payload.body
            #expect(try JSONReader().read(request.body) == ["content": .string(String(decoding: expected, as: UTF8.self))])
            let status = try await notifier.outbox.deliveries(notificationID: receipt.notificationID)
            #expect(status.map(\.state) == [.delivered])
        }
    }

    @Test("Signal JSON-RPC: send with textStyle, recipients and account; the JSON-RPC id is the idempotency key")
    func signalJSONRPC() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Receivers.signalJSONRPC(ledger)) { base in
            let config = try configuration("""
                services:
                  signal:
                    url: \(base)/
                    account: "+41790000000"
                    scopes:
                      oncall: {recipients: ["+41791234567", "+41797654321"]}
                      beamline: {group_id: "\(Data(repeating: 7, count: 32).base64EncodedString())"}
                """)
            let notifier = try makeNotifier(config, in: try temporaryDirectory())
            try await notifier.setAutoNotifications(event: .alarmMajor, service: .signal, enabled: true, scopes: ["oncall", "beamline"])
            let receipt = try await notifier.notify(.alarmMajor, try sampleMessage())
            #expect(try await notifier.deliverPending().delivered == 2)
            let requests = await ledger.accepted
            try #require(requests.count == 2)
            let native = try SignalRenderer().render(try sampleMessage().withEvent("alarm_major")).payload.json
            for request in requests {
                guard case .object(let call) = try JSONReader().read(request.body), case .object(var params)? = call["params"] else {
                    Issue.record("not a JSON-RPC call")
                    continue
                }
                #expect(call["jsonrpc"] == "2.0")
                #expect(call["id"] == .string(request.idempotencyKey ?? ""))
                #expect(params["account"] == "+41790000000")
                #expect(params["textStyle"] != nil)
                let recipient = params.removeValue(forKey: "recipient")
                let group = params.removeValue(forKey: "groupId")
                params.removeValue(forKey: "account")
                #expect(.object(params) == native, "the params are the renderer's payload plus recipients")
                #expect(recipient == ["+41791234567", "+41797654321"] || group == .string(Data(repeating: 7, count: 32).base64EncodedString()))
            }
            #expect(Set(requests.compactMap(\.idempotencyKey)) == Set(receipt.deliveries.map(\.idempotencyKey)))
            #expect(try await notifier.outbox.deliveries().allSatisfy { $0.reference == "1700000000000" })
        }
    }

    @Test("Signal REST: POST /v2/send in styled mode with number and recipients")
    func signalREST() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Receivers.signalREST(ledger)) { base in
            let config = try configuration("""
                services:
                  signal:
                    transport: rest
                    url: \(base)
                    account: "+41790000000"
                    scopes:
                      oncall: {recipients: ["+41791234567"]}
                      team: {group_id: "group.Y2tSemFFZDRWbWRzNnJa"}
                """)
            let notifier = try makeNotifier(config, in: try temporaryDirectory())
            try await notifier.setAutoNotifications(event: .printDone, service: .signal, enabled: true, scopes: ["oncall", "team"])
            try await notifier.notify(.printDone, try sampleMessage())
            #expect(try await notifier.deliverPending().delivered == 2)
            let bodies = try await ledger.accepted.map { try JSONReader().read($0.body) }
            let expected = try SignalRenderer().restRendering(of: try sampleMessage().withEvent("PrintDone")).payload.json
            for case .object(var body) in bodies {
                #expect(body["text_mode"] == "styled")
                #expect(body.removeValue(forKey: "number") == "+41790000000")
                let recipients = body.removeValue(forKey: "recipients")
                #expect(recipients == ["+41791234567"] || recipients == ["group.Y2tSemFFZDRWbWRzNnJa"])
                #expect(.object(body) == expected)
            }
            #expect(bodies.count == 2)
        }
    }

    @Test("a JSON-RPC error answer is a failure with signal-cli's message, not retried")
    func jsonRPCError() async throws {
        let calls = KeyLedger()
        try await TestHTTPServer.with({ request in
            await calls.saw()
            return .json(200, #"{"jsonrpc": "2.0", "error": {"code": -1, "message": "Failed to send message: Unregistered user"}, "id": "x"}"#)
        }) { base in
            let config = try configuration("""
                services:
                  signal: {url: "\(base)", scopes: {oncall: {recipients: ["+41791234567"]}}}
                """)
            let notifier = try makeNotifier(config, in: try temporaryDirectory())
            try await notifier.setAutoNotifications(event: .alarmMinor, service: .signal, enabled: true, scopes: ["oncall"])
            try await notifier.notify(.alarmMinor, "pressure high")
            #expect(try await notifier.deliverPending().failed == 1)
            let delivery = try #require(try await notifier.outbox.deliveries().first)
            #expect(delivery.state == .failed)
            #expect(delivery.attempts == 1)
            #expect(delivery.lastError == "signal-cli error -1: Failed to send message: Unregistered user")
            #expect(await calls.seen == 1)
        }
    }
}

extension NotificationMessage {
    /// The message with its event set, as the outbox stores it.
    func withEvent(_ event: String) throws -> NotificationMessage {
        var message = self
        try message.setEvent(event)
        return message
    }
}
