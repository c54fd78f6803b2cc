import Foundation
import Herald
import HeraldCore
import HeraldDelivery
import HeraldTestSupport
import Testing

/// `GET /v1/destinations/{service}/{name}/deliveries`: a destination's last deliveries, newest first, with their states.
@Suite("a destination's recent deliveries over HTTP")
struct RecentDeliveriesTests {
    @Test("the last deliveries of one destination only, newest first, delivered or failed with the service's answer")
    func recentDeliveriesOfOneDestination() async throws {
        let ledger = KeyLedger()
        let accept = Receivers.markdownWebhook(ledger)
        let handler: @Sendable (ReceivedRequest) async -> TestReply = { request in
            request.path == "/hooks/lab" ? .json(400, #"{"message": "channel archived"}"#) : await accept(request)
        }
        try await TestHTTPServer.with(handler) { base in
            try await TestServer.with(FeaturesAPITests.configuration(), variables: FeaturesAPITests.variables(receiver: base)) { server in
                try await server.notifier.setAutoNotifications(event: .printDone, service: .markdown, enabled: true, scopes: ["chat", "lab"])
                var ids: [String] = []
                for number in 1...3 {
                    let answer = try await server.send(.POST, "/v1/notifications", json: ["event": "PrintDone", "message": .string("Benchy \(number) done")])
                    guard case .object(let receipt) = try answer.json(), case .string(let id)? = receipt["id"] else {
                        Issue.record("no id: \(answer.text)")
                        return
                    }
                    _ = try await server.waitUntilSettled(id)
                    ids.append(id)
                }

                let chat = try await server.send(.GET, "/v1/destinations/markdown/chat/deliveries?limit=2")
                #expect(chat.status == 200)
                guard case .object(let answer) = try chat.json(), case .array(let deliveries)? = answer["deliveries"] else {
                    Issue.record("not deliveries: \(chat.text)")
                    return
                }
                #expect(answer["service"] == "markdown" && answer["scope"] == "chat")
                #expect(deliveries.map { $0[member: "notification"] } == [.string(ids[2]), .string(ids[1])])
                #expect(deliveries.allSatisfy { $0[member: "scope"] == "chat" && $0[member: "state"] == "delivered" })

                let lab = try await server.send(.GET, "/v1/destinations/markdown/lab/deliveries")
                guard case .object(let labAnswer) = try lab.json(), case .array(let failed)? = labAnswer["deliveries"] else {
                    Issue.record("not deliveries: \(lab.text)")
                    return
                }
                #expect(failed.map { $0[member: "notification"] } == ids.reversed().map(JSONValue.string))
                #expect(failed.allSatisfy { $0[member: "state"] == "failed" })
                #expect(failed.allSatisfy { if case .string(let error)? = $0[member: "last_error"] { error.contains("400") } else { false } })
            }
        }
    }

    @Test("a limit outside 1 to 100 is 422 naming query.limit; an unknown destination is 404 naming it; no token is 401")
    func refusals() async throws {
        try await TestServer.with(variables: TestServer.variables(receiver: "http://127.0.0.1:9")) { server in
            for limit in ["0", "101", "ten", "-1"] {
                let refused = try await server.send(.GET, "/v1/destinations/markdown/chat/deliveries?limit=\(limit)")
                #expect(refused.status == 422, "\(limit)")
                #expect(try refused.json()[member: "error"]?[member: "path"] == "query.limit", "\(limit)")
            }
            let unknown = try await server.send(.GET, "/v1/destinations/markdown/nowhere/deliveries")
            #expect(unknown.status == 404)
            #expect(try unknown.json()[member: "error"]?[member: "path"] == "path.name")
            let none = try await server.send(.GET, "/v1/destinations/markdown/chat/deliveries")
            #expect(none.status == 200)
            #expect(try none.json()[member: "deliveries"] == [])
            #expect(try await server.send(.GET, "/v1/destinations/markdown/chat/deliveries", token: nil).status == 401)
        }
    }
}
