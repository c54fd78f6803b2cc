import Foundation
import Herald
import HeraldDelivery
import HeraldTestSupport
import Testing

/// `herald features` and `herald toggles`, run as the built `herald` process.
@Suite("herald features and toggles")
struct TogglesCLITests {
    /// What one run of `herald` printed and how it ended.
    struct Run {
        var status: Int32
        var output: String
        var error: String
    }

    /// Runs the built `herald` with `arguments` on the destinations file in `directory`.
    static func herald(_ arguments: [String], in directory: URL) async throws -> Run {
        let (output, errors) = (Pipe(), Pipe())
        let process = try HeraldProcess.start(
            arguments.map { $0 == "message.json" ? directory.appendingPathComponent($0).path : $0 },
            variables: ["HERALD_CONFIG": directory.appendingPathComponent("herald.yaml").path, "TOGGLES_CLI_URL": "http://127.0.0.1:9/hook"],
            output: output, errors: errors)
        try await HeraldProcess.waitForExit(process)
        let text = { (pipe: Pipe) in String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) }
        return Run(status: process.terminationStatus, output: text(output), error: text(errors))
    }

    /// A destinations file with two Markdown scopes and an SMS scope, and a message file, in a fresh directory.
    static func setUp() throws -> URL {
        let directory = try temporaryDirectory()
        try """
            outbox: outbox.sqlite
            services:
              markdown: {scopes: {chat: {url_env: TOGGLES_CLI_URL}, ops: {url_env: TOGGLES_CLI_URL}}}
              sms: {account_sid_env: TOGGLES_CLI_SID, auth_token_env: TOGGLES_CLI_TOKEN, from: "+41790000000", scopes: {oncall: {to: "+41791234567"}}}
            """.write(to: directory.appendingPathComponent("herald.yaml"), atomically: true, encoding: .utf8)
        try #"{"parts": [{"type": "text", "text": "Benchy finished"}]}"#
            .write(to: directory.appendingPathComponent("message.json"), atomically: true, encoding: .utf8)
        return directory
    }

    @Test("toggling print_done off for a scope leaves it out of PrintDone, with a note; on again, it is queued")
    func toggleChangesWhatIsQueued() async throws {
        let directory = try Self.setUp()
        func herald(_ arguments: String...) async throws -> Run { try await Self.herald(arguments, in: directory) }
        #expect(try await herald("routes", "set", "PrintDone", "markdown", "chat", "ops").status == 0)

        let off = try await herald("toggles", "set", "markdown", "chat", "print_done", "off")
        #expect(off.status == 0 && off.output == "markdown\tchat\tprint_done\toff\tset\n")
        let skipped = try await herald("notify", "--queue-only", "PrintDone", "message.json")
        #expect(skipped.status == 0)
        #expect(skipped.output.split(separator: "\n").map { $0.split(separator: "\t")[1] } == ["markdown/ops"])
        #expect(skipped.error == "note: skipped markdown/chat: feature print_done is off there\n")

        let on = try await herald("toggles", "set", "markdown", "chat", "notify_on_print_done", "on")
        #expect(on.output == "markdown\tchat\tprint_done\ton\tset\n")
        let queued = try await herald("notify", "--queue-only", "PrintDone", "message.json")
        #expect(queued.output.split(separator: "\n").map { $0.split(separator: "\t")[1] } == ["markdown/chat", "markdown/ops"])
        #expect(queued.error.isEmpty)
        let pending = try await herald("outbox", "list")
        #expect(pending.output.split(separator: "\n").map { $0.split(separator: "\t")[1] } == ["markdown/ops", "markdown/chat", "markdown/ops"])

        let reset = try await herald("toggles", "reset", "markdown", "chat", "print_done")
        #expect(reset.output == "markdown\tchat\tprint_done\ton\tdefault\n")
        let everywhereOff = try await herald("toggles", "set", "markdown", "ops", "print_done", "off")
        #expect(everywhereOff.status == 0)
        _ = try await herald("toggles", "set", "markdown", "chat", "print_done", "off")
        let nothing = try await herald("notify", "--queue-only", "PrintDone", "message.json")
        #expect(nothing.status == 0 && nothing.output.isEmpty)
        #expect(nothing.error == """
            note: skipped markdown/chat: feature print_done is off there
            note: skipped markdown/ops: feature print_done is off there
            note: every destination routed for event PrintDone has feature print_done off; nothing was sent

            """)
    }

    @Test("herald features lists features, defaults and each service's support; toggles list shows every destination's")
    func listings() async throws {
        let directory = try Self.setUp()
        let features = try await Self.herald(["features"], in: directory)
        #expect(features.status == 0)
        let lines = features.output.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "failure_alert\ton\tFailureAlert\tFailure alert\tnotify_on_failure_alert")
        #expect(lines.contains("other_print_events\toff\tPrintStarted,PrintPaused,PrintResumed\tOther print events\tnotify_on_other_print_events"))
        #expect(lines.contains("sms\tfailure_alert,alarms"))
        let json = try await Self.herald(["features", "--json"], in: directory)
        guard case .object(let root) = try JSONReader().read(Array(json.output.utf8)), case .array(let listed)? = root["features"] else {
            Issue.record("not the features object: \(json.output)")
            return
        }
        #expect(listed.count == Feature.builtIn.count)
        #expect(listed.first == Feature.builtIn.first?.jsonValue)

        let toggles = try await Self.herald(["toggles", "list", "--service", "sms"], in: directory)
        #expect(toggles.output == "sms\toncall\tfailure_alert\ton\tdefault\nsms\toncall\talarms\ton\tdefault\n")
        let all = try await Self.herald(["toggles", "list", "--json"], in: directory)
        guard case .array(let rows) = try JSONReader().read(Array(all.output.utf8)) else {
            Issue.record("not a JSON array: \(all.output)")
            return
        }
        #expect(rows.count == 8 + 8 + 2)
    }

    @Test("refusals name the problem: an unsupported or unknown feature, an unconfigured destination, a route SMS does not take")
    func refusals() async throws {
        let directory = try Self.setUp()
        func herald(_ arguments: String...) async throws -> Run { try await Self.herald(arguments, in: directory) }
        let unsupported = try await herald("toggles", "set", "sms", "oncall", "print_done", "on")
        #expect(unsupported.status == 78)
        #expect(unsupported.error == "error: sms does not support feature print_done; it supports failure_alert, alarms\n")
        let unknown = try await herald("toggles", "set", "markdown", "chat", "printdone", "on")
        #expect(unknown.status == 78 && unknown.error.hasPrefix(#"error: unknown feature "printdone"; expected one of failure_alert, "#))
        let unconfigured = try await herald("toggles", "set", "teams", "ops", "print_done", "on")
        #expect(unconfigured.status == 78 && unconfigured.error == "error: teams is not configured in the destinations file\n")
        let badValue = try await herald("toggles", "set", "markdown", "chat", "print_done", "maybe")
        #expect(badValue.status == 64)
        let route = try await herald("routes", "set", "PrintDone", "sms", "oncall")
        #expect(route.status == 78)
        #expect(route.error == "error: sms does not support feature print_done, which event PrintDone belongs to; it supports failure_alert, alarms\n")
        #expect(try await herald("routes", "list").output.isEmpty)
    }
}
