import HeraldDelivery
import HeraldServer
import Testing

/// The `server` section of the destinations file, validated like the rest of it.
@Suite("the server section of the destinations file")
struct ServerSettingsTests {
    private static func error(_ yaml: String) -> String? {
        do {
            _ = try DeliveryConfiguration(yaml: yaml)
            return nil
        } catch {
            return error.description
        }
    }

    @Test("defaults, and every setting read")
    func settings() throws {
        #expect(try DeliveryConfiguration(yaml: "").server == ServerSettings())
        let configuration = try DeliveryConfiguration(yaml: """
            server:
              tokens:
                - {name: bec, token_env: BEC_TOKEN, role: notify}
                - {name: ops.admin, token_env: OPS_TOKEN, role: admin}
              request_limit_bytes: 65536
              rate_limit: {requests: 10, per: 2.5}
              shutdown_grace_period: 3
            """)
        #expect(configuration.server.tokens == [
            .init(name: "bec", environmentVariable: "BEC_TOKEN", role: .notify),
            .init(name: "ops.admin", environmentVariable: "OPS_TOKEN", role: .admin),
        ])
        #expect(configuration.server.requestLimitBytes == 65536)
        #expect(configuration.server.rateLimit == .init(requests: 10, interval: .milliseconds(2500)))
        #expect(configuration.server.shutdownGracePeriod == .seconds(3))
    }

    @Test("mistakes name the setting; a token written inline is refused without being quoted")
    func mistakes() {
        #expect(Self.error("server:\n  tokens: [{name: a, token: hunter2-secret, role: notify}]")
            == "server.tokens[0].token: secrets are never written in the destinations file; put it in an environment variable and name that variable with token_env")
        #expect(Self.error("server:\n  tokens: [{name: a, token_env: hunter2 secret, role: notify}]")
            == "server.tokens[0].token_env: must be the name of an environment variable (letters, digits and _, not starting with a digit)")
        #expect(Self.error("server:\n  tokens: [{name: a, token_env: A, role: root}]")
            == #"server.tokens[0].role: unknown role "root"; expected notify or admin"#)
        #expect(Self.error("server:\n  tokens: [{name: a, role: notify}]")
            == "server.tokens[0].token_env: is required: name the environment variable that holds the token")
        #expect(Self.error("server:\n  tokens: [{name: a, token_env: A, role: notify}, {name: a, token_env: B, role: admin}]")
            == #"server.tokens[1].name: another token is named "a""#)
        #expect(Self.error("server:\n  tokens: [{name: a, token_env: A, role: notify}, {name: b, token_env: A, role: admin}]")
            == "server.tokens[1].token_env: another token reads A")
        #expect(Self.error("server:\n  tokens: [{name: a b, token_env: A, role: notify}]")
            == "server.tokens[0].name: a token name uses at most 64 letters, digits and . _ -")
        #expect(Self.error("server:\n  request_limit_bytes: 100")
            == "server.request_limit_bytes: must be a whole number from 1024 to 33554432")
        #expect(Self.error("server:\n  rate_limit: {requests: 10}") == "server.rate_limit.per: is required")
        #expect(Self.error("server:\n  rate_limit: {requests: 10, per: 0}") == "server.rate_limit.per: must be more than 0 seconds")
        #expect(Self.error("server:\n  listen: 0.0.0.0:80") == "server.listen: unknown setting")
        #expect(Self.error("server:\n  tokens: {bec: BEC}") == "server.tokens: expected a list of tokens, found an object")
    }

    @Test("listen addresses: HOST:PORT, IPv6 in brackets; loopback told apart")
    func listenAddresses() throws {
        #expect(try ListenAddress(parsing: "127.0.0.1:8470") == ListenAddress(host: "127.0.0.1", port: 8470))
        #expect(try ListenAddress(parsing: "[::1]:0") == ListenAddress(host: "::1", port: 0))
        #expect(try ListenAddress(parsing: "[::1]:0").description == "[::1]:0")
        #expect(try ListenAddress(parsing: "localhost:80").isLoopback)
        #expect(try ListenAddress(parsing: "127.8.0.1:80").isLoopback)
        #expect(try !ListenAddress(parsing: "0.0.0.0:80").isLoopback)
        #expect(try !ListenAddress(parsing: "[::]:80").isLoopback)
        for invalid in ["8470", ":8470", "::1:8470", "host:65536", "host:-1", "host:port", "[::1:80", "a b:80"] {
            #expect(throws: ServerSetupError.self, "\(invalid)") { try ListenAddress(parsing: invalid) }
        }
    }
}
