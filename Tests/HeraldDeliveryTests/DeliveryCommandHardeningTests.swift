import Foundation
import GRDB
import Herald
import HeraldDelivery
import HeraldTestSupport
import Synchronization
import Testing

/// The delivery commands when the outbox cannot be written, holds rows they cannot read, or names removed
/// destinations; and while a delivery waits.
@Suite("delivery commands: storage failures, unreadable rows, orphans, waits")
struct DeliveryCommandHardeningTests {
    /// A destinations file with a webhook scope `chat` (and `old` when `withOld`), in `directory`.
    static func writeConfiguration(in directory: URL, withOld: Bool = false, delivery: String = "") throws {
        try """
            outbox: outbox.sqlite
            delivery: {request_timeout: 30, maximum_attempts: 3, initial_backoff: 0.01, maximum_backoff: 0.02, poll_interval: 0.02\(delivery)}
            services:
              markdown:
                scopes:
                  chat: {url_env: HARDENING_CHAT_URL}
            \(withOld ? "      old: {url_env: HARDENING_CHAT_URL}" : "")
            """.write(to: directory.appendingPathComponent("herald.yaml"), atomically: true, encoding: .utf8)
        try #"{"title": "Print done", "parts": [{"type": "text", "text": "Benchy finished"}]}"#
            .write(to: directory.appendingPathComponent("message.json"), atomically: true, encoding: .utf8)
    }

    /// A second connection to the outbox file, as another program (or a full disk) would have.
    static func outboxFile(in directory: URL) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        return try DatabaseQueue(path: directory.appendingPathComponent("outbox.sqlite").path, configuration: configuration)
    }

    @Test("a failed write of an attempt's outcome stops notify with exit 74; nothing is reported delivered")
    func failedOutcomeWrite() async throws {
        let directory = try temporaryDirectory()
        try Self.writeConfiguration(in: directory)
        let ledger = KeyLedger()
        let accept = Receivers.markdownWebhook(ledger)
        // While the request is under way the outbox stops taking outcome writes, as a full disk would.
        let receiver: @Sendable (ReceivedRequest) async -> TestReply = { request in
            try? await Self.outboxFile(in: directory).write { db in
                try db.execute(sql: """
                    CREATE TRIGGER disk_full BEFORE UPDATE OF state ON deliveries WHEN NEW.state <> 'in_flight'
                    BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END
                    """)
            }
            return await accept(request)
        }
        try await TestHTTPServer.with(receiver) { base in
            let variables = ["HARDENING_CHAT_URL": base + "/hook"]
            #expect(await CapturedCommand.run(["routes", "set", "PrintDone", "markdown", "chat"], in: directory, variables: variables).status == .success)
            let notify = await CapturedCommand.run(["notify", "PrintDone", "message.json"], in: directory, variables: variables)
            #expect(notify.status == .storageFailure)
            #expect(notify.output.isEmpty)
            #expect(notify.error.hasPrefix("error: outbox: SQLite error") && notify.error.contains("database or disk is full"))
            #expect(notify.error.split(separator: "\n").count == 1)
            #expect(await ledger.seen == 1)
        }
    }

    @Test("while a delivery waits for Retry-After, notify says on stderr why and until when, once")
    func waitIsReported() async throws {
        let directory = try temporaryDirectory()
        try Self.writeConfiguration(in: directory, delivery: ", maximum_retry_after: 0.5")
        let answers = Mutex(0)
        let receiver: @Sendable (ReceivedRequest) async -> TestReply = { _ in
            answers.withLock { $0 += 1; return $0 } == 1
                ? .json(429, #"{"error": "slow down"}"#, headers: [("Retry-After", "3600")]) : .respond(status: 200)
        }
        try await TestHTTPServer.with(receiver) { base in
            let variables = ["HARDENING_CHAT_URL": base + "/hook"]
            #expect(await CapturedCommand.run(["routes", "set", "PrintDone", "markdown", "chat"], in: directory, variables: variables).status == .success)
            let before = Date()
            let notify = await CapturedCommand.run(["notify", "PrintDone", "message.json"], in: directory, variables: variables)
            #expect(notify.status == .success)
            #expect(notify.outputText.hasPrefix("delivered\tmarkdown/chat\t#1"))
            let lines = notify.error.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            #expect(lines.count == 1)
            let prefix = "note: markdown/chat (#1): HTTP 429: slow down; waiting until "
            let line = try #require(lines.first)
            #expect(line.hasPrefix(prefix) && line.hasSuffix(" to try again"))
            let time = line.dropFirst(prefix.count).dropLast(" to try again".count)
            let until = try Date.ISO8601FormatStyle(timeZoneSeparator: .colon, timeZone: .current).parse(String(time))
            #expect(until >= before.addingTimeInterval(-1) && until <= Date().addingTimeInterval(1))
            #expect(answers.withLock { $0 } == 2)
        }
    }

    @Test("a route or delivery to a removed scope is refused at load with exit 78 and the commands that fix it")
    func orphanedDestinations() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Receivers.markdownWebhook(ledger)) { base in
            let directory = try temporaryDirectory()
            let variables = ["HARDENING_CHAT_URL": base + "/hook"]
            func herald(_ arguments: [String]) async -> CapturedCommand {
                await CapturedCommand.run(arguments, in: directory, variables: variables)
            }
            try Self.writeConfiguration(in: directory, withOld: true)
            #expect(await herald(["routes", "set", "PrintDone", "markdown", "chat", "old"]).status == .success)
            #expect(await herald(["notify", "--queue-only", "PrintDone", "message.json"]).status == .success)
            try Self.writeConfiguration(in: directory)  // `old` removed

            let file = directory.appendingPathComponent("herald.yaml").path
            let refused = await herald(["notify", "PrintDone", "message.json"])
            #expect(refused.status == .configurationError)
            #expect(refused.output.isEmpty)
            #expect(refused.error == """
                error: \(file) no longer defines the destinations of route PrintDone → markdown/old and undelivered \
                delivery #2 (markdown/old); drop each route with 'herald routes unset EVENT SERVICE SCOPE' (e.g. \
                'herald routes unset PrintDone markdown old') or re-point it with 'herald routes set', and drop the \
                deliveries with 'herald outbox drop --orphaned', or define those scopes again

                """)
            #expect(await herald(["outbox", "retry"]).status == .configurationError)
            #expect(await herald(["routes", "set", "PrintDone", "markdown", "chat"]).status == .configurationError)
            #expect(await ledger.seen == 0, "nothing was sent while the outbox named a removed scope")

            #expect(await herald(["routes", "unset", "PrintDone", "markdown", "old"]).status == .success)
            let stillPending = await herald(["notify", "PrintDone", "message.json"])
            #expect(stillPending.status == .configurationError)
            #expect(stillPending.error.contains("undelivered delivery #2 (markdown/old); drop the deliveries with 'herald outbox drop --orphaned'"))
            let drop = await herald(["outbox", "drop", "--orphaned"])
            #expect(drop.status == .success)
            #expect(drop.outputText == "dropped 1 delivery\n")

            let retry = await herald(["outbox", "retry"])
            #expect(retry.status == .success)
            #expect(retry.outputText == "requeued 0 failed; delivered 1, retried 0, failed 0\n")
            #expect(await herald(["notify", "PrintDone", "message.json"]).status == .success)
            #expect(await ledger.distinctKeys == 2)
        }
    }

    @Test("outbox drop takes ids, refuses a missing one, and needs ids or --orphaned")
    func dropByID() async throws {
        let directory = try temporaryDirectory()
        try Self.writeConfiguration(in: directory)
        let variables = ["HARDENING_CHAT_URL": "http://127.0.0.1:9/hook"]
        func herald(_ arguments: [String]) async -> CapturedCommand {
            await CapturedCommand.run(arguments, in: directory, variables: variables)
        }
        #expect(await herald(["routes", "set", "PrintDone", "markdown", "chat"]).status == .success)
        #expect(await herald(["notify", "--queue-only", "PrintDone", "message.json"]).status == .success)
        let missing = await herald(["outbox", "drop", "1", "7"])
        #expect(missing.status == .usage)
        #expect(missing.outputText == "dropped 1 delivery\n")
        #expect(missing.error == "error: not dropped (no such delivery, or being sent right now): #7\n")
        #expect(await herald(["outbox", "list"]).output.isEmpty)
        #expect(await herald(["outbox", "drop"]).status == .usage)
    }

    @Test("a row with an unknown service or state is listed as unreadable; the others are listed and retried")
    func unreadableRows() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Receivers.markdownWebhook(ledger)) { base in
            let directory = try temporaryDirectory()
            try Self.writeConfiguration(in: directory)
            let variables = ["HARDENING_CHAT_URL": base + "/hook"]
            func herald(_ arguments: [String]) async -> CapturedCommand {
                await CapturedCommand.run(arguments, in: directory, variables: variables)
            }
            #expect(await herald(["routes", "set", "PrintDone", "markdown", "chat"]).status == .success)
            #expect(await herald(["notify", "PrintDone", "message.json"]).status == .success)
            try await Self.outboxFile(in: directory).write { db in
                let notification = try String.fetchOne(db, sql: "SELECT id FROM notifications") ?? ""
                try db.execute(
                    sql: """
                        INSERT INTO deliveries (notification_id, service, scope, idempotency_key, state, next_attempt_at, updated_at)
                        VALUES (?, 'fax', 'lab', 'key-fax', 'pending', 0, 0)
                        """,
                    arguments: [notification])
                try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
                try db.execute(
                    sql: """
                        INSERT INTO deliveries (notification_id, service, scope, idempotency_key, state, updated_at)
                        VALUES (?, 'markdown', 'chat2', 'key-archived', 'archived', 0)
                        """,
                    arguments: [notification])
            }
            let list = await herald(["outbox", "list"])
            #expect(list.status == .success)
            let lines = list.outputText.split(separator: "\n")
            #expect(lines.count == 3)
            #expect(lines.first?.hasPrefix("delivered\tmarkdown/chat\t#1\t") == true)
            #expect(lines.dropFirst().elementsEqual(["unreadable\t#2\tunknown service \"fax\"", "unreadable\t#3\tunknown state \"archived\""]))

            let json = await herald(["outbox", "list", "--json"])
            #expect(json.status == .success)
            guard case .array(let rows) = try JSONReader().read(json.output) else {
                Issue.record("not a JSON array")
                return
            }
            #expect(rows.count == 3)
            #expect(rows.last == .object(["id": .integer(3), "state": "unreadable", "reason": "unknown state \"archived\""]))

            let retry = await herald(["outbox", "retry"])
            #expect(retry.status == .success)
            #expect(retry.error == """
                note: delivery #2 is unreadable (unknown service "fax"); left as it is
                note: delivery #3 is unreadable (unknown state "archived"); left as it is

                """)
            #expect(await ledger.seen == 1, "the unreadable rows were not sent")
        }
    }
}
