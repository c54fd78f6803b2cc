import Foundation
import Herald
import HeraldCLI
import HeraldCore
import HeraldDelivery
import HeraldTestSupport
import Testing

/// Routes, services, test messages and metrics over HTTP.
@Suite("routes, services, test messages and metrics")
struct AdministrationTests {
    @Test("routes: set, list and unset as the command line does; a refused route in its words")
    func routes() async throws {
        try await TestServer.with(variables: TestServer.variables(receiver: "http://127.0.0.1:9")) { server in
            let route: JSONValue = ["event": "PrintDone", "service": "markdown", "scopes": ["chat", "chat"]]
            let set = try await server.send(.PUT, "/v1/routes", token: TestServer.adminToken, json: route)
            #expect(set.status == 200)
            #expect(try set.json() == ["event": "PrintDone", "service": "markdown", "scopes": ["chat"]])
            let listed = try await server.send(.GET, "/v1/routes")
            #expect(try listed.json() == ["routes": [["event": "PrintDone", "service": "markdown", "scopes": ["chat"]]]])
            #expect(try await server.notifier.routes() == [Route(event: .printDone, service: .markdown, scopes: ["chat"])])

            let unknownScope = try await server.send(
                .PUT, "/v1/routes", token: TestServer.adminToken, json: ["event": "PrintDone", "service": "markdown", "scopes": ["lab"]])
            #expect(unknownScope.status == 422)
            #expect(try unknownScope.error().code == "invalid_route")
            #expect(try unknownScope.error().message == #"markdown has no scope "lab"; configured: chat"#)
            let notConfigured = try await server.send(
                .PUT, "/v1/routes", token: TestServer.adminToken, json: ["event": "PrintDone", "service": "teams", "scopes": ["x"]])
            #expect(try notConfigured.error().message == "teams is not configured in the destinations file")
            let noScopes = try await server.send(
                .PUT, "/v1/routes", token: TestServer.adminToken, json: ["event": "PrintDone", "service": "markdown", "scopes": []])
            #expect(try noScopes.error().path == "scopes")

            let missing = try await server.send(.DELETE, "/v1/routes?service=markdown", token: TestServer.adminToken)
            #expect(missing.status == 422)
            #expect(try missing.error().path == "query.event")
            let unset = try await server.send(.DELETE, "/v1/routes?event=PrintDone&service=markdown&scope=chat", token: TestServer.adminToken)
            #expect(unset.status == 204)
            #expect(try await server.notifier.routes().isEmpty)
        }
    }

    @Test("services: capabilities, scopes and variables; a secret's value never, set or not")
    func services() async throws {
        let variables = TestServer.variables(receiver: "http://127.0.0.1:9")
        try await TestServer.with(variables: variables) { server in
            let response = try await server.send(.GET, "/v1/services")
            #expect(response.status == 200)
            guard case .object(let root) = try response.json(), case .array(let services)? = root["services"] else {
                Issue.record("not a service list: \(response.text)")
                return
            }
            #expect(services.count == Service.catalogue.count)
            let markdown = services.first { if case .object(let object) = $0 { object["id"] == "markdown" } else { false } }
            guard case .object(let object)? = markdown, case .array(let environment)? = object["environment"],
                case .object(let variable)? = environment.first
            else { Issue.record("no markdown: \(response.text)"); return }
            #expect(object["configured"] == true && object["scopes"] == ["chat"] && object["supported_features"] == .array(Feature.builtIn.map { .string($0.id) }))
            #expect(variable["name"] == "HERALD_TEST_CHAT_URL" && variable["is_secret"] == true && variable["is_set"] == true)
            // The plugin's declared settings, a secret's example left out.
            guard case .array(let fields)? = object["configuration_fields"], case .object(let url)? = fields.first else {
                Issue.record("no configuration fields: \(response.text)")
                return
            }
            #expect(fields.count == 2 && url["name"] == "url" && url["file_key"] == "url_env" && url["level"] == "scope")
            #expect(url["is_required"] == true && url["is_secret"] == true && url["example"] == nil)
            #expect(variable["value"] == nil)
            for secret in variables.values { #expect(!response.text.contains(secret)) }
        }
    }

    @Test("a test message reaches the destination; a refusal is 424 in the command line's words, the secret URL redacted")
    func testMessage() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Receivers.markdownWebhook(ledger)) { base in
            try await TestServer.with(variables: TestServer.variables(receiver: base)) { server in
                let sent = try await server.send(.POST, "/v1/services/markdown/scopes/chat/test", token: TestServer.adminToken)
                #expect(sent.status == 200)
                #expect(try sent.json() == ["destination": "markdown/chat", "status": 200])
                #expect(await ledger.accepted.count == 1)
                let unknown = try await server.send(.POST, "/v1/services/markdown/scopes/nowhere/test", token: TestServer.adminToken)
                #expect(unknown.status == 422)
                #expect(try unknown.error().message == #"markdown has no scope "nowhere"; configured: chat"#)
            }
        }
        // A service that refuses and echoes the webhook URL (the secret) back.
        try await TestHTTPServer.with({ request in .json(400, #"{"message": "bad hook \#(request.path)"}"#) }) { base in
            let variables = TestServer.variables(receiver: base)
            try await TestServer.with(variables: variables) { server in
                let refused = try await server.send(.POST, "/v1/services/markdown/scopes/chat/test", token: TestServer.adminToken)
                #expect(refused.status == 424)
                #expect(try refused.error().code == "delivery_failed")
                #expect(try refused.error().message.hasPrefix("markdown/chat: HTTP 400"))
                #expect(!refused.text.contains("/hooks/chat"))
            }
        }
    }

    @Test("metrics: notifications accepted, deliveries by service and state, attempt durations, outbox depth")
    func metrics() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Receivers.markdownWebhook(ledger)) { base in
            try await TestServer.with(variables: TestServer.variables(receiver: base)) { server in
                try await server.notifier.setAutoNotifications(event: .printDone, service: .markdown, enabled: true, scopes: ["chat"])
                let before = try await server.send(.GET, "/metrics")
                #expect(before.status == 200)
                #expect(before.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
                #expect(before.text.contains("herald_notifications_accepted_total 0\n"))
                #expect(before.text.contains("herald_outbox_depth 0.0\n"))

                let posted = try await server.send(.POST, "/v1/notifications", json: ["event": "PrintDone", "message": "done"])
                guard case .object(let receipt) = try posted.json(), case .string(let id)? = receipt["id"] else {
                    Issue.record("not accepted: \(posted.text)")
                    return
                }
                _ = try await server.waitUntilSettled(id)
                let after = try await server.send(.GET, "/metrics").text
                #expect(after.contains("herald_notifications_accepted_total 1\n"))
                #expect(after.contains(#"herald_deliveries{service="markdown",state="delivered"} 1.0"#))
                #expect(after.contains(#"herald_deliveries{service="markdown",state="pending"} 0.0"#))
                #expect(after.contains("herald_outbox_depth 0.0\n"))
                #expect(after.contains(#"herald_delivery_attempt_duration_seconds_count{service="markdown",outcome="delivered"} 1"#))
                #expect(after.contains("# TYPE herald_delivery_attempt_duration_seconds histogram"))
            }
        }
    }
}
