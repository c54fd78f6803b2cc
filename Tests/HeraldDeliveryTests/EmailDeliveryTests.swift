import Foundation
import Herald
import HeraldCLI
import HeraldDelivery
import HeraldTestSupport
import Testing

/// The e-mail plugin against a real SMTP server (aiosmtpd, started by each test on 127.0.0.1): STARTTLS and implicit
/// TLS with a certificate the test generates, AUTH PLAIN and LOGIN, several recipients, 4xx retried and 5xx failed,
/// timeouts, and credentials never shown.
@Suite("E-mail delivery over SMTP", .requires(.aiosmtpd))
struct EmailDeliveryTests {
    static let user = "herald"
    /// A unique password, so that any leak is found by a plain search.
    static let password = "pw-\(UUID().uuidString)"
    static let variables = ["TEST_SMTP_USERNAME": user, "TEST_SMTP_PASSWORD": password]
    /// The password in every form it travels in: raw, base64, and AUTH PLAIN's response.
    static let passwordForms = [
        password, Data(password.utf8).base64EncodedString(), Data("\0\(user)\0\(password)".utf8).base64EncodedString(),
    ]

    /// A destinations file for the e-mail service at `server`.
    static func yaml(
        _ server: SMTPTestServer, security: String, host: String = "localhost", credentials: Bool = true, extra: String = "",
        recipients: [String] = ["ops@example.org", "oncall@example.org"]
    ) -> String {
        """
        services:
          email:
            host: \(host)
            port: \(server.port)
            security: \(security)
            ca_file: \(server.certificateFile)
        \(credentials ? "    username_env: TEST_SMTP_USERNAME\n    password_env: TEST_SMTP_PASSWORD\n" : "")\
            from: herald@example.org
            from_name: Printer farm
        \(extra.isEmpty ? "" : "    \(extra)\n")\
            scopes:
              operators: {to: [\(recipients.joined(separator: ", "))]}
        """
    }

    /// Routes `FailureAlert` to the scope, notifies `message` once and delivers.
    static func deliver(
        _ yaml: String, _ message: NotificationMessage, policy: DeliveryPolicy = fastPolicy()
    ) async throws -> (notifier: Notifier, summary: DeliveryRunSummary) {
        let notifier = try makeNotifier(try configuration(yaml, policy: policy), in: try temporaryDirectory(), environment: variables)
        try await notifier.setAutoNotifications(event: .failureAlert, service: .email, enabled: true, scopes: ["operators"])
        try await notifier.notify(.failureAlert, message)
        return (notifier, try await notifier.deliverPending())
    }

    /// The message without its `Date` line, which holds the time of sending.
    static func withoutDate(_ message: [UInt8]) -> String {
        String(decoding: message, as: UTF8.self).components(separatedBy: "\r\n").filter { !$0.hasPrefix("Date: ") }.joined(separator: "\r\n")
    }

    @Test("over STARTTLS with AUTH PLAIN, an e-mail with an inline image, a table, colored runs and two files reaches both recipients; Python parses it without defects and both alternatives show the fitted document")
    func startTLSWithEverything() async throws {
        try await SMTPTestServer.with(.startTLS, user: Self.user, password: Self.password) { server in
            let message = try EmailReader.sampleMessage()
            let (notifier, summary) = try await Self.deliver(Self.yaml(server, security: "starttls"), message)
            #expect(summary.delivered == 1)
            let delivery = try #require(try await notifier.outbox.deliveries().first)
            #expect(delivery.state == .delivered && delivery.attempts == 1)
            let received = try server.received()
            try #require(received.count == 1)
            let mail = received[0]
            #expect(mail.tls && mail.user == Self.user && mail.mechanism == "PLAIN")
            #expect(mail.mailFrom == "herald@example.org")
            #expect(mail.recipients == ["ops@example.org", "oncall@example.org"])
            #expect(mail.mailOptions == ["SIZE=\(mail.message.count)"])

            // Byte for byte the renderer's message, with the delivery's recipients and Message-ID.
            let messageID = "\(delivery.idempotencyKey)@example.org"
            #expect(delivery.reference == "<\(messageID)>")
            let headers = EmailHeaders(
                from: try EmailAddress(validating: "herald@example.org", displayName: "Printer farm"),
                to: try ["ops@example.org", "oncall@example.org"].map { try EmailAddress(validating: $0) }, date: Date(), messageID: messageID)
            let renderer = EmailRenderer(headers: headers)
            let rendering = try renderer.render(try message.withEvent("FailureAlert"))
            #expect(Self.withoutDate(mail.message) == Self.withoutDate(rendering.payload.body))

            let read = try #require(try EmailReader.read(files: [mail.file.path]).first)
            #expect(read.problems == [])
            #expect(read.subject == "Sample mount failed on printer 3")
            #expect(read.from == "Printer farm <herald@example.org>")
            #expect(read.messageID == "<\(messageID)>")
            let tree = read.tree.split(separator: "\n").map(String.init)
            try #require(tree.count == 8, "\(read.tree)")
            #expect(Array(tree.prefix(3)) == ["multipart/mixed", "  multipart/related", "    multipart/alternative"])
            #expect(tree[3].hasPrefix("      text/plain quoted-printable, ") && tree[4].hasPrefix("      text/html quoted-printable, "))
            #expect(Array(tree.suffix(3)) == [
                "    image/png inline \"snapshot.png\" <part1.\(messageID)> base64, 70 bytes",
                "  application/pdf attachment \"report.pdf\" <part2.\(messageID)> base64, 15 bytes",
                "  text/plain attachment \"Prüfprotokoll.txt\" <part3.\(messageID)> base64, 14 bytes",
            ])
            let document = rendering.fittedDocument
            #expect(read.text == EmailReader.expectedText(for: document))
            #expect(EmailReader.blocks(fromHTML: read.html ?? "", parts: read.parts) == EmailReader.expectedBlocks(for: document))
            #expect(EmailReader.expectedBlocks(for: document).contains { if case .image = $0 { true } else { false } })
        }
    }

    @Test("implicit TLS with AUTH LOGIN to an address checked against the certificate")
    func implicitTLSWithLogin() async throws {
        try await SMTPTestServer.with(.tls, user: Self.user, password: Self.password) { server in
            let yaml = Self.yaml(server, security: "tls", host: "127.0.0.1", extra: "auth: login")
            let (_, summary) = try await Self.deliver(yaml, try sampleMessage(3))
            #expect(summary.delivered == 1)
            let received = try server.received()
            #expect(received.map(\.mechanism) == ["LOGIN"])
            #expect(received.first?.tls == true)
        }
    }

    @Test("plain SMTP without credentials to a relay on the same machine")
    func plainRelay() async throws {
        try await SMTPTestServer.with(.plain) { server in
            let yaml = Self.yaml(server, security: "none", host: "127.0.0.1", credentials: false)
            let (_, summary) = try await Self.deliver(yaml, try sampleMessage(4))
            #expect(summary.delivered == 1)
            let received = try server.received()
            #expect(received.count == 1 && received.first?.tls == false && received.first?.user == nil)
        }
    }

    @Test("a refused recipient (550) fails the delivery at once and nobody receives the message")
    func refusedRecipient() async throws {
        try await SMTPTestServer.with(.startTLS, user: Self.user, password: Self.password) { server in
            let yaml = Self.yaml(server, security: "starttls", recipients: ["ops@example.org", "refuse-me@example.org"])
            let (notifier, summary) = try await Self.deliver(yaml, try sampleMessage(5))
            #expect(summary.failed == 1)
            let delivery = try #require(try await notifier.outbox.deliveries().first)
            #expect(delivery.attempts == 1)
            #expect(delivery.lastError?.hasPrefix("SMTP localhost:\(server.port): recipients refused, nothing sent: refuse-me@example.org (550 5.1.1") == true, "\(delivery.lastError ?? "")")
            #expect(try server.received().isEmpty)
        }
    }

    @Test("a greylisted recipient (450) and a temporary failure after DATA (451) are retried; each message arrives once, with the same Message-ID", arguments: ["greylist@example.org", "tempfail@example.org"])
    func temporaryFailuresAreRetried(_ recipient: String) async throws {
        try await SMTPTestServer.with(.startTLS, user: Self.user, password: Self.password) { server in
            let yaml = Self.yaml(server, security: "starttls", recipients: ["ops@example.org", recipient])
            let (notifier, summary) = try await Self.deliver(yaml, try sampleMessage(6))
            #expect(summary.retried == 1 && summary.delivered == 1)
            let delivery = try #require(try await notifier.outbox.deliveries().first)
            #expect(delivery.state == .delivered && delivery.attempts == 2)
            let received = try server.received()
            try #require(received.count == 1)
            #expect(received[0].recipients == ["ops@example.org", recipient])
            #expect(String(decoding: received[0].message, as: UTF8.self).contains("\r\nMessage-ID: <\(delivery.idempotencyKey)@example.org>\r\n"))
        }
    }

    @Test("a wrong password (535) fails at once; the server's echo of the password, raw or base64, is never stored or logged")
    func credentialsNeverShown() async throws {
        try await SMTPTestServer.with(.startTLS, user: Self.user, password: "another-password") { server in
            let (notifier, summary) = try await Self.deliver(Self.yaml(server, security: "starttls"), try sampleMessage(7))
            #expect(summary.failed == 1)
            let delivery = try #require(try await notifier.outbox.deliveries().first)
            #expect(delivery.attempts == 1)
            #expect(delivery.lastError?.contains("AUTH PLAIN: 535") == true, "\(delivery.lastError ?? "")")
        }
        try await SMTPTestServer.with(.startTLS, user: Self.user, password: Self.password) { server in
            let directory = try temporaryDirectory()
            let file = directory.appendingPathComponent("herald.yaml")
            try ("outbox: outbox.sqlite\ndelivery: {request_timeout: 30}\n" + Self.yaml(server, security: "starttls", recipients: ["echo@example.org"]))
                .write(to: file, atomically: true, encoding: .utf8)
            let library = try await LibraryTranscript(
                configurationPath: file.path, variables: Self.variables, message: try sampleMessage(8),
                destination: Destination(service: .email, scope: "operators"))
            #expect(library.testFailure?.contains("550 5.7.1 refused; you sent <secret> (<secret>, <secret>)") == true, "\(library.testFailure ?? "")")
            for text in library.all {
                for form in Self.passwordForms { #expect(!text.contains(form), "the password leaked in: \(text)") }
            }
        }
    }

    @Test("STARTTLS is never skipped: a server that does not offer it gets nothing, not even the password")
    func startTLSRequired() async throws {
        try await SMTPTestServer.with(.plain, user: Self.user, password: Self.password) { server in
            let (notifier, summary) = try await Self.deliver(Self.yaml(server, security: "starttls"), try sampleMessage(9))
            #expect(summary.failed == 1)
            let delivery = try #require(try await notifier.outbox.deliveries().first)
            #expect(delivery.lastError == "SMTP localhost:\(server.port): the server does not offer STARTTLS, and security is starttls")
            #expect(try server.received().isEmpty)
        }
    }

    @Test("a reply injected after STARTTLS's 220, before TLS starts, ends the session without a retry")
    func startTLSInjection() async throws {
        try await SMTPTestServer.with(.inject) { server in
            let (notifier, summary) = try await Self.deliver(Self.yaml(server, security: "starttls"), try sampleMessage(13))
            #expect(summary.failed == 1)
            let delivery = try #require(try await notifier.outbox.deliveries().first)
            #expect(delivery.attempts == 1)
            #expect(delivery.lastError == "SMTP localhost:\(server.port): the server sent data after accepting STARTTLS, before TLS began: refusing to go on")
        }
    }

    @Test("a certificate nobody vouches for fails the TLS handshake, retried like a connection failure")
    func untrustedCertificate() async throws {
        try await SMTPTestServer.with(.tls, user: Self.user, password: Self.password) { server in
            let yaml = Self.yaml(server, security: "tls").replacingOccurrences(of: "    ca_file: \(server.certificateFile)\n", with: "")
            let (notifier, summary) = try await Self.deliver(yaml, try sampleMessage(10), policy: fastPolicy(maximumAttempts: 1))
            #expect(summary.failed == 1)
            let delivery = try #require(try await notifier.outbox.deliveries().first)
            #expect(delivery.lastError?.hasPrefix("gave up after 1 attempts: SMTP localhost:\(server.port): TLS handshake failed") == true, "\(delivery.lastError ?? "")")
        }
    }

    @Test("a server that never answers: the session ends at the request timeout and is retried")
    func timeout() async throws {
        try await SMTPTestServer.with(.silent) { server in
            let yaml = Self.yaml(server, security: "none", host: "127.0.0.1", credentials: false)
            let (notifier, summary) = try await Self.deliver(yaml, try sampleMessage(11), policy: fastPolicy(requestTimeout: .milliseconds(300), maximumAttempts: 1))
            #expect(summary.failed == 1)
            let delivery = try #require(try await notifier.outbox.deliveries().first)
            #expect(delivery.lastError == "gave up after 1 attempts: SMTP 127.0.0.1:\(server.port): no response before the timeout")
        }
    }

    @Test("a message larger than the server's SIZE is refused before it is sent")
    func sizeExtension() async throws {
        try await SMTPTestServer.with(.startTLS, user: Self.user, password: Self.password, sizeLimit: 2_000) { server in
            let (notifier, summary) = try await Self.deliver(Self.yaml(server, security: "starttls"), try EmailReader.sampleMessage())
            #expect(summary.failed == 1)
            let delivery = try #require(try await notifier.outbox.deliveries().first)
            #expect(delivery.lastError?.contains("; the server takes at most 2000 (SIZE)") == true, "\(delivery.lastError ?? "")")
            #expect(try server.received().isEmpty)
        }
    }

    @Test("nothing listening: connection refused, retried")
    func connectionRefused() async throws {
        let port = try await SMTPTestServer.with(.plain) { $0.port }
        let yaml = """
            services:
              email: {host: 127.0.0.1, port: \(port), security: none, from: herald@example.org, scopes: {operators: {to: [ops@example.org]}}}
            """
        let (notifier, summary) = try await Self.deliver(yaml, try sampleMessage(12), policy: fastPolicy(maximumAttempts: 1))
        #expect(summary.failed == 1)
        #expect(try await notifier.outbox.deliveries().first?.lastError == "gave up after 1 attempts: SMTP 127.0.0.1:\(port): connection refused")
    }

    @Test("herald services check masks the password; herald test sends the test message")
    func commandLine() async throws {
        try await SMTPTestServer.with(.startTLS, user: Self.user, password: Self.password) { server in
            let directory = try temporaryDirectory()
            // A timeout that leaves room for a busy machine, as fastPolicy() does for the library's tests.
            try ("outbox: outbox.sqlite\ndelivery: {request_timeout: 30}\n" + Self.yaml(server, security: "starttls"))
                .write(to: directory.appendingPathComponent("herald.yaml"), atomically: true, encoding: .utf8)
            let check = await CapturedCommand.run(["services", "check"], in: directory, variables: Self.variables)
            #expect(check.status == .success)
            #expect(check.outputText.contains("email: ok\n  scopes: operators\n  TEST_SMTP_USERNAME (SMTP user name): = herald\n  TEST_SMTP_PASSWORD (SMTP password): set (secret, not shown)\n"), "\(check.outputText)")
            let sent = await CapturedCommand.run(["test", "email", "operators"], in: directory, variables: Self.variables)
            #expect(sent.status == .success, "\(sent.error)")
            #expect(sent.outputText.hasPrefix("delivered a test message to email/operators (HTTP 250, reference <"), "\(sent.outputText)")
            let received = try server.received()
            #expect(received.count == 1)
            let text = String(decoding: received.first?.message ?? [], as: UTF8.self)
            #expect(text.contains("\r\nSubject: Herald test message\r\n"))
            for text in [check.outputText, check.error, sent.outputText, sent.error] {
                for form in Self.passwordForms { #expect(!text.contains(form)) }
            }
        }
    }

    @Test("the destinations file: each setting is checked and named, no secret inline, no password without TLS to another host")
    func configurationErrors() throws {
        func error(_ email: String) -> String? {
            do {
                _ = try configuration("services: {email: {\(email)}}")
                return nil
            } catch {
                return "\(error)"
            }
        }
        let base = "host: smtp.example.org, from: herald@example.org, scopes: {ops: {to: [ops@example.org]}}"
        #expect(error(base) == nil)
        #expect(error(base + ", password: hunter2")?.contains("services.email.password: secrets are never written in the destinations file") == true)
        #expect(error(base + ", username_env: SMTP_USER")?.contains("services.email.password_env: is required with username_env") == true)
        #expect(error(base + ", security: none, username_env: U, password_env: P")?.contains("services.email.security: none would send the password without TLS") == true)
        #expect(error("host: 127.0.0.1, security: none, username_env: U, password_env: P, from: a@example.org, scopes: {ops: {to: [ops@example.org]}}") == nil)
        #expect(error(base + ", security: ssl")?.contains("services.email.security: unknown security \"ssl\"") == true)
        #expect(error(base + ", auth: cram-md5, username_env: U, password_env: P")?.contains("services.email.auth: unknown mechanism") == true)
        #expect(error(base.replacingOccurrences(of: "smtp.example.org", with: "smtp://smtp.example.org"))?.contains("services.email.host:") == true)
        #expect(error(base.replacingOccurrences(of: "from: herald@example.org", with: "from: herald"))?.contains("services.email.from:") == true)
        #expect(error(base.replacingOccurrences(of: "[ops@example.org]", with: "[ops@example.org, \"x@y z\"]"))?.contains("services.email.scopes.ops.to[1]:") == true)
        #expect(error(base + ", ca_file: relative.pem")?.contains("services.email.ca_file:") == true)
        #expect(error(base + ", port: 70000")?.contains("services.email.port:") == true)
    }
}
