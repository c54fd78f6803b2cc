import Foundation
import Herald
import HeraldDelivery
import HeraldTestSupport
import Testing

/// A secret (a webhook URL, a bearer token) travels only over https, or to a loopback address where nothing leaves
/// the machine.
@Suite("secrets only over https, or to loopback")
struct TransportSecurityTests {
    static func scilog(url: String) -> String {
        "services: {scilog: {url: '\(url)', token_env: SCILOG_TOKEN, scopes: {x12sa: {logbook_id: lb1}}}}"
    }

    @Test("a SciLog url in plain http to another host is refused when the file is read; loopback and https are fine")
    func sciLogURLInTheFile() throws {
        #expect(throws: ConfigurationError.self) { try DeliveryConfiguration(yaml: Self.scilog(url: "http://scilog.example.org/api/v1")) }
        #expect(throws: ConfigurationError.self) { try DeliveryConfiguration(yaml: Self.scilog(url: "http://10.0.0.7:8080/api/v1")) }
        #expect(throws: ConfigurationError.self) { try DeliveryConfiguration(yaml: Self.scilog(url: "http://127.0.0.1.example.org/api/v1")) }
        for url in [
            "https://scilog.example.org/api/v1", "http://127.0.0.1:3000/api/v1", "http://127.8.9.10/api/v1", "http://localhost:3000/api/v1",
            "http://LOCALHOST/api", "http://[::1]:3000/api/v1",
        ] {
            #expect(throws: Never.self, "\(url)") { try DeliveryConfiguration(yaml: Self.scilog(url: url)) }
        }
    }

    @Test("herald services check exits 78 with one clear line for a SciLog url in plain http")
    func servicesCheckRefusesPlainHTTP() async throws {
        let directory = try temporaryDirectory()
        try Self.scilog(url: "http://scilog.example.org/api/v1")
            .write(to: directory.appendingPathComponent("herald.yaml"), atomically: true, encoding: .utf8)
        let check = await CapturedCommand.run(["services", "check"], in: directory, variables: ["SCILOG_TOKEN": "t"])
        #expect(check.status == .configurationError)
        #expect(check.error.hasPrefix("error: ") && check.error.contains("services.scilog.url") && check.error.contains("https"), "\(check.error)")
        #expect(check.error.split(separator: "\n").count == 1)
    }

    @Test("a webhook URL in plain http to another host is refused at send time and never sent")
    func webhookURLFromTheEnvironment() async throws {
        for (service, yaml) in [
            (Service.markdown, "services: {markdown: {scopes: {chat: {url_env: PLAIN_HOOK}}}}"),
            (Service.teams, "services: {teams: {scopes: {chat: {webhook_url_env: PLAIN_HOOK}}}}"),
        ] {
            let transport = RecordingTransport()
            let directory = try temporaryDirectory()
            let notifier = Notifier(
                configuration: try configuration(yaml, policy: fastPolicy(maximumAttempts: 3)),
                outbox: try Outbox(path: directory.appendingPathComponent("outbox.sqlite").path), transport: transport,
                environment: DeliveryEnvironment(["PLAIN_HOOK": "http://chat.example.org/hooks/plain-secret-71"]))
            try await notifier.setAutoNotifications(event: .printDone, service: service, enabled: true, scopes: ["chat"])
            try await notifier.notify(.printDone, "Benchy finished")
            #expect(try await notifier.deliverPending() == DeliveryRunSummary(delivered: 0, retried: 0, failed: 1))
            let delivery = try #require(try await notifier.outbox.deliveries().first)
            #expect(delivery.attempts == 1, "refused, not retried")
            let reason = try #require(delivery.lastError)
            #expect(reason.contains("https") && !reason.contains("plain-secret-71"), "\(reason)")
            #expect(transport.requests.isEmpty)
        }
    }

    @Test("herald services check exits 78 for a webhook URL that will be refused, without showing it")
    func servicesCheckRefusesAPlainHTTPWebhookURL() async throws {
        let directory = try temporaryDirectory()
        try "services: {teams: {scopes: {ops: {webhook_url_env: CHECK_HOOK}}}}"
            .write(to: directory.appendingPathComponent("herald.yaml"), atomically: true, encoding: .utf8)
        for (url, refusal) in [
            ("http://chat.example.org/hooks/check-secret-93", "refused: plain http to a host that is not a loopback address: a secret URL must use https"),
            ("chat.example.org/hooks/check-secret-93", "refused: not an http or https URL"),
        ] {
            let check = await CapturedCommand.run(["services", "check"], in: directory, variables: ["CHECK_HOOK": url])
            #expect(check.status == .configurationError)
            #expect(check.outputText.contains("CHECK_HOOK (Teams webhook URL of scope ops): set (secret, not shown); \(refusal)\n"), "\(check.outputText)")
            #expect(check.error == "error: environment variable CHECK_HOOK will be refused when sending; see above\n")
            #expect(!(check.outputText + check.error).contains("check-secret-93"))
        }
        let fine = await CapturedCommand.run(["services", "check"], in: directory, variables: ["CHECK_HOOK": "https://chat.example.org/hooks/x"])
        #expect(fine.status == .success, "\(fine.error)")
    }

    @Test("a redirect from a loopback webhook to plain http elsewhere is refused, not followed")
    func redirectToPlainHTTPElsewhere() async throws {
        try await TestHTTPServer.with({ _ in .respond(status: 307, headers: [("Location", "http://chat.example.org/hooks/moved")]) }) { base in
            let delivery = try await RedirectTests.deliverOnce(to: base + "/hooks/loop-secret-42")
            #expect(delivery.state == .failed)
            let reason = try #require(delivery.lastError)
            #expect(reason.contains("https") && !reason.contains("loop-secret-42"), "\(reason)")
        }
    }
}
