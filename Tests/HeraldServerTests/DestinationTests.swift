import Foundation
import HeraldCore
import HeraldDelivery
import HeraldTestSupport
import Testing

/// Destinations created at run time (`/v1/destinations`, `herald destinations`): validated by the plugin, stored in
/// the outbox with their secrets sealed, delivered to by the server's worker, test messages and other processes.
@Suite("destinations created at run time")
struct DestinationTests {
    static let keyVariable = "HERALD_TEST_DESTINATION_KEY"
    /// 32 random bytes in base64.
    static let key = Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
    /// The destinations file with the destinations' key configured.
    static let keyedConfiguration = TestServer.configuration() + "destinations: {secret_key_env: \(keyVariable)}\n"

    /// The server's variables and the key.
    static func variables(receiver: String) -> [String: String] {
        TestServer.variables(receiver: receiver).merging([keyVariable: key]) { $1 }
    }

    /// A Discord webhook URL on the local receiver, with a token of its own.
    static func webhookURL(_ base: String) -> (url: String, token: String) {
        let token = "webhook-token-" + UUID().uuidString
        return ("\(base)/api/webhooks/42/\(token)", token)
    }

    @Test("a Discord destination created with an inline webhook URL gets a routed notification and a test message; the URL is never stored in plain text nor shown")
    func createdRoutedDelivered() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Receivers.discordWebhook(ledger)) { base in
            let (url, token) = Self.webhookURL(base)
            try await TestServer.with(Self.keyedConfiguration, variables: Self.variables(receiver: base)) { server in
                let created = try await server.send(
                    .POST, "/v1/destinations", token: TestServer.adminToken,
                    json: ["service": "discord", "name": "anna-printers", "config": ["webhook_url": .string(url)]])
                #expect(created.status == 201)
                let shown = try created.json()
                #expect(shown[member: "origin"] == "api" && shown[member: "service"] == "discord" && shown[member: "name"] == "anna-printers")
                #expect(shown[member: "config"] == [:] && shown[member: "secret_settings"] == ["webhook_url"])

                let list = try await server.send(.GET, "/v1/destinations")
                #expect(list.status == 200)
                guard case .object(let listed) = try list.json(), case .array(let destinations)? = listed["destinations"] else {
                    Issue.record("not a list: \(list.text)")
                    return
                }
                #expect(destinations.map { [$0[member: "origin"], $0[member: "service"], $0[member: "name"]] } == [
                    ["file", "markdown", "chat"], ["api", "discord", "anna-printers"],
                ])
                let one = try await server.send(.GET, "/v1/destinations/discord/anna-printers")
                #expect(one.status == 200)
                #expect(try one.json()[member: "secret_settings"] == ["webhook_url"])
                for shown in [created, list, one] { #expect(!shown.text.contains(token)) }

                let route = try await server.send(
                    .PUT, "/v1/routes", token: TestServer.adminToken,
                    json: ["event": "PrintDone", "service": "discord", "scopes": ["anna-printers"]])
                #expect(route.status == 200)
                let posted = try await server.send(.POST, "/v1/notifications", json: ["event": "PrintDone", "message": "Benchy done"])
                #expect(posted.status == 202)
                guard case .string(let id)? = try posted.json()[member: "id"] else {
                    Issue.record("not a receipt: \(posted.text)")
                    return
                }
                #expect(try await server.waitUntilSettled(id).map(\.state) == [.delivered])
                let delivered = try #require(await ledger.accepted.first)
                #expect(delivered.path == "/api/webhooks/42/\(token)?wait=true")
                #expect(delivered.text.contains("Benchy done"))

                let test = try await server.send(.POST, "/v1/services/discord/scopes/anna-printers/test", token: TestServer.adminToken)
                #expect(test.status == 200)
                #expect(await ledger.accepted.count == 2)

                // The outbox file and its write-ahead log hold the URL in no encoding.
                var stored = Data()
                for suffix in ["", "-wal"] {
                    stored += (try? Data(contentsOf: server.directory.appendingPathComponent("outbox.sqlite" + suffix))) ?? Data()
                }
                // A control: what is not secret is found there (the destination's name, in its row and its routes').
                #expect(stored.range(of: Data("anna-printers".utf8)) != nil)
                let percentEncoded = url.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? url
                for form in [url, token, Data(url.utf8).base64EncodedString(), Data(token.utf8).base64EncodedString(), percentEncoded] {
                    #expect(stored.range(of: Data(form.utf8)) == nil, "the outbox holds the webhook URL in a readable form")
                }

                let inUse = try await server.send(.DELETE, "/v1/destinations/discord/anna-printers", token: TestServer.adminToken)
                #expect(inUse.status == 409)
                #expect(try inUse.error().message.contains("1 route"))
                let unset = try await server.send(.DELETE, "/v1/routes?event=PrintDone&service=discord", token: TestServer.adminToken)
                #expect(unset.status == 204)
                let removed = try await server.send(.DELETE, "/v1/destinations/discord/anna-printers", token: TestServer.adminToken)
                #expect(removed.status == 204)
                #expect(try await server.send(.GET, "/v1/destinations/discord/anna-printers").status == 404)
            }
        }
    }

    @Test("refused: a secret without a key, an invalid config naming config.<setting>, a name taken, a service the file lacks, a notify token")
    func refusals() async throws {
        let url = "http://127.0.0.1:9/api/webhooks/1/refused-token-\(UUID().uuidString)"
        try await TestServer.with(variables: TestServer.variables(receiver: "http://127.0.0.1:9")) { server in
            func create(_ service: String, _ name: String, _ config: JSONValue, token: String = TestServer.adminToken) async throws -> TestResponse {
                try await server.send(.POST, "/v1/destinations", token: token, json: ["service": .string(service), "name": .string(name), "config": config])
            }
            let noKey = try await create("discord", "anna", ["webhook_url": .string(url)])
            #expect(noKey.status == 422)
            #expect(try noKey.error().path == "config.webhook_url")
            #expect(try noKey.error().message.contains("destinations.secret_key_env"))
            #expect(!noKey.text.contains("refused-token"))

            let cases: [(JSONValue, String, String)] = [
                (["webhook_url_env": "HERALD_TEST_ADMIN_TOKEN"], "config.webhook_url_env", "names no environment variable of the server"),
                ([:], "config.webhook_url", "is required"),
                (["webhook_url": .string(url), "colour": "red"], "config.colour", "unknown setting"),
                (["webhook_url": "ftp://example.org/hook"], "config.webhook_url", "not an http or https URL"),
                ("https://example.org", "config", "expected a mapping"),
            ]
            for (config, path, reason) in cases {
                let refused = try await create("discord", "anna", config)
                #expect(refused.status == 422, "\(config)")
                let error = try refused.error()
                #expect(error.path == path)
                #expect(error.message.contains(reason), "\(error.message)")
            }
            let badName = try await create("discord", "anna/../x", [:])
            #expect(badName.status == 422)
            #expect(try badName.error().path == "name")
            let taken = try await create("markdown", "chat", ["url": "http://127.0.0.1:9/chat"])
            #expect(taken.status == 409)
            let telegram = try await create("telegram", "anna", ["chat_id": "12345"])
            #expect(telegram.status == 422)
            #expect(try telegram.error().path == "service")
            #expect(try telegram.error().message.contains("services.telegram.token_env"))
            let notifyRole = try await create("discord", "anna", ["webhook_url": .string(url)], token: TestServer.notifyToken)
            #expect(notifyRole.status == 403)
            #expect(try await server.send(.PUT, "/v1/destinations/markdown/chat", token: TestServer.adminToken, json: ["config": [:]]).status == 409)
            #expect(try await server.send(.DELETE, "/v1/destinations/discord/nobody", token: TestServer.adminToken).status == 404)
            #expect(try await server.notifier.listDestinations().map(\.origin) == [.file])
        }
    }

    @Test("other processes on the outbox: the herald binary lists and delivers to a destination the server created, and the running server routes to one the binary created")
    func secondProcess() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Receivers.discordWebhook(ledger)) { base in
            let variables = Self.variables(receiver: base)
            try await TestServer.with(Self.keyedConfiguration, variables: variables) { server in
                let file = server.directory.appendingPathComponent("herald.yaml").path
                let anna = Self.webhookURL(base)
                let created = try await server.send(
                    .POST, "/v1/destinations", token: TestServer.adminToken,
                    json: ["service": "discord", "name": "anna", "config": ["webhook_url": .string(anna.url)]])
                #expect(created.status == 201)

                let listed = try await Self.herald(["destinations", "list", "--config", file], variables: variables)
                #expect(listed.status == 0)
                #expect(listed.output == "file\tmarkdown/chat\napi\tdiscord/anna\tsecrets: webhook_url\n")

                let bob = Self.webhookURL(base)
                let added = try await Self.herald(
                    ["destinations", "add", "--config", file, "discord", "bob", #"{"webhook_url": "\#(bob.url)"}"#], variables: variables)
                #expect(added.status == 0, "\(added.errors)")

                // The running server sees bob without a restart: its route is accepted and its deliveries sent.
                let route = try await server.send(
                    .PUT, "/v1/routes", token: TestServer.adminToken, json: ["event": "PrintDone", "service": "discord", "scopes": ["anna", "bob"]])
                #expect(route.status == 200, "\(route.text)")
                let posted = try await server.send(.POST, "/v1/notifications", json: ["event": "PrintDone", "message": "Layer 120 of 120"])
                guard case .string(let id)? = try posted.json()[member: "id"] else {
                    Issue.record("not a receipt: \(posted.text)")
                    return
                }
                #expect(try await server.waitUntilSettled(id).map(\.state) == [.delivered, .delivered])

                // A second process records and delivers to both itself.
                let message = server.directory.appendingPathComponent("message.json")
                try Data(#"{"format": "herald.message/v1", "parts": [{"type": "text", "text": "Print cancelled"}]}"#.utf8).write(to: message)
                let notified = try await Self.herald(["notify", "--config", file, "PrintDone", message.path], variables: variables)
                #expect(notified.status == 0, "\(notified.errors)")
                let paths = await ledger.accepted.map(\.path).sorted()
                #expect(paths == [anna, anna, bob, bob].map { "/api/webhooks/42/\($0.token)?wait=true" }.sorted())

                // A process without the key, or with another, refuses to start and names the variable.
                let otherKey = Data(repeating: 7, count: 32).base64EncodedString()
                for (key, reason) in [(otherKey, "does not open its secrets"), ("", "is not set"), ("c2hvcnQ=", "32 random bytes")] {
                    let refused = try await Self.herald(
                        ["routes", "set", "--config", file, "PrintDone", "discord", "anna"], variables: variables.merging([Self.keyVariable: key]) { $1 })
                    #expect(refused.status == 78)
                    #expect(refused.errors.contains(Self.keyVariable) && refused.errors.contains(reason), "\(refused.errors)")
                    #expect(!refused.errors.contains(anna.token) && !refused.errors.contains(bob.token))
                }
            }
        }
    }

    /// Runs the built `herald` binary to its end: its exit status, standard output and standard error.
    static func herald(_ arguments: [String], variables: [String: String]) async throws -> (status: Int32, output: String, errors: String) {
        let output = Pipe()
        let errors = Pipe()
        let process = try HeraldProcess.start(arguments, variables: variables, output: output, errors: errors)
        try await HeraldProcess.waitForExit(process)
        let read = { (pipe: Pipe) in String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) }
        return (process.terminationStatus, read(output), read(errors))
    }
}

extension JSONValue {
    /// The member `key` of an object; `nil` for anything else.
    subscript(member key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members[key]
    }
}
