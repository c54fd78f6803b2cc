import Foundation
import Herald
import HeraldDelivery
import HeraldTestSupport
import Testing

/// Services echo what they were sent in their error texts, in every encoding. Whatever the form, no secret reaches a
/// stored row, a command's output or a log line, and nothing a service sends can act on the terminal.
@Suite("secrets echoed by a service, and hostile error texts")
struct EchoedSecretTests {
    /// Everything Herald shows or keeps after a delivery to `service`/`scope` that `reply` answers: the output of
    /// `herald test`, `notify`, `outbox list` (text and JSON), the stored `last_error` of the outbox file, and every
    /// log line of a library notifier.
    static func transcripts(
        services: (_ base: String) -> String, variables: (_ base: String) -> [String: String], service: Service, scope: String,
        reply: @escaping @Sendable (ReceivedRequest) async -> TestReply
    ) async throws -> [String] {
        try await TestHTTPServer.with(reply) { base in
            let directory = try temporaryDirectory()
            try """
                outbox: outbox.sqlite
                delivery: {maximum_attempts: 1, request_timeout: 30}
                services: \(services(base))
                """.write(to: directory.appendingPathComponent("herald.yaml"), atomically: true, encoding: .utf8)
            try #"{"title": "Print done", "parts": [{"type": "text", "text": "Benchy finished"}]}"#
                .write(to: directory.appendingPathComponent("message.json"), atomically: true, encoding: .utf8)
            let environment = variables(base)
            var texts: [String] = []
            for arguments in [
                ["test", service.id, scope], ["routes", "set", "PrintDone", service.id, scope],
                ["notify", "PrintDone", "message.json"], ["outbox", "list"], ["outbox", "list", "--json"],
            ] {
                let result = await CapturedCommand.run(arguments, in: directory, variables: environment)
                texts.append(result.outputText + result.error)
            }
            let library = try await LibraryTranscript(
                configurationPath: directory.appendingPathComponent("herald.yaml").path, variables: environment,
                message: NotificationMessage.plainText("Benchy finished again"), destination: Destination(service: service, scope: scope))
            #expect(library.storedErrors.count == 2, "both deliveries failed and kept their reason")
            texts += library.all
            return texts
        }
    }

    /// A Teams Workflows URL on `base`: the path's workflow id and the `sig` query value are the secrets.
    static func workflowsURL(base: String, signature: String) -> String {
        "\(base)/workflows/5f0c8a7e21b94d6f/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=\(signature)"
    }

    /// The transcripts of a Teams scope whose webhook answers 403 with `body(target)`, `target` being the path and
    /// query the webhook was called on.
    static func teamsTranscripts(signature: String, body: @escaping @Sendable (String) -> String) async throws -> [String] {
        try await transcripts(
            services: { _ in "{teams: {scopes: {ops: {webhook_url_env: ECHO_TEAMS_URL}}}}" },
            variables: { base in ["ECHO_TEAMS_URL": Self.workflowsURL(base: base, signature: signature)] },
            service: .teams, scope: "ops",
            reply: { request in .respond(status: 403, headers: [("Content-Type", "text/plain")], body: Array(body(request.path).utf8)) })
    }

    /// The transcripts of a SciLog scope whose API answers 401 with `body(token)`.
    static func sciLogTranscripts(token: String, body: @escaping @Sendable (String) -> String) async throws -> [String] {
        try await transcripts(
            services: { base in "{scilog: {url: \(base)/api/v1, token_env: ECHO_SCILOG_TOKEN, scopes: {x12sa: {logbook_id: lb1}}}}" },
            variables: { _ in ["ECHO_SCILOG_TOKEN": token] }, service: .scilog, scope: "x12sa",
            reply: { _ in .respond(status: 401, headers: [("Content-Type", "application/json")], body: Array(body(token).utf8)) })
    }

    static func expectNone(of fragments: [String], in texts: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        for text in texts {
            for fragment in fragments {
                #expect(!text.contains(fragment), "\(fragment) leaked in: \(text)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test("a Workflows sig value echoed on its own")
    func signatureAlone() async throws {
        let signature = "Qm9vZ3VzU2lnbmF0dXJl-\(UUID().uuidString.prefix(8))"
        let texts = try await Self.teamsTranscripts(signature: signature) { target in
            let sig = target.components(separatedBy: "sig=").last ?? ""
            return #"{"error": {"code": "DirectApiAuthorizationRequired", "message": "The signature '\#(sig)' is invalid."}}"#
        }
        #expect(texts.contains { $0.contains("<secret>") }, "the echo reached the texts, redacted")
        Self.expectNone(of: [signature], in: texts)
    }

    @Test("a sig value echoed percent-decoded, and JSON-escaped with \\uXXXX")
    func signatureDecodedAndUnicodeEscaped() async throws {
        let core = "S1gn4ture\(UUID().uuidString.prefix(8))"
        let signature = "\(core)%2Bx%2Fy%3D"
        let decoded = "\(core)+x/y="
        let texts = try await Self.teamsTranscripts(signature: signature) { _ in
            let escaped = decoded.unicodeScalars.map { String(format: "\\u%04x", $0.value) }.joined()
            return #"{"status": 403, "signature": "\#(escaped)", "note": "\#(decoded) rejected"}"#
        }
        let escapedPrefix = core.prefix(6).unicodeScalars.map { String(format: "\\u%04x", $0.value) }.joined()
        Self.expectNone(of: [core, escapedPrefix], in: texts)
    }

    @Test("a token echoed with JSON-escaped slashes, and percent-encoded")
    func tokenEscapedSlashesAndPercentEncoded() async throws {
        let core = UUID().uuidString
        let token = "tok/\(core)/+key"
        let texts = try await Self.sciLogTranscripts(token: token) { token in
            let slashes = token.replacingOccurrences(of: "/", with: #"\/"#)
            let percent = token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? token
            return #"{"statusCode": 401, "received": "Bearer \#(slashes)", "query": "access_token=\#(percent)"}"#
        }
        Self.expectNone(of: [core], in: texts)
    }

    @Test("a long error text is redacted before it is shortened: no prefix of the secret survives the cut")
    func redactBeforeCutting() async throws {
        let token = "cut-\(UUID().uuidString)-\(UUID().uuidString)"
        let texts = try await Self.sciLogTranscripts(token: token) { token in
            #"{"error": {"message": "\#(String(repeating: "x", count: 285)) \#(token) is not a valid token"}}"#
        }
        Self.expectNone(of: [String(token.prefix(10))], in: texts)
    }

    @Test("escape sequences in an error text never reach the terminal, the log or the outbox raw")
    func controlCharactersAreNeutralised() async throws {
        let hostile = "\u{1B}]0;pwned\u{07}\r\ndelivered a test message to teams/ops (HTTP 200)\n\u{1B}[2J\u{9B}31m\u{202E}"
        let texts = try await Self.teamsTranscripts(signature: "sig-\(UUID().uuidString)") { _ in hostile }
        Self.expectNone(of: ["\u{1B}", "\u{07}", "\u{9B}", "\u{202E}", "\r"], in: texts)
        for text in texts where text.hasPrefix("error: teams/ops") {
            #expect(text.split(separator: "\n").count == 1, "one line: \(text)")
        }
    }

    @Test("a refused SciLog or Signal url is never quoted with its user-info or query")
    func refusedURLIsNotQuotedWhole() async throws {
        let directory = try temporaryDirectory()
        for services in [
            "{scilog: {url: 'https://ops:hunter2pass@scilog.example.org/api/v1?key=querysecret1', token_env: T, scopes: {a: {logbook_id: b}}}}",
            "{scilog: {url: 'ftp://ops:hunter2pass@scilog.example.org/api/v1?key=querysecret1', token_env: T, scopes: {a: {logbook_id: b}}}}",
            "{signal: {url: 'http://ops:hunter2pass@127.0.0.1:8080/?key=querysecret1', scopes: {a: {recipients: ['+41791234567']}}}}",
        ] {
            try "services: \(services)".write(to: directory.appendingPathComponent("herald.yaml"), atomically: true, encoding: .utf8)
            let check = await CapturedCommand.run(["services", "check"], in: directory, variables: ["T": "x"])
            #expect(check.status == .configurationError, "\(check.error)")
            #expect(check.error.hasPrefix("error: ") && check.error.contains(".url"), "\(check.error)")
            Self.expectNone(of: ["hunter2pass", "querysecret1"], in: [check.outputText + check.error])
        }
    }
}

extension EchoedSecretTests {
    @Test("a reference the service chose is shown with its escape sequences neutralised")
    func referenceIsNeutralised() async throws {
        try await TestHTTPServer.with({ _ in .json(200, #"{"id": "\u001b]0;pwned\u0007snippet-1\r\ndelivered"}"#) }) { base in
            let directory = try temporaryDirectory()
            try "services: {scilog: {url: \(base)/api/v1, token_env: REF_TOKEN, scopes: {x12sa: {logbook_id: lb1}}}}"
                .write(to: directory.appendingPathComponent("herald.yaml"), atomically: true, encoding: .utf8)
            let sent = await CapturedCommand.run(["test", "scilog", "x12sa"], in: directory, variables: ["REF_TOKEN": "ref-token-1"])
            #expect(sent.status == .success, "\(sent.error)")
            #expect(sent.outputText.hasPrefix("delivered a test message to scilog/x12sa (HTTP 200, reference \\u{1B}]0;pwned\\u{7}snippet-1"))
            Self.expectNone(of: ["\u{1B}", "\u{07}", "\r"], in: [sent.outputText])
            #expect(sent.outputText.split(separator: "\n").count == 1)
        }
    }
}
