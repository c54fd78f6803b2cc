import Foundation
import Herald
import HeraldDelivery
import HeraldTestSupport
import Testing

/// Redirects are judged by Herald, not followed by the HTTP client: a webhook `POST` is never turned into a `GET`,
/// and only a success from the service counts.
@Suite("redirects")
struct RedirectTests {
    static let variable = "REDIRECT_TEST_HOOK_URL"

    /// Routes `PrintDone` to one Markdown webhook at `url`, notifies once and delivers.
    static func deliverOnce(to url: String, environment extra: [String: String] = [:]) async throws -> DeliveryStatus {
        let config = try configuration("services: {markdown: {scopes: {chat: {url_env: \(variable)}}}}", policy: fastPolicy(maximumAttempts: 1))
        let notifier = try makeNotifier(config, in: try temporaryDirectory(), environment: [variable: url].merging(extra) { $1 })
        try await notifier.setAutoNotifications(event: .printDone, service: .markdown, enabled: true, scopes: ["chat"])
        try await notifier.notify(.printDone, "Benchy finished")
        try await notifier.deliverPending()
        return try #require(try await notifier.outbox.deliveries().first)
    }

    @Test("a 302 is not followed: the delivery fails naming the redirect, and the new location gets nothing")
    func found302IsAFailure() async throws {
        let landing = KeyLedger()
        try await TestHTTPServer.with(Receivers.markdownWebhook(landing)) { other in
            let location = "\(other)/landing?token=location-secret-0c1d"
            try await TestHTTPServer.with({ _ in .respond(status: 302, headers: [("Location", location)]) }) { base in
                let delivery = try await Self.deliverOnce(to: base + "/hook")
                #expect(delivery.state == .failed)
                let reason = try #require(delivery.lastError)
                #expect(reason.contains("HTTP 302") && reason.contains("redirect"), "\(reason)")
                #expect(!reason.contains("location-secret-0c1d") && !reason.contains("/landing"), "\(reason)")
                #expect(await landing.seen == 0)
            }
        }
    }

    @Test("307 and 308 re-send the same method, body and key to the new location, relative or absolute")
    func temporaryAndPermanentRedirectsKeepTheBody() async throws {
        for status in [307, 308] {
            let landing = KeyLedger()
            try await TestHTTPServer.with(Receivers.markdownWebhook(landing)) { other in
                let first = KeyLedger()
                // First a relative Location on the same server, then an absolute one to another server.
                try await TestHTTPServer.with({ request in
                    await first.accept(request)
                    if request.path == "/hook" { return .respond(status: status, headers: [("Location", "/moved")]) }
                    return .respond(status: status, headers: [("Location", other + "/landing")])
                }) { base in
                    let delivery = try await Self.deliverOnce(to: base + "/hook")
                    #expect(delivery.state == .delivered, "\(delivery.lastError ?? "")")
                    let hops = await first.accepted
                    #expect(hops.map(\.path) == ["/hook", "/moved"])
                    let arrived = try #require(await landing.accepted.first)
                    #expect(arrived.method == "POST")
                    #expect(arrived.path == "/landing")
                    #expect(arrived.body == hops[0].body && arrived.text.contains("Benchy finished"))
                    #expect(arrived.idempotencyKey == delivery.idempotencyKey)
                }
            }
        }
    }

    @Test("a redirect to another origin does not carry the SciLog token along")
    func authorizationStaysWithItsOrigin() async throws {
        let landing = KeyLedger()
        try await TestHTTPServer.with({ request in
            await landing.accept(request)
            return .json(200, #"{"id": "snippet-1"}"#)
        }) { other in
            try await TestHTTPServer.with({ _ in .respond(status: 307, headers: [("Location", other + "/api/v1/basesnippets")]) }) { base in
                let config = try configuration(
                    "services: {scilog: {url: \(base)/api/v1, token_env: SCILOG_TOKEN, scopes: {x12sa: {logbook_id: lb1}}}}",
                    policy: fastPolicy(maximumAttempts: 1))
                let notifier = try makeNotifier(config, in: try temporaryDirectory(), environment: ["SCILOG_TOKEN": "token-5ec7e7"])
                try await notifier.setAutoNotifications(event: .printDone, service: .scilog, enabled: true, scopes: ["x12sa"])
                try await notifier.notify(.printDone, "Benchy finished")
                try await notifier.deliverPending()
                let arrived = try #require(await landing.accepted.first)
                #expect(arrived.header("Authorization") == nil)
                #expect(arrived.method == "POST" && arrived.text.contains("Benchy finished"))
            }
        }
    }

    @Test("redirects are bounded: a service redirecting to itself fails the delivery")
    func redirectLoop() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with({ request in
            await ledger.saw()
            return .respond(status: 307, headers: [("Location", request.path)])
        }) { base in
            let delivery = try await Self.deliverOnce(to: base + "/hook")
            #expect(delivery.state == .failed)
            #expect(delivery.lastError?.contains("redirect") == true, "\(delivery.lastError ?? "")")
            #expect(await ledger.seen <= 6)
        }
    }

    @Test("herald test reports a 302 as a failure, not as delivered")
    func testCommandReportsTheRedirect() async throws {
        let landing = KeyLedger()
        try await TestHTTPServer.with(Receivers.markdownWebhook(landing)) { other in
            try await TestHTTPServer.with({ _ in .respond(status: 302, headers: [("Location", other + "/landing")]) }) { base in
                let directory = try temporaryDirectory()
                try "services: {markdown: {scopes: {chat: {url_env: \(Self.variable)}}}}"
                    .write(to: directory.appendingPathComponent("herald.yaml"), atomically: true, encoding: .utf8)
                let result = await CapturedCommand.run(["test", "markdown", "chat"], in: directory, variables: [Self.variable: base + "/hook"])
                #expect(result.status == .deliveryFailed)
                #expect(result.outputText.isEmpty)
                #expect(result.error.hasPrefix("error: markdown/chat: HTTP 302") && result.error.contains("redirect"), "\(result.error)")
                #expect(await landing.seen == 0)
            }
        }
    }
}
