import Foundation
import Herald
import HeraldCore
import HeraldDelivery
import HeraldTestSupport
import Testing

/// `GET /v1/features` and the toggles of `/v1/destinations/{service}/{name}/toggles`, through a running server.
@Suite("features and toggles over HTTP")
struct FeaturesAPITests {
    /// Two Markdown scopes at `receiver` (`/hooks/chat`, `/hooks/lab`), an SMS scope, and the test tokens.
    static func configuration() -> String {
        """
        outbox: outbox.sqlite
        delivery: {request_timeout: 30, poll_interval: 0.05, initial_backoff: 0.01, maximum_backoff: 0.05}
        services:
          markdown:
            scopes:
              chat: {url_env: HERALD_TEST_CHAT_URL}
              lab: {url_env: HERALD_TEST_LAB_URL}
          sms: {account_sid_env: HERALD_TEST_SID, auth_token_env: HERALD_TEST_TWILIO_TOKEN, from: "+41790000000", scopes: {oncall: {to: "+41791234567"}}}
        server:
          tokens:
            - {name: bec, token_env: HERALD_TEST_NOTIFY_TOKEN, role: notify}
            - {name: ops, token_env: HERALD_TEST_ADMIN_TOKEN, role: admin}
        """
    }

    static func variables(receiver: String) -> [String: String] {
        TestServer.variables(receiver: receiver).merging(["HERALD_TEST_LAB_URL": receiver + "/hooks/lab"]) { $1 }
    }

    @Test("toggling print_done off for one scope keeps PrintDone from it, the notes say so; null puts it back")
    func toggleChangesWhatArrives() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Receivers.markdownWebhook(ledger)) { base in
            try await TestServer.with(Self.configuration(), variables: Self.variables(receiver: base)) { server in
                try await server.notifier.setAutoNotifications(event: .printDone, service: .markdown, enabled: true, scopes: ["chat", "lab"])
                let initial = try await server.send(.GET, "/v1/destinations/markdown/chat/toggles")
                #expect(initial.status == 200)
                guard case .object(let answer) = try initial.json(), case .array(let toggles)? = answer["toggles"] else {
                    Issue.record("not toggles: \(initial.text)")
                    return
                }
                #expect(toggles.count == Feature.builtIn.count)
                #expect(toggles[1] == ["service": "markdown", "scope": "chat", "feature": "print_done", "name": "Print done", "on": true, "default": true])

                let forbidden = try await server.send(.PUT, "/v1/destinations/markdown/chat/toggles", json: ["print_done": false])
                #expect(forbidden.status == 403)
                let off = try await server.send(.PUT, "/v1/destinations/markdown/chat/toggles", token: TestServer.adminToken, json: ["print_done": false])
                #expect(off.status == 200)
                guard case .object(let changed) = try off.json(), case .array(let now)? = changed["toggles"] else {
                    Issue.record("not toggles: \(off.text)")
                    return
                }
                #expect(now[1] == ["service": "markdown", "scope": "chat", "feature": "print_done", "name": "Print done", "on": false, "default": false])

                let first = try await server.send(.POST, "/v1/notifications", json: ["event": "PrintDone", "message": "Benchy done"])
                #expect(first.status == 202)
                guard case .object(let receipt) = try first.json(), case .string(let id)? = receipt["id"] else {
                    Issue.record("no id: \(first.text)")
                    return
                }
                #expect(receipt["notes"] == ["skipped markdown/chat: feature print_done is off there"])
                #expect(try await server.waitUntilSettled(id).map(\.destination.description) == ["markdown/lab"])
                #expect(await ledger.accepted.map(\.path) == ["/hooks/lab"])

                let reset = try await server.send(
                    .PUT, "/v1/destinations/markdown/chat/toggles", token: TestServer.adminToken, json: ["notify_on_print_done": .null])
                #expect(reset.status == 200)
                let second = try await server.send(.POST, "/v1/notifications", json: ["event": "PrintDone", "message": "Benchy done again"])
                guard case .object(let again) = try second.json(), case .string(let secondID)? = again["id"] else {
                    Issue.record("no id: \(second.text)")
                    return
                }
                #expect(again["notes"] == [])
                #expect(try await server.waitUntilSettled(secondID).count == 2)
                #expect(await ledger.accepted.map(\.path).sorted() == ["/hooks/chat", "/hooks/lab", "/hooks/lab"])
            }
        }
    }

    @Test("GET /v1/features: every feature and each service's support")
    func features() async throws {
        try await TestServer.with(Self.configuration(), variables: Self.variables(receiver: "http://127.0.0.1:9")) { server in
            let response = try await server.send(.GET, "/v1/features")
            #expect(response.status == 200)
            #expect(try response.json() == server.notifier.configuration.featuresJSON)
            guard case .object(let root) = try response.json(), case .array(let services)? = root["services"] else {
                Issue.record("not features: \(response.text)")
                return
            }
            #expect(services.contains(["id": "sms", "configured": true, "supported_features": ["failure_alert", "alarms"]]))
        }
    }

    @Test("422 for a feature the service does not support or nobody knows, naming the key; 404 for an unconfigured destination")
    func refusals() async throws {
        try await TestServer.with(Self.configuration(), variables: Self.variables(receiver: "http://127.0.0.1:9")) { server in
            func put(_ path: String, _ body: JSONValue) async throws -> TestResponse {
                try await server.send(.PUT, path, token: TestServer.adminToken, json: body)
            }
            let unsupported = try await put("/v1/destinations/sms/oncall/toggles", ["failure_alert": false, "print_done": true])
            #expect(unsupported.status == 422)
            #expect(try unsupported.error() == (
                "unsupported_feature", "sms does not support feature print_done; it supports failure_alert, alarms", "print_done"))
            let unknown = try await put("/v1/destinations/markdown/chat/toggles", ["fax": true])
            #expect(unknown.status == 422)
            #expect(try unknown.error().code == "invalid_toggle")
            #expect(try unknown.error().path == "fax")
            let twice = try await put("/v1/destinations/markdown/chat/toggles", ["print_done": true, "notify_on_print_done": false])
            #expect(twice.status == 422)
            #expect(try twice.error().path == "print_done")
            let wrongType = try await put("/v1/destinations/markdown/chat/toggles", ["print_done": "off"])
            #expect(wrongType.status == 422)
            #expect(try wrongType.error().path == "print_done")
            let empty = try await put("/v1/destinations/markdown/chat/toggles", [:])
            #expect(empty.status == 422)
            #expect(try empty.error().path == "body")
            #expect(try await server.notifier.outbox.toggleOverrides().isEmpty)

            let route = try await server.send(
                .PUT, "/v1/routes", token: TestServer.adminToken, json: ["event": "PrintDone", "service": "sms", "scopes": ["oncall"]])
            #expect(route.status == 422)
            #expect(try route.error() == (
                "unsupported_feature", "sms does not support feature print_done, which event PrintDone belongs to; it supports failure_alert, alarms",
                "event"))

            let noScope = try await server.send(.GET, "/v1/destinations/markdown/nowhere/toggles")
            #expect(noScope.status == 404)
            #expect(try noScope.error().path == "path.name")
            let noService = try await put("/v1/destinations/teams/ops/toggles", ["print_done": true])
            #expect(noService.status == 404)
            #expect(try noService.error().path == "path.service")
            let unknownService = try await server.send(.GET, "/v1/destinations/fax/x/toggles")
            #expect(unknownService.status == 404)
            #expect(try unknownService.error().code == "unknown_service")
        }
    }
}
