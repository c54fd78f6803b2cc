import Foundation
import Herald
@testable import HeraldDelivery
import HeraldTestSupport
import Testing

/// The tables of issue 17 on every storage: destinations created at run time with their version counter, toggle
/// overrides, publication keys, and what `herald outbox migrate` copies of them.
@Suite("outbox tables: destinations, toggles and publication keys on SQLite and PostgreSQL")
struct OutboxTablesTests {
    static func destination(_ name: String, settings: String = #"{"url":"x"}"#, sealed: Data? = Data([1, 2, 3])) -> StoredDestination {
        let time = Date(timeIntervalSince1970: 1_800_000_000)
        return StoredDestination(
            service: "markdown", name: name, settings: Array(settings.utf8), secretNames: sealed == nil ? [] : ["token"],
            sealedSecrets: sealed, createdAt: time, updatedAt: time)
    }

    @Test("destinations: inserted, refused when present or full, replaced, deleted unless routed; each change bumps the version once", arguments: OutboxBackend.available)
    func destinations(backend: OutboxBackend) async throws {
        let outbox = try backend.makeOutbox(in: temporaryDirectory())
        let empty = try #require(try await outbox.storedDestinations(unlessVersion: nil))
        #expect(empty.version == 0 && empty.rows.isEmpty)
        #expect(try await outbox.insert(Self.destination("lab"), limit: 2) == .done)
        #expect(try await outbox.insert(Self.destination("lab"), limit: 2) == .conflict)
        #expect(try await outbox.insert(Self.destination("ops", sealed: nil), limit: 2) == .done)
        #expect(try await outbox.insert(Self.destination("third"), limit: 2) == .full)
        var replacement = Self.destination("lab", settings: #"{"url":"y"}"#, sealed: Data([9]))
        replacement.updatedAt = Date(timeIntervalSince1970: 1_800_000_060)
        #expect(try await outbox.replace(replacement) == .done)
        #expect(try await outbox.replace(Self.destination("gone")) == .missing)
        let stored = try #require(try await outbox.storedDestinations(unlessVersion: 0))
        #expect(stored.version == 3)
        #expect(stored.rows.map(\.name) == ["lab", "ops"])
        #expect(stored.rows[0].settings == Array(#"{"url":"y"}"#.utf8) && stored.rows[0].sealedSecrets == Data([9]))
        #expect(stored.rows[0].createdAt.timeIntervalSince1970 == 1_800_000_000 && stored.rows[0].updatedAt.timeIntervalSince1970 == 1_800_000_060)
        #expect(stored.rows[1].sealedSecrets == nil && stored.rows[1].secretNames.isEmpty && stored.rows[0].secretNames == ["token"])
        #expect(try await outbox.storedDestinations(unlessVersion: 3) == nil, "an unchanged version reads no rows")

        try await outbox.setRoute(event: .printDone, service: .markdown, enabled: true, scopes: ["lab"])
        #expect(try await outbox.deleteDestination(service: "markdown", name: "lab") == .inUse(routes: 1, deliveries: 0))
        #expect(try await outbox.deleteDestination(service: "markdown", name: "ops") == .done)
        #expect(try await outbox.deleteDestination(service: "markdown", name: "ops") == .missing)
        #expect(try await outbox.storedDestinations(unlessVersion: 3)?.version == 4, "refusals change nothing")
    }

    @Test("toggle overrides: set, replaced, reset and filtered by service and scope", arguments: OutboxBackend.available)
    func toggles(backend: OutboxBackend) async throws {
        let outbox = try backend.makeOutbox(in: temporaryDirectory())
        let lab = Destination(service: .markdown, scope: "lab")
        try await outbox.setToggles([("print_done", false), ("heater_status", true)], for: lab)
        try await outbox.setToggles([("print_done", true)], for: Destination(service: .signal, scope: "oncall"))
        try await outbox.setToggles([("heater_status", false), ("print_done", nil)], for: lab)
        #expect(try await outbox.toggleOverrides() == [
            StoredToggle(service: "markdown", scope: "lab", feature: "heater_status", isOn: false),
            StoredToggle(service: "signal", scope: "oncall", feature: "print_done", isOn: true),
        ])
        #expect(try await outbox.toggleOverrides(service: "signal").map(\.scope) == ["oncall"])
        #expect(try await outbox.toggleOverrides(scope: "lab").map(\.service) == ["markdown"])
        #expect(try await outbox.toggleOverrides(service: "signal", scope: "lab").isEmpty)
    }

    @Test("a publication key: written with the notification, replayed for the same request, refused for another, forgotten after its window", arguments: OutboxBackend.available)
    func publicationKeys(backend: OutboxBackend) async throws {
        let notifier = try await OutboxStorageTests.notifier(backend)
        let outbox = notifier.outbox
        let key = try #require(PublicationKey(caller: "ci", key: "build-7", request: Array("body".utf8)))
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let message = NotificationMessage.plainText("Print 1 done")
        guard case .recorded(let first) = try await outbox.enqueue(event: .printDone, message: message, feature: nil, now: now, key: key) else {
            Issue.record("the first publication was not recorded"); return
        }
        #expect(first.deliveries.count == 2)
        let again = try await outbox.enqueue(event: .printDone, message: message, feature: nil, now: now.addingTimeInterval(60), key: key)
        #expect(again.receipt?.notificationID == first.notificationID)
        guard case .replayed = again else { Issue.record("not replayed: \(again)"); return }
        let other = try #require(PublicationKey(caller: "ci", key: "build-7", request: Array("another body".utf8)))
        #expect(try await outbox.enqueue(event: .printDone, message: message, feature: nil, now: now, key: other) == .keyReused(other))
        let elsewhere = try #require(PublicationKey(caller: "other-token", key: "build-7", request: Array("body".utf8)))
        guard case .recorded = try await outbox.enqueue(event: .printDone, message: message, feature: nil, now: now, key: elsewhere) else {
            Issue.record("another caller's key was not its own"); return
        }
        let later = now.addingTimeInterval(PublicationKey.window + 1)
        guard case .recorded(let fresh) = try await outbox.enqueue(event: .printDone, message: message, feature: nil, now: later, key: key) else {
            Issue.record("an expired key was not forgotten"); return
        }
        #expect(fresh.notificationID != first.notificationID)
        #expect(Set(try await outbox.deliveries().map(\.notificationID)).count == 3)
    }

    @Test("migrating copies destinations and toggles, keeping the target's own rows; publication keys stay behind", arguments: OutboxBackend.available)
    func migrateCopiesTables(backend: OutboxBackend) async throws {
        let source = try Outbox(path: temporaryDirectory().appendingPathComponent("source.sqlite").path)
        let target = try backend.makeOutbox(in: temporaryDirectory())
        #expect(try await source.insert(Self.destination("lab"), limit: 10) == .done)
        #expect(try await source.insert(Self.destination("ops"), limit: 10) == .done)
        #expect(try await target.insert(Self.destination("ops", settings: #"{"url":"target"}"#), limit: 10) == .done)
        try await source.setToggles([("print_done", false)], for: Destination(service: .markdown, scope: "lab"))
        try await target.setToggles([("print_done", true)], for: Destination(service: .markdown, scope: "lab"))
        try await source.setToggles([("heater_status", true)], for: Destination(service: .markdown, scope: "lab"))
        let key = try #require(PublicationKey(caller: "ci", key: "k", request: []))
        _ = try await source.enqueue(event: .printDone, message: .plainText("x"), feature: nil, now: Date(), key: key)

        _ = try await target.importTransfer(try await source.exportUnfinished())
        let copied = try #require(try await target.storedDestinations(unlessVersion: 1))
        #expect(copied.version == 2 && copied.rows.map(\.name) == ["lab", "ops"])
        #expect(copied.rows[0].sealedSecrets == Data([1, 2, 3]) && copied.rows[1].settings == Array(#"{"url":"target"}"#.utf8))
        #expect(try await target.toggleOverrides().map { "\($0.feature) \($0.isOn)" } == ["heater_status true", "print_done true"])
        guard case .recorded = try await target.enqueue(event: .printDone, message: .plainText("y"), feature: nil, now: Date(), key: key) else {
            Issue.record("the source's publication key was copied"); return
        }
        _ = try await target.importTransfer(try await source.exportUnfinished())
        #expect(try await target.storedDestinations(unlessVersion: nil)?.version == 2, "a second copy adds nothing")
    }
}
