import Foundation
import Herald
import HeraldDelivery
import HeraldTestSupport
import Testing

/// The SMS plugin against a local server that answers like Twilio's Messages API; the forms it received are read
/// by Python's parsers.
// python3 reads the forms (its standard library only; `.pythonJSONSchema` stands for python3 being there).
@Suite("SMS delivery (Twilio)", .requires(.pythonJSONSchema))
struct SMSDeliveryTests {
    static let sid = "AC" + String(repeating: "0123456789abcdef", count: 2)
    static let token = "twilio-auth-token-\(UUID().uuidString)"
    static let environment = ["TEST_TWILIO_SID": sid, "TEST_TWILIO_TOKEN": token]

    /// Twilio's `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, with Basic authentication.
    static func api(_ ledger: KeyLedger, reply: @escaping @Sendable (Int) -> TestReply = { _ in
        .json(201, #"{"sid": "SM0123456789abcdef0123456789abcdef", "status": "queued", "num_segments": "1"}"#)
    }) -> @Sendable (ReceivedRequest) async -> TestReply {
        { request in
            await ledger.saw()
            let credentials = "Basic " + Data("\(sid):\(token)".utf8).base64EncodedString()
            guard request.header("Authorization") == credentials else {
                return .json(401, #"{"code": 20003, "message": "Authenticate", "more_info": "https://www.twilio.com/docs/errors/20003", "status": 401}"#)
            }
            guard request.method == "POST", request.path == "/2010-04-01/Accounts/\(sid)/Messages.json",
                request.header("Content-Type") == "application/x-www-form-urlencoded"
            else { return .json(404, #"{"code": 20404, "message": "The requested resource was not found", "status": 404}"#) }
            if let refusal = Self.refusal(of: request) {
                return .json(400, #"{"code": 21602, "message": "\#(refusal)", "status": 400}"#)
            }
            await ledger.accept(request)
            return reply(await ledger.seen)
        }
    }

    /// What Twilio would refuse in the form, by its documented parameters and limits (read by Python).
    static func refusal(of request: ReceivedRequest) -> String? {
        guard let form = try? ReadForm.read([request]).first else { return "the form does not parse" }
        let fields = form.dictionary
        guard Set(fields.keys).isSubset(of: ["To", "From", "MessagingServiceSid", "Body"]), form.fields.count == fields.count else {
            return "unexpected parameters"
        }
        guard let to = fields["To"], to.hasPrefix("+"), (fields["From"] == nil) != (fields["MessagingServiceSid"] == nil) else {
            return "A 'To' and one of 'From' or 'MessagingServiceSid' are required"
        }
        guard let body = fields["Body"], !body.isEmpty else { return "Message body is required" }
        guard body.count <= 1600 else { return "The concatenated message body exceeds the 1600 character limit" }
        return nil
    }

    static func configuration(base: String, extra: String = "") throws -> DeliveryConfiguration {
        try HeraldDeliveryTests.configuration("""
            services:
              sms:
                url: "\(base)"
                account_sid_env: TEST_TWILIO_SID
                auth_token_env: TEST_TWILIO_TOKEN
                from: "+41790000000"
                \(extra)
                scopes: {oncall: {to: "+41791234567"}, backup: {to: "+41797654321"}}
            """)
    }

    @Test("one form post per scope: To, From and the renderer's Body; Twilio's message sid is the reference")
    func delivered() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Self.api(ledger)) { base in
            let notifier = try makeNotifier(try Self.configuration(base: base), in: try temporaryDirectory(), environment: Self.environment)
            try await notifier.setAutoNotifications(event: .failureAlert, service: .sms, enabled: true, scopes: ["oncall", "backup"])
            let message = try sampleMessage(6)
            try await notifier.notify(.failureAlert, message)
            #expect(try await notifier.deliverPending().delivered == 2)
            let forms = try ReadForm.read(await ledger.accepted)
            guard case .object(let payload) = try SMSRenderer().render(message).payload.json, case .string(let body)? = payload["Body"] else {
                Issue.record("no body")
                return
            }
            #expect(Set(forms.map(\.fields)) == [
                [["To", "+41791234567"], ["From", "+41790000000"], ["Body", body]],
                [["To", "+41797654321"], ["From", "+41790000000"], ["Body", body]],
            ])
            #expect(try await notifier.outbox.deliveries().allSatisfy { $0.reference == "SM0123456789abcdef0123456789abcdef" })
        }
    }

    @Test("a long notification arrives as one body within Twilio's 1600 characters, cut with the marker")
    func longNotification() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Self.api(ledger)) { base in
            let notifier = try makeNotifier(try Self.configuration(base: base), in: try temporaryDirectory(), environment: Self.environment)
            try await notifier.setAutoNotifications(event: .failureAlert, service: .sms, enabled: true, scopes: ["oncall"])
            try await notifier.notify(.failureAlert, String(repeating: "Layer shift detected on printer 2. ", count: 100))
            #expect(try await notifier.deliverPending().delivered == 1)
            let body = try #require(try ReadForm.read(await ledger.accepted).first?.value("Body"))
            #expect(body.count <= 1600 && body.hasSuffix(" characters not shown)"))
        }
    }

    @Test("a messaging service sends as MessagingServiceSid")
    func messagingService() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Self.api(ledger)) { base in
            let service = "MG" + String(repeating: "a", count: 32)
            let config = try HeraldDeliveryTests.configuration("""
                services: {sms: {url: "\(base)", account_sid_env: TEST_TWILIO_SID, auth_token_env: TEST_TWILIO_TOKEN, messaging_service_sid: \(service), scopes: {oncall: {to: "+41791234567"}}}}
                """)
            let notifier = try makeNotifier(config, in: try temporaryDirectory(), environment: Self.environment)
            try await notifier.setAutoNotifications(event: .failureAlert, service: .sms, enabled: true, scopes: ["oncall"])
            try await notifier.notify(.failureAlert, "Benchy done")
            #expect(try await notifier.deliverPending().delivered == 1)
            #expect(try ReadForm.read(await ledger.accepted).map(\.fields) == [[["To", "+41791234567"], ["MessagingServiceSid", service], ["Body", "Benchy done"]]])
        }
    }

    @Test("SMS supports failure alerts and alarms only: a route or toggle of another feature is refused; features: narrows it")
    func supportedFeatures() async throws {
        let all = try makeNotifier(
            try Self.configuration(base: "https://api.twilio.com"), in: try temporaryDirectory(), environment: Self.environment)
        try await all.setAutoNotifications(event: .failureAlert, service: .sms, enabled: true, scopes: ["oncall"])
        try await all.setAutoNotifications(event: .alarmMajor, service: .sms, enabled: true, scopes: ["oncall"])
        try await all.setAutoNotifications(event: "sample_mount_failed", service: .sms, enabled: true, scopes: ["oncall"])
        await #expect(throws: DeliveryError.unsupportedFeature(
            "sms does not support feature print_done, which event PrintDone belongs to; it supports failure_alert, alarms")) {
            try await all.setAutoNotifications(event: .printDone, service: .sms, enabled: true, scopes: ["oncall"])
        }
        await #expect(throws: DeliveryError.unsupportedFeature("sms does not support feature print_done; it supports failure_alert, alarms")) {
            try await all.setToggles([("failure_alert", false), ("notify_on_print_done", true)], for: Destination(service: .sms, scope: "oncall"))
        }
        #expect(try await all.outbox.toggleOverrides().isEmpty)
        #expect(try await all.toggles(scope: "oncall").map(\.feature.id) == ["failure_alert", "alarms"])

        let narrowed = try makeNotifier(
            try Self.configuration(base: "https://api.twilio.com", extra: "features: [notify_on_failure_alert]"), in: try temporaryDirectory(),
            environment: Self.environment)
        try await narrowed.setAutoNotifications(event: .failureAlert, service: .sms, enabled: true, scopes: ["oncall"])
        await #expect(throws: DeliveryError.unsupportedFeature(
            "sms does not support feature alarms, which event alarm_major belongs to; it supports failure_alert")) {
            try await narrowed.setAutoNotifications(event: .alarmMajor, service: .sms, enabled: true, scopes: ["oncall"])
        }
    }

    @Test("a 429 is retried; Twilio's 400 fails at once with its message; the token never shown")
    func failures() async throws {
        let ledger = KeyLedger()
        let reply: @Sendable (Int) -> TestReply = { seen in
            switch seen {
            case 1: .json(429, #"{"code": 20429, "message": "Too Many Requests", "status": 429}"#, headers: [("Retry-After", "0")])
            default: .json(400, #"{"code": 21211, "message": "Invalid 'To' Phone Number: +4179123XXXX (auth \#(Self.token))", "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400}"#)
            }
        }
        try await TestHTTPServer.with(Self.api(ledger, reply: reply)) { base in
            let notifier = try makeNotifier(try Self.configuration(base: base), in: try temporaryDirectory(), environment: Self.environment)
            try await notifier.setAutoNotifications(event: .failureAlert, service: .sms, enabled: true, scopes: ["oncall"])
            try await notifier.notify(.failureAlert, "Print failed")
            let summary = try await notifier.deliverPending()
            #expect(summary.failed == 1 && summary.retried == 1)
            let delivery = try #require(try await notifier.outbox.deliveries().first)
            #expect(delivery.lastError == "HTTP 400: Invalid 'To' Phone Number: +4179123XXXX (auth <secret>)")
        }
    }

    @Test("wrong credentials are Twilio's 401; a malformed account SID fails before anything is sent")
    func credentials() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Self.api(ledger)) { base in
            let wrong = try makeNotifier(try Self.configuration(base: base), in: try temporaryDirectory(),
                                         environment: ["TEST_TWILIO_SID": Self.sid, "TEST_TWILIO_TOKEN": "nope"])
            try await wrong.setAutoNotifications(event: .failureAlert, service: .sms, enabled: true, scopes: ["oncall"])
            try await wrong.notify(.failureAlert, "x")
            #expect(try await wrong.deliverPending().failed == 1)
            #expect(try await wrong.outbox.deliveries().first?.lastError == "HTTP 401: Authenticate")
            let malformed = try makeNotifier(try Self.configuration(base: base), in: try temporaryDirectory(),
                                             environment: ["TEST_TWILIO_SID": "AC123", "TEST_TWILIO_TOKEN": Self.token])
            try await malformed.setAutoNotifications(event: .failureAlert, service: .sms, enabled: true, scopes: ["oncall"])
            try await malformed.notify(.failureAlert, "x")
            #expect(try await malformed.deliverPending().failed == 1)
            #expect(try await malformed.outbox.deliveries().first?.lastError == "environment variable TEST_TWILIO_SID is not a Twilio account SID (AC and 32 hexadecimal digits)")
            #expect(await ledger.seen == 1)
        }
    }

    @Test("configuration: E.164 numbers, one sender, supported features by name, events refused, the token only from the environment; the SID shown, the token masked")
    func configurationErrors() throws {
        func error(_ settings: String) -> ConfigurationError? {
            do { _ = try DeliveryConfiguration(yaml: "services: {sms: {account_sid_env: S, auth_token_env: T, \(settings)}}") } catch { return error }
            return nil
        }
        #expect(error("from: '+41790000000', scopes: {a: {to: '0791234567'}}")
            == ConfigurationError(path: "services.sms.scopes.a.to", reason: "\"0791234567\" is not an E.164 number (+ and 7 to 15 digits, e.g. +41791234567)"))
        #expect(error("from: '+41790000000', messaging_service_sid: MGx, scopes: {a: {to: '+41791234567'}}")?.path == "services.sms")
        #expect(error("messaging_service_sid: MGx, scopes: {a: {to: '+41791234567'}}")?.path == "services.sms.messaging_service_sid")
        #expect(error("from: '+41790000000', events: [FailureAlert], scopes: {a: {to: '+41791234567'}}") == ConfigurationError(
            path: "services.sms.events",
            reason: "is replaced by features: name the features SMS takes (failure_alert for FailureAlert, alarms for BEC's alarms)"))
        #expect(error("from: '+41790000000', features: [print_done], scopes: {a: {to: '+41791234567'}}") == ConfigurationError(
            path: "services.sms.features[0]", reason: "sms does not support feature print_done; it supports failure_alert, alarms"))
        #expect(error("from: '+41790000000', features: [fax], scopes: {a: {to: '+41791234567'}}")?.path == "services.sms.features[0]")
        #expect(error("from: '+41790000000', features: [], scopes: {a: {to: '+41791234567'}}")?.path == "services.sms.features")
        #expect(error("from: '+41790000000', auth_token: abc, scopes: {a: {to: '+41791234567'}}")?.path == "services.sms.auth_token")
        #expect(error("from: '+41790000000', url: 'http://twilio.example', scopes: {a: {to: '+41791234567'}}")?.path == "services.sms.url")
        let config = try DeliveryConfiguration(yaml: "services: {sms: {account_sid_env: S, auth_token_env: T, from: '+41790000000', scopes: {a: {to: '+41791234567'}}}}")
        let statuses = try #require(config.services[.sms]?.environmentStatus(in: DeliveryEnvironment(["S": Self.sid, "T": Self.token])))
        #expect(statuses.map(\.value) == [Self.sid, nil])
        #expect(statuses.map(\.isSecret) == [false, true])
    }
}
