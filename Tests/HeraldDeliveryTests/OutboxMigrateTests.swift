import Foundation
import Herald
import HeraldCLI
import HeraldDelivery
import HeraldTestSupport
import Testing

/// `herald outbox migrate`, in-process: undelivered deliveries copied from a SQLite outbox to another, once.
@Suite("herald outbox migrate")
struct OutboxMigrateTests {
    /// A destinations file with a SQLite outbox holding one queued notification for a Markdown webhook.
    static func queued() async throws -> URL {
        let directory = try temporaryDirectory()
        try "outbox: old.sqlite\nservices: {markdown: {scopes: {chat: {url_env: HOOK}}}}\n"
            .write(to: directory.appendingPathComponent("herald.yaml"), atomically: true, encoding: .utf8)
        let variables = ["HOOK": "http://127.0.0.1:9/hook"]
        #expect(await CapturedCommand.run(["routes", "set", "PrintDone", "markdown", "chat"], in: directory, variables: variables).status == .success)
        try #"{"title": "Print done"}"#.write(to: directory.appendingPathComponent("message.json"), atomically: true, encoding: .utf8)
        #expect(await CapturedCommand.run(["notify", "--queue-only", "PrintDone", "message.json"], in: directory, variables: variables).status == .success)
        return directory
    }

    @Test("copies the queued delivery with its key into the outbox a destinations file names; a second run copies nothing", arguments: OutboxBackend.available)
    func migrateIntoFile(backend: OutboxBackend) async throws {
        let directory = try await Self.queued()
        let target = switch try backend.location(in: directory) {
        case .sqlite: "new.sqlite"
        case .postgres(let settings): "postgres://\(settings.user)@\(settings.host):\(settings.port)/\(settings.database)?schema=\(settings.schema ?? "")"
        }
        try "outbox: \(target)\nservices: {markdown: {scopes: {chat: {url_env: HOOK}}}}\n"
            .write(to: directory.appendingPathComponent("new.yaml"), atomically: true, encoding: .utf8)
        let first = await CapturedCommand.run(["outbox", "migrate", "--from", "old.sqlite", "--to", "new.yaml"], in: directory, variables: [:])
        #expect(first.status == .success)
        #expect(first.outputText == "copied 1 of 1 undelivered deliveries (0 were there already)\n")
        let again = await CapturedCommand.run(["outbox", "migrate", "--from", "old.sqlite", "--to", "new.yaml"], in: directory, variables: [:])
        #expect(again.outputText == "copied 0 of 1 undelivered deliveries (1 were there already)\n")
        let old = try await Outbox(path: directory.appendingPathComponent("old.sqlite").path).deliveries()
        let copied = try await Outbox(location: try #require(try DeliveryConfiguration(contentsOf: directory.appendingPathComponent("new.yaml").path).outboxLocation)).deliveries()
        #expect(copied.map(\.idempotencyKey) == old.map(\.idempotencyKey))
        #expect(copied.map(\.state) == [.pending])
        let list = await CapturedCommand.run(["outbox", "list", "--config", "new.yaml"], in: directory, variables: ["HOOK": "http://127.0.0.1:9/hook"])
        #expect(list.outputText.hasPrefix("pending\tmarkdown/chat\t#1\tPrintDone"))
    }

    @Test("bad sources and targets get one error line each")
    func badArguments() async throws {
        let directory = try await Self.queued()
        let missing = await CapturedCommand.run(["outbox", "migrate", "--from", "none.sqlite", "--to", "herald.yaml"], in: directory, variables: [:])
        #expect(missing.status == .usage)
        #expect(missing.error.hasSuffix("none.sqlite: no such outbox file\n"))
        let password = await CapturedCommand.run(
            ["outbox", "migrate", "--from", "old.sqlite", "--to", "postgres://herald:hunter2@127.0.0.1/herald"], in: directory, variables: [:])
        #expect(password.status == .usage)
        #expect(password.error.contains("holds a password") && !password.error.contains("hunter2"))
        try "outbox: postgres://herald@127.0.0.1:9/herald\noutbox_password_env: HERALD_DB_PASSWORD\n"
            .write(to: directory.appendingPathComponent("unset.yaml"), atomically: true, encoding: .utf8)
        let unset = await CapturedCommand.run(["outbox", "migrate", "--from", "old.sqlite", "--to", "unset.yaml"], in: directory, variables: [:])
        #expect(unset.status == .configurationError)
        #expect(unset.error.contains("HERALD_DB_PASSWORD is not set"))
    }

    @Test("the destinations file's outbox URL is read, and a password, a bad parameter or a misplaced password_env refused")
    func outboxURLs() throws {
        let settings = try PostgresOutboxSettings(url: "postgres://herald@db.example.org:6543/queue?schema=herald&sslmode=require")
        #expect(settings.host == "db.example.org" && settings.port == 6543 && settings.database == "queue")
        #expect(settings.schema == "herald" && settings.tls == .require && settings.passwordVariable == "PGPASSWORD")
        let socket = try DeliveryConfiguration(yaml: "outbox: postgresql://herald@/queue?host=/run/postgresql\noutbox_password_env: DB_PW")
        guard case .postgres(let viaSocket)? = socket.outboxLocation else { Issue.record("not a PostgreSQL outbox"); return }
        #expect(viaSocket.socketDirectory == "/run/postgresql" && viaSocket.passwordVariable == "DB_PW" && socket.outboxPath == nil)
        #expect(throws: ConfigurationError(path: "outbox", reason: "unknown parameter \"user\"; expected schema, sslmode or host")) {
            try DeliveryConfiguration(yaml: "outbox: postgres://herald@db/queue?user=x")
        }
        #expect(throws: ConfigurationError(path: "outbox", reason: "schema must be 1 to 63 lowercase letters, digits or underscores, not starting with a digit")) {
            try DeliveryConfiguration(yaml: "outbox: postgres://herald@db/queue?schema=Robert%27);DROP")
        }
        #expect(throws: ConfigurationError(path: "outbox", reason: "the URL is longer than 2048 bytes")) {
            try DeliveryConfiguration(yaml: "outbox: postgres://herald@db/" + String(repeating: "q", count: 2048))
        }
        #expect(throws: ConfigurationError(path: "outbox_password_env", reason: "only a postgres:// outbox takes a password")) {
            try DeliveryConfiguration(yaml: "outbox: herald.sqlite\noutbox_password_env: DB_PW")
        }
    }
}
