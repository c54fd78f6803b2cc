import Foundation
import Herald
import HeraldDelivery
import Testing

@Suite("routes")
struct RoutesTests {
    static let yaml = """
        services:
          markdown: {scopes: {lab-chat: {url_env: A}, ops-chat: {url_env: B}}}
          signal: {url: "http://127.0.0.1:1", scopes: {oncall: {recipients: ["+41791234567"]}}}
        """

    @Test("set replaces a route's scopes, unset removes some or all, and routes persist in the outbox file")
    func setAndUnset() async throws {
        let directory = try temporaryDirectory()
        let notifier = try makeNotifier(try configuration(Self.yaml), in: directory)
        try await notifier.setAutoNotifications(event: .scanCompleted, service: .markdown, enabled: true, scopes: ["lab-chat"])
        try await notifier.setAutoNotifications(event: .scanCompleted, service: .markdown, enabled: true, scopes: ["ops-chat", "lab-chat"])
        try await notifier.setAutoNotifications(event: .alarmMajor, service: .signal, enabled: true, scopes: ["oncall"])
        #expect(try await notifier.routes() == [
            Route(event: .alarmMajor, service: .signal, scopes: ["oncall"]),
            Route(event: .scanCompleted, service: .markdown, scopes: ["lab-chat", "ops-chat"]),
        ])
        try await notifier.setAutoNotifications(event: .scanCompleted, service: .markdown, enabled: false, scopes: ["ops-chat"])
        try await notifier.setAutoNotifications(event: .alarmMajor, service: .signal, enabled: false, scopes: [])
        let reopened = try makeNotifier(try configuration(Self.yaml), in: directory)
        #expect(try await reopened.routes() == [Route(event: .scanCompleted, service: .markdown, scopes: ["lab-chat"])])
    }

    @Test("an event without a route is sent nowhere and records nothing")
    func noRoute() async throws {
        let notifier = try makeNotifier(try configuration(Self.yaml), in: try temporaryDirectory())
        let receipt = try await notifier.notify("sample_mount_failed", "nobody listens")
        #expect(receipt.notificationID == nil && receipt.deliveries.isEmpty)
        #expect(try await notifier.outbox.deliveries().isEmpty)
    }

    @Test("routes name configured scopes only, and a refused change leaves the routes as they were")
    func refused() async throws {
        let notifier = try makeNotifier(try configuration(Self.yaml), in: try temporaryDirectory())
        try await notifier.setAutoNotifications(event: .printDone, service: .markdown, enabled: true, scopes: ["lab-chat"])
        await #expect(throws: DeliveryError.invalidRoute(#"markdown has no scope "typo"; configured: lab-chat, ops-chat"#)) {
            try await notifier.setAutoNotifications(event: .printDone, service: .markdown, enabled: true, scopes: ["ops-chat", "typo"])
        }
        await #expect(throws: DeliveryError.invalidRoute("name at least one scope of markdown to route PrintDone to")) {
            try await notifier.setAutoNotifications(event: .printDone, service: .markdown, enabled: true, scopes: [])
        }
        #expect(try await notifier.routes() == [Route(event: .printDone, service: .markdown, scopes: ["lab-chat"])])
    }

    @Test("concurrent route changes are atomic: every reader sees one whole scope set or the other")
    func atomicUpdates() async throws {
        let notifier = try makeNotifier(try configuration(Self.yaml), in: try temporaryDirectory())
        let sets: [[String]] = [["lab-chat"], ["lab-chat", "ops-chat"]]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for round in 0..<40 {
                group.addTask {
                    try await notifier.setAutoNotifications(event: .newScan, service: .markdown, enabled: true, scopes: sets[round % 2])
                }
                group.addTask {
                    let scopes = try await notifier.routes().first?.scopes
                    #expect(scopes.map(sets.contains) ?? true)
                }
            }
            try await group.waitForAll()
        }
    }
}
