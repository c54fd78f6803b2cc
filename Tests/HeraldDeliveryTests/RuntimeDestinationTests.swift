import Foundation
import Herald
import HeraldCore
@testable import HeraldDelivery
import HeraldTestSupport
import Testing

/// Destinations created at run time through the library: merged with the file's service-wide settings, replaced,
/// removed, and what happens to deliveries when a stored destination's secrets no longer open.
@Suite("destinations created at run time, in the library")
struct RuntimeDestinationTests {
    @Test("a Telegram destination gives only its chat; the bot token is the file's variable; replacing changes where it goes")
    func mergedWithServiceWideSettings() async throws {
        let log = TelegramDeliveryTests.CallLog()
        try await TestHTTPServer.with(TelegramDeliveryTests.botAPI(log)) { base in
            let notifier = try TelegramDeliveryTests.notifier(base: base)
            let anna = Destination(service: .telegram, scope: "anna")
            let created = try await notifier.addDestination(anna, config: ["chat_id": "@another_channel"])
            #expect(created.origin == .api && created.settings == ["chat_id": "@another_channel"] && created.secretNames.isEmpty)
            // The bot token is service-wide: a destination's config cannot set it.
            await #expect(throws: DestinationError.invalid(path: "config.token_env", reason: "unknown setting")) {
                try await notifier.replaceDestination(anna, config: ["chat_id": -1001234567890, "token_env": "TEST_TELEGRAM_TOKEN"])
            }
            let replaced = try await notifier.replaceDestination(anna, config: ["chat_id": -1001234567890])
            #expect(replaced.settings == ["chat_id": -1001234567890])

            try await notifier.setAutoNotifications(event: .printDone, service: .telegram, enabled: true, scopes: ["anna"])
            try await notifier.notify(.printDone, "Benchy done")
            #expect(try await notifier.deliverPending().delivered == 1)
            let call = try #require(await log.calls.first)
            #expect(call.method == "sendMessage" && call.parameters["chat_id"] == "-1001234567890")
            #expect(call.request.path == "/bot\(TelegramDeliveryTests.token)/sendMessage")

            await #expect(throws: DestinationError.conflict(
                "telegram/anna is still named by 1 route; unset its routes ('herald routes unset') and drop its deliveries ('herald outbox drop') first")) {
                try await notifier.removeDestination(anna)
            }
            try await notifier.setAutoNotifications(event: .printDone, service: .telegram, enabled: false, scopes: [])
            try await notifier.removeDestination(anna)
            #expect(try await notifier.listDestinations().map(\.destination.scope) == ["elsewhere", "farm"])
            #expect(try await notifier.orphans().isEmpty)
        }
    }

    @Test("a stored destination whose secrets another key sealed is listed with the problem, and its delivery fails with it")
    func sealedWithAnotherKey() async throws {
        let directory = try temporaryDirectory()
        let outboxPath = directory.appendingPathComponent("outbox.sqlite").path
        let yaml = "destinations: {secret_key_env: KEY}\nservices: {markdown: {scopes: {chat: {url_env: CHAT_URL}}}}"
        func notifier(key: Data) throws -> Notifier {
            Notifier(
                configuration: try configuration(yaml), outbox: try Outbox(path: outboxPath),
                environment: DeliveryEnvironment(["KEY": key.base64EncodedString(), "CHAT_URL": "http://127.0.0.1:9/chat"]))
        }
        let first = try notifier(key: Data(repeating: 1, count: 32))
        let lab = Destination(service: .markdown, scope: "lab")
        try await first.addDestination(lab, config: ["url": "http://127.0.0.1:9/hooks/lab-secret-path"])
        try await first.setAutoNotifications(event: .printDone, service: .markdown, enabled: true, scopes: ["lab"])
        try await first.notify(.printDone, "Benchy done")

        let second = try notifier(key: Data(repeating: 2, count: 32))
        await #expect(throws: DeliveryError.self) { try await second.checkStoredDestinations() }
        let listed = try #require(try await second.listDestinations().last)
        #expect(listed.destination == lab && listed.problem?.contains("does not open its secrets") == true)
        #expect(try await second.deliverPending().failed == 1)
        let failed = try #require(try await second.outbox.deliveries().first)
        #expect(failed.lastError == "markdown/lab cannot be used: the key in environment variable KEY does not open its secrets: they were sealed with another key")
        #expect(try await second.orphans().routes.isEmpty)
    }
}
