import Foundation
import Herald
import HeraldCLI
import HeraldDelivery
import HeraldTestSupport
import Testing

/// The delivery commands, in-process, against local receivers; and no secret anywhere in what they print.
@Suite("herald notify, routes, services check, test, outbox")
struct CLITests {
    /// Unique markers for the secret values, so that any leak is found by a plain search.
    static let hookMarker = "hook-secret-\(UUID().uuidString)"

    /// A destinations file for a webhook and Signal at `base`, in a fresh directory.
    static func setUp(base: String) throws -> (directory: URL, variables: [String: String]) {
        let directory = try temporaryDirectory()
        try """
            outbox: outbox.sqlite
            delivery: {request_timeout: 15, maximum_attempts: 3, initial_backoff: 0.01, maximum_backoff: 0.02, poll_interval: 0.02}
            services:
              markdown:
                scopes:
                  chat: {url_env: CLI_TEST_HOOK_URL}
              signal:
                url: \(base)
                scopes:
                  oncall: {recipients: ["+41791234567"]}
            """.write(to: directory.appendingPathComponent("herald.yaml"), atomically: true, encoding: .utf8)
        try #"{"title": "Print done", "parts": [{"type": "text", "text": "Benchy finished", "bold": true}]}"#
            .write(to: directory.appendingPathComponent("message.json"), atomically: true, encoding: .utf8)
        return (directory, ["CLI_TEST_HOOK_URL": "\(base)/hooks/\(hookMarker)"])
    }

    /// A server answering `/hooks/…` like a webhook that echoes the path it was called on in its errors when the
    /// text says "reject", and `/api/v1/rpc` like signal-cli.
    static func receiver(_ ledger: KeyLedger) -> @Sendable (ReceivedRequest) async -> TestReply {
        let webhook = Receivers.markdownWebhook(ledger)
        let signal = Receivers.signalJSONRPC(ledger)
        return { request in
            if request.path.hasPrefix("/hooks/") {
                if request.text.contains("reject") { return .json(404, #"{"message": "no hook at \#(request.path)"}"#) }
                return await webhook(request)
            }
            return await signal(request)
        }
    }

    @Test("routes set, list, unset; notify delivers and prints one line per delivery; outbox list shows them")
    func routesNotifyAndOutbox() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Self.receiver(ledger)) { base in
            let (directory, variables) = try Self.setUp(base: base)
            func herald(_ arguments: [String]) async -> CapturedCommand {
                await CapturedCommand.run(arguments, in: directory, variables: variables)
            }
            #expect(await herald(["routes", "set", "PrintDone", "markdown", "chat"]).status == .success)
            #expect(await herald(["routes", "set", "PrintDone", "signal", "oncall"]).status == .success)
            #expect(await herald(["routes", "list"]).outputText == "PrintDone\tmarkdown\tchat\nPrintDone\tsignal\toncall\n")
            let unknown = await herald(["routes", "set", "PrintDone", "signal", "pager"])
            #expect(unknown.status == .configurationError)
            #expect(unknown.error == "error: signal has no scope \"pager\"; configured: oncall\n")

            let notify = await herald(["notify", "PrintDone", "message.json"])
            #expect(notify.status == .success)
            #expect(notify.error.isEmpty)
            let lines = notify.outputText.split(separator: "\n")
            #expect(lines.count == 2 && lines.allSatisfy { $0.hasPrefix("delivered\t") })
            #expect(await ledger.distinctKeys == 2)

            let list = await herald(["outbox", "list", "--json"])
            guard case .array(let deliveries) = try JSONReader().read(list.output) else {
                Issue.record("not a JSON array")
                return
            }
            #expect(deliveries.count == 2)
            #expect(deliveries.allSatisfy { if case .object(let object) = $0 { object["state"] == "delivered" } else { false } })

            #expect(await herald(["routes", "unset", "PrintDone", "signal"]).status == .success)
            #expect(await herald(["routes", "list"]).outputText == "PrintDone\tmarkdown\tchat\n")
            let nowhere = await herald(["notify", "scan_completed", "message.json"])
            #expect(nowhere.status == .success && nowhere.output.isEmpty)
            #expect(nowhere.error == "note: no route for event scan_completed; nothing was sent\n")
        }
    }

    @Test("a refused delivery exits 75 with one error line; outbox retry sends failed ones again")
    func failureAndRetry() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Self.receiver(ledger)) { base in
            let (directory, variables) = try Self.setUp(base: base)
            try #"{"parts": [{"type": "text", "text": "reject me"}]}"#.write(
                to: directory.appendingPathComponent("reject.json"), atomically: true, encoding: .utf8)
            func herald(_ arguments: [String]) async -> CapturedCommand {
                await CapturedCommand.run(arguments, in: directory, variables: variables)
            }
            #expect(await herald(["routes", "set", "FailureAlert", "markdown", "chat"]).status == .success)
            let notify = await herald(["notify", "FailureAlert", "reject.json"])
            #expect(notify.status == .deliveryFailed)
            #expect(notify.error == "error: 1 of 1 deliveries failed; 'herald outbox retry' sends them again\n")
            #expect(notify.outputText.hasPrefix("failed\tmarkdown/chat\t#1\tFailureAlert\tattempts 1\tHTTP 404: no hook at <secret>"))
            let retry = await herald(["outbox", "retry"])
            #expect(retry.status == .deliveryFailed)
            #expect(retry.outputText == "requeued 1 failed; delivered 0, retried 0, failed 1\n")
            #expect(retry.error == "error: 1 delivery failed; see 'herald outbox list --state failed'\n")
            #expect(await herald(["outbox", "list", "--state", "failed"]).outputText.hasPrefix("failed\tmarkdown/chat\t#1"))
        }
    }

    @Test("services check shows variables, masks secrets, and exits 78 when a required one is missing")
    func servicesCheck() async throws {
        let (directory, variables) = try Self.setUp(base: "http://127.0.0.1:9")
        let check = await CapturedCommand.run(["services", "check"], in: directory, variables: variables)
        #expect(check.status == .success)
        #expect(check.outputText.contains("markdown: ok\n  scopes: chat\n  CLI_TEST_HOOK_URL (Markdown webhook URL of scope chat): set (secret, not shown)\n"))
        #expect(check.outputText.contains("signal: ok\n  scopes: oncall\n"))
        let missing = await CapturedCommand.run(["services", "check"], in: directory)
        #expect(missing.status == .configurationError)
        #expect(missing.outputText.contains("CLI_TEST_HOOK_URL (Markdown webhook URL of scope chat): not set (required)"))
        #expect(missing.error == "error: required environment variable is not set: CLI_TEST_HOOK_URL\n")
        let noFile = await CapturedCommand.run(["services", "check", "--config", "nope.yaml"], in: directory)
        #expect(noFile.status == .configurationError)
        #expect(noFile.error.hasPrefix("error: ") && noFile.error.hasSuffix("nope.yaml: no such destinations file (give --config or set HERALD_CONFIG)\n"))
    }

    @Test("herald test sends the test message to one destination")
    func testCommand() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Self.receiver(ledger)) { base in
            let (directory, variables) = try Self.setUp(base: base)
            let sent = await CapturedCommand.run(["test", "signal", "oncall"], in: directory, variables: variables)
            #expect(sent.outputText == "delivered a test message to signal/oncall (HTTP 200, reference 1700000000000)\n", "\(sent.error)")
            let text = try #require(await ledger.accepted.first?.text)
            #expect(text.contains("Herald test message"))
            let unknown = await CapturedCommand.run(["test", "signal", "pager"], in: directory, variables: variables)
            #expect(unknown.status == .configurationError)
        }
    }

    @Test("no secret appears in any output, error or log line")
    func noSecretLeaks() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Self.receiver(ledger)) { base in
            let (directory, variables) = try Self.setUp(base: base)
            try #"{"parts": [{"type": "text", "text": "reject me"}]}"#.write(
                to: directory.appendingPathComponent("reject.json"), atomically: true, encoding: .utf8)
            var transcripts: [String] = []
            for arguments in [
                ["services", "check"], ["routes", "set", "PrintDone", "markdown", "chat"], ["routes", "list"],
                ["notify", "PrintDone", "message.json"], ["notify", "PrintDone", "reject.json"], ["test", "markdown", "chat"],
                ["outbox", "list"], ["outbox", "list", "--json"], ["outbox", "retry"], ["render", "message.json"],
            ] {
                let result = await CapturedCommand.run(arguments, in: directory, variables: variables)
                transcripts.append(result.outputText + result.error)
            }
            // The library with a capturing logger, through a failure that echoes the secret path.
            let library = try await LibraryTranscript(
                configurationPath: directory.appendingPathComponent("herald.yaml").path, variables: variables,
                message: NotificationMessage.plainText("reject again"), destination: Destination(service: .markdown, scope: "chat"))
            transcripts += library.all
            #expect(library.logLines.contains { $0.contains("failed: HTTP 404") }, "the failure was logged")
            #expect(await ledger.seen > 0)
            for text in transcripts { #expect(!text.contains(Self.hookMarker), "secret leaked in: \(text)") }
        }
    }
}
