import AsyncHTTPClient
import Foundation
import HeraldCLI
import HeraldCore
import HeraldTestSupport
import NIOCore
import Testing

/// Who gets in: bearer tokens with roles, the request size cap, the rate limit, and the refusal to start open.
@Suite("tokens, roles, size cap and rate limit")
struct AccessTests {
    private static let unreachable = TestServer.variables(receiver: "http://127.0.0.1:9")

    @Test("no token, an unknown token or another scheme: 401 with WWW-Authenticate; the open endpoints need none")
    func unauthorized() async throws {
        try await TestServer.with(variables: Self.unreachable) { server in
            let none = try await server.send(.GET, "/v1/routes", token: nil)
            #expect(none.status == 401)
            #expect(none.header("WWW-Authenticate") == #"Bearer realm="herald""#)
            #expect(try none.error().code == "unauthorized")
            #expect(try none.error().path == "header.Authorization")
            #expect(try await server.send(.GET, "/v1/routes", token: "not-a-token").status == 401)
            #expect(try await server.send(.GET, "/v1/routes", token: TestServer.notifyToken + "x").status == 401)
            let basic = try await server.send(.GET, "/v1/routes", token: nil, headers: [("Authorization", "Basic \(TestServer.notifyToken)")])
            #expect(basic.status == 401)
            #expect(try await server.send(.POST, "/v1/notifications", token: nil, json: ["event": "x", "message": "y"]).status == 401)
            #expect(try await server.send(.GET, "/metrics", token: nil).status == 401)
            #expect(try await server.send(.GET, "/healthz", token: nil).status == 200)
            #expect(try await server.send(.GET, "/readyz", token: nil).status == 200)
            #expect(try await server.send(.GET, "/v1/routes", token: TestServer.notifyToken).status == 200)
        }
    }

    @Test("a notify token on an admin endpoint: 403 naming its role; an admin token may")
    func forbidden() async throws {
        try await TestServer.with(variables: Self.unreachable) { server in
            let route: JSONValue = ["event": "scan_completed", "service": "markdown", "scopes": ["chat"]]
            let refused = try await server.send(.PUT, "/v1/routes", token: TestServer.notifyToken, json: route)
            #expect(refused.status == 403)
            #expect(try refused.error().message == "token \"bec\" has the role notify; this needs the role admin")
            #expect(try await server.notifier.routes().isEmpty)
            let test = try await server.send(.POST, "/v1/services/markdown/scopes/chat/test", token: TestServer.notifyToken)
            #expect(test.status == 403)
            let unset = try await server.send(.DELETE, "/v1/routes?event=scan_completed&service=markdown", token: TestServer.notifyToken)
            #expect(unset.status == 403)
            #expect(try await server.send(.PUT, "/v1/routes", token: TestServer.adminToken, json: route).status == 200)
            #expect(try await server.notifier.routes().count == 1)
        }
    }

    @Test("a body over request_limit_bytes: 413 before it is read, with or without Content-Length; at the limit it is read")
    func oversized() async throws {
        let yaml = TestServer.configuration(server: "  request_limit_bytes: 1024")
        try await TestServer.with(yaml, variables: Self.unreachable) { server in
            let large = Array(repeating: UInt8(ascii: " "), count: 4096)
            let declared = try await server.send(.POST, "/v1/notifications", body: large)
            #expect(declared.status == 413)
            #expect(try declared.error().message == "the request body is larger than the limit of 1024 bytes")

            var streamed = HTTPClientRequest(url: server.baseURL + "/v1/render/all")
            streamed.method = .POST
            streamed.headers.add(name: "Authorization", value: "Bearer \(TestServer.notifyToken)")
            let chunks = (0..<8).map { _ in ByteBuffer(bytes: Array(repeating: UInt8(ascii: " "), count: 512)) }
            streamed.body = .stream(chunks.async, length: .unknown)
            let response = try await HTTPClient.shared.execute(streamed, timeout: .seconds(60))
            #expect(response.status.code == 413)
            let body = TestResponse(status: 413, headers: [], body: Array(buffer: try await response.body.collect(upTo: 1 << 16)))
            #expect(try body.error().code == "body_too_large")

            // 1024 bytes: read, and refused only for what it says.
            let padded = Array(#"{"event": "x", "message": 1}"#.utf8)
            let atLimit = padded + Array(repeating: UInt8(ascii: " "), count: 1024 - padded.count)
            let read = try await server.send(.POST, "/v1/notifications", body: atLimit)
            #expect(read.status == 422)
            #expect(try read.error().path == "message")
        }
    }

    @Test("each token's rate limit: 429 with Retry-After, per token, refilled as the clock moves")
    func rateLimited() async throws {
        let clock = ManualClock()
        let yaml = TestServer.configuration(server: "  rate_limit: {requests: 2, per: 60}")
        try await TestServer.with(yaml, variables: Self.unreachable, clock: clock.read) { server in
            #expect(try await server.send(.GET, "/v1/routes").status == 200)
            #expect(try await server.send(.GET, "/v1/routes").status == 200)
            let limited = try await server.send(.GET, "/v1/routes")
            #expect(limited.status == 429)
            #expect(limited.header("Retry-After") == "30")
            #expect(try limited.error().code == "rate_limited")
            #expect(try await server.send(.GET, "/v1/routes", token: TestServer.adminToken).status == 200)
            clock.advance(by: 29)
            #expect(try await server.send(.GET, "/v1/routes").header("Retry-After") == "1")
            clock.advance(by: 2)
            #expect(try await server.send(.GET, "/v1/routes").status == 200)
            #expect(try await server.send(.GET, "/v1/routes").status == 429)
            // Open endpoints are not counted.
            #expect(try await server.send(.GET, "/healthz", token: nil).status == 200)
        }
    }

    @Test("without tokens the server refuses to start, unless --insecure-open-loopback on a loopback address")
    func refusesToStartOpen() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("herald-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config = directory.appendingPathComponent("herald.yaml").path
        try "services:\n  markdown:\n    scopes:\n      chat: {url_env: HERALD_TEST_CHAT_URL}\n".write(toFile: config, atomically: true, encoding: .utf8)

        let noTokens = await CapturedCommand.run(["serve", "--config", config, "--listen", "127.0.0.1:0"], in: directory)
        #expect(noTokens.status == .configurationError)
        #expect(noTokens.error.hasPrefix("error: \(config): server.tokens: declares no token"))
        #expect(noTokens.output.isEmpty)

        let exposed = await CapturedCommand.run(
            ["serve", "--config", config, "--listen", "0.0.0.0:0", "--insecure-open-loopback"], in: directory)
        #expect(exposed.status == .usage)
        #expect(exposed.error == "error: --insecure-open-loopback needs a loopback --listen address (127.0.0.1, ::1 or localhost), not 0.0.0.0:0\n")

        let badAddress = await CapturedCommand.run(["serve", "--config", config, "--listen", "::1:80"], in: directory)
        #expect(badAddress.status == .usage)

        try await TestServer.with("outbox: outbox.sqlite\n", variables: [:], openOnLoopback: true) { server in
            let route = try await server.send(.GET, "/v1/routes", token: nil)
            #expect(route.status == 200)
        }
    }

    @Test("a token's variable unset, a token written inline, two tokens of one value: refused, naming where, never the value")
    func tokenConfiguration() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("herald-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config = directory.appendingPathComponent("herald.yaml").path
        try TestServer.configuration().write(toFile: config, atomically: true, encoding: .utf8)
        let unset = await CapturedCommand.run(
            ["serve", "--config", config, "--listen", "127.0.0.1:0"], in: directory, variables: ["HERALD_TEST_ADMIN_TOKEN": "a-token"])
        #expect(unset.status == .configurationError)
        #expect(unset.error == "error: \(config): server.tokens[0].token_env: environment variable HERALD_TEST_NOTIFY_TOKEN (token \"bec\") is not set\n")

        let twins = await CapturedCommand.run(
            ["serve", "--config", config, "--listen", "127.0.0.1:0"], in: directory,
            variables: ["HERALD_TEST_NOTIFY_TOKEN": "same-token-value", "HERALD_TEST_ADMIN_TOKEN": "same-token-value"])
        #expect(twins.status == .configurationError)
        #expect(twins.error.contains("server.tokens[1].token_env: token \"ops\" holds the same value as token \"bec\""))
        #expect(!twins.error.contains("same-token-value"))

        try "server:\n  tokens:\n    - {name: bec, token: s3cr3t-inline, role: notify}\n".write(toFile: config, atomically: true, encoding: .utf8)
        let inline = await CapturedCommand.run(["serve", "--config", config], in: directory)
        #expect(inline.status == .configurationError)
        #expect(inline.error.contains("server.tokens[0].token: secrets are never written in the destinations file"))
        #expect(!inline.error.contains("s3cr3t-inline"))
    }
}
