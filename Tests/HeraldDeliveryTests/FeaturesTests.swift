import Foundation
import Herald
import HeraldDelivery
import Testing

/// Features (named groups of events), each plugin's support, and the per-destination toggles in the outbox.
@Suite("features and toggles")
struct FeaturesTests {
    static let yaml = """
        services:
          markdown: {scopes: {lab-chat: {url_env: A}, ops-chat: {url_env: B}}}
          signal: {url: "http://127.0.0.1:1", scopes: {oncall: {recipients: ["+41791234567"]}}}
        """

    // MARK: The model

    @Test("built in: the printer farm's six with its defaults, then BEC's alarms and scans; named by id or printer-farm name")
    func builtIn() {
        let catalogue = FeatureCatalogue.builtIn
        #expect(catalogue.features.map(\.id) == [
            "failure_alert", "print_done", "print_cancelled", "filament_change", "other_print_events", "heater_status", "alarms", "scans",
        ])
        #expect(catalogue.features.filter(\.isOnByDefault).map(\.id) == ["failure_alert", "print_done", "filament_change", "alarms", "scans"])
        #expect(catalogue.feature(of: .printPaused)?.id == "other_print_events")
        #expect(catalogue.feature(of: .heaterTargetReached)?.id == "heater_status")
        #expect(catalogue.feature(of: .scanInterlock)?.id == "alarms")
        #expect(catalogue.feature(of: .newScan)?.id == "scans")
        #expect(catalogue.feature(of: "sample_mount_failed") == nil)
        #expect(catalogue.feature(named: "notify_on_heater_status")?.id == "heater_status")
        #expect(catalogue.feature(named: "print_done")?.seedName == "notify_on_print_done")
        #expect(catalogue.feature(named: "PrintDone") == nil)
        // Every built-in event is in exactly one feature.
        let grouped = catalogue.features.flatMap(\.events)
        #expect(Set(grouped) == Set(NotificationEvent.builtIn) && grouped.count == NotificationEvent.builtIn.count)
    }

    @Test("the destinations file declares more features: events, default on or off, a name, services it is limited to")
    func declared() throws {
        let configuration = try DeliveryConfiguration(yaml: """
            features:
              beamtime: {events: [beamtime_started, beamtime_ended], default: off, name: Beamtime}
              maintenance: {events: [maintenance_due], services: [signal]}
            services:
              signal: {url: "http://127.0.0.1:1", scopes: {oncall: {recipients: ["+41791234567"]}}}
              sms: {account_sid_env: S, auth_token_env: T, from: "+41790000000", scopes: {a: {to: "+41791234567"}}}
            """)
        let features = configuration.features
        #expect(features.features.map(\.id).suffix(2) == ["beamtime", "maintenance"])
        let beamtime = try #require(features.feature(of: "beamtime_ended"))
        #expect(beamtime == Feature(
            id: "beamtime", displayName: "Beamtime", events: ["beamtime_started", "beamtime_ended"], isOnByDefault: false, isDeclared: true))
        #expect(features.feature(named: "maintenance")?.isOnByDefault == true)
        #expect(configuration.supportedFeatureIDs(of: .sms) == ["failure_alert", "alarms", "beamtime"])
        #expect(configuration.supportedFeatureIDs(of: .signal) == Feature.builtIn.map(\.id) + ["beamtime", "maintenance"])
        #expect(configuration.supportedFeatureIDs(of: .teams) == Feature.builtIn.map(\.id) + ["beamtime"])
    }

    @Test("a declared feature is refused for a clashing id, an event already in a feature, a bad id and too many features")
    func refusedDeclarations() {
        func error(_ features: String) -> ConfigurationError? {
            do { _ = try DeliveryConfiguration(yaml: "features: \(features)") } catch { return error }
            return nil
        }
        #expect(error("{print_done: {events: [Done]}}")
            == ConfigurationError(path: "features.print_done", reason: "clashes with the built-in feature print_done (notify_on_print_done)"))
        #expect(error("{notify_on_scans: {events: [x]}}")
            == ConfigurationError(path: "features.notify_on_scans", reason: "clashes with the built-in feature scans (notify_on_scans)"))
        #expect(error("{notify_on_beamtime: {events: [x]}}")?.path == "features.notify_on_beamtime")
        #expect(error("{beamtime: {events: [x, PrintDone]}}")
            == ConfigurationError(path: "features.beamtime.events[1]", reason: "event PrintDone is already in feature print_done; an event belongs to one feature"))
        #expect(error("{a: {events: [x]}, b: {events: [y, x]}}")
            == ConfigurationError(path: "features.b.events[1]", reason: "event x is already in feature a; an event belongs to one feature"))
        #expect(error("{Beamtime: {events: [x]}}")?.path == "features.Beamtime")
        #expect(error("{beamtime: {events: []}}")?.path == "features.beamtime.events")
        #expect(error("{beamtime: {events: [x], default: maybe}}") == ConfigurationError(path: "features.beamtime.default", reason: "expected on or off"))
        #expect(error("{beamtime: {events: [x], services: [fax]}}")?.path == "features.beamtime.services[0]")
        #expect(error("{beamtime: {events: [x], colour: red}}") == ConfigurationError(path: "features.beamtime.colour", reason: "unknown setting"))
        let many = (0...FeatureCatalogue.maximumDeclaredFeatures).map { "f\($0): {events: [e\($0)]}" }.joined(separator: ", ")
        #expect(error("{\(many)}") == ConfigurationError(path: "features", reason: "declares 65 features; the most is 64"))
    }

    // MARK: Toggles in the outbox

    @Test("toggles: defaults until set, overrides stored and reset, feature names by id or printer-farm name")
    func togglesStored() async throws {
        let directory = try temporaryDirectory()
        let notifier = try makeNotifier(try configuration(Self.yaml), in: directory)
        let chat = Destination(service: .markdown, scope: "lab-chat")
        let initial = try await notifier.toggles(service: .markdown, scope: "lab-chat")
        #expect(initial.map(\.isOn) == Feature.builtIn.map(\.isOnByDefault) && initial.allSatisfy(\.isDefault))
        try await notifier.setToggles([("print_done", false), ("notify_on_heater_status", true)], for: chat)
        #expect(try await notifier.outbox.toggleOverrides().map { "\($0.service)/\($0.scope) \($0.feature) \($0.isOn)" } == [
            "markdown/lab-chat heater_status true", "markdown/lab-chat print_done false",
        ])
        let reopened = try makeNotifier(try configuration(Self.yaml), in: directory)
        let changed = try await reopened.toggles(service: .markdown).filter { !$0.isDefault }
        #expect(changed.map { "\($0.destination) \($0.feature.id) \($0.isOn)" } == ["markdown/lab-chat print_done false", "markdown/lab-chat heater_status true"])
        try await reopened.setToggles([("print_done", nil)], for: chat)
        #expect(try await reopened.outbox.toggleOverrides().map(\.feature) == ["heater_status"])
        #expect(try await reopened.toggles(scope: "oncall").map(\.destination) == Array(repeating: Destination(service: .signal, scope: "oncall"), count: 8))
    }

    @Test("enqueueing skips a routed destination whose toggle of the event's feature is off, and says so", arguments: OutboxBackend.available)
    func enqueueSkips(backend: OutboxBackend) async throws {
        let notifier = try makeNotifier(try configuration(Self.yaml), in: try temporaryDirectory(), backend: backend)
        for service in [Service.markdown, .signal] {
            let scopes = service == .markdown ? ["lab-chat", "ops-chat"] : ["oncall"]
            for event in [NotificationEvent.printDone, .printCancelled, "sample_mount_failed"] {
                try await notifier.setAutoNotifications(event: event, service: service, enabled: true, scopes: scopes)
            }
        }
        try await notifier.setToggles([("print_done", false)], for: Destination(service: .markdown, scope: "ops-chat"))
        let done = try await notifier.notify(.printDone, "Benchy done")
        #expect(done.deliveries.map(\.destination.description) == ["markdown/lab-chat", "signal/oncall"])
        #expect(done.toggledOff == [Destination(service: .markdown, scope: "ops-chat")])
        #expect(done.toggleNotes == ["skipped markdown/ops-chat: feature print_done is off there"])

        // print_cancelled is off by default: routes alone do not send it until a destination turns it on.
        let cancelled = try await notifier.notify(.printCancelled, "Benchy cancelled")
        #expect(cancelled.notificationID == nil && cancelled.toggledOff.count == 3)
        #expect(cancelled.nothingSentNote(for: .printCancelled) == "every destination routed for event PrintCancelled has feature print_cancelled off; nothing was sent")
        try await notifier.setToggles([("notify_on_print_cancelled", true)], for: Destination(service: .signal, scope: "oncall"))
        #expect(try await notifier.notify(.printCancelled, "again").deliveries.map(\.destination.description) == ["signal/oncall"])

        // An event in no feature goes wherever its routes say.
        let custom = try await notifier.notify("sample_mount_failed", "Robot stopped")
        #expect(custom.deliveries.count == 3 && custom.toggledOff.isEmpty && custom.toggleNotes.isEmpty)
        #expect(try await notifier.outbox.deliveries().count == 2 + 1 + 3)
    }

    @Test("a toggle of an unknown feature or of an unconfigured destination is refused, and nothing changes")
    func refusedToggles() async throws {
        let notifier = try makeNotifier(try configuration(Self.yaml), in: try temporaryDirectory())
        let chat = Destination(service: .markdown, scope: "lab-chat")
        await #expect(throws: DeliveryError.invalidToggle(
            #"unknown feature "printdone"; expected one of failure_alert, print_done, print_cancelled, filament_change, other_print_events, heater_status, alarms, scans"#)) {
            try await notifier.setToggles([("scans", false), ("printdone", false)], for: chat)
        }
        await #expect(throws: DeliveryError.invalidRoute(#"markdown has no scope "nowhere"; configured: lab-chat, ops-chat"#)) {
            try await notifier.setToggles([("scans", false)], for: Destination(service: .markdown, scope: "nowhere"))
        }
        await #expect(throws: DeliveryError.invalidRoute("teams is not configured in the destinations file")) {
            try await notifier.setToggles([("scans", false)], for: Destination(service: .teams, scope: "ops"))
        }
        await #expect(throws: DeliveryError.invalidRoute("teams is not configured in the destinations file")) {
            try await notifier.toggles(service: .teams)
        }
        #expect(try await notifier.outbox.toggleOverrides().isEmpty)
    }
}
