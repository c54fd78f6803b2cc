import Foundation
import Herald
import HeraldDelivery
import Testing

/// The destinations file: validation with paths, secrets only from the environment.
@Suite("destinations file")
struct ConfigurationTests {
    @Test("a full file is read: policy in seconds, outbox relative to the file, scopes per service")
    func fullFile() throws {
        let configuration = try DeliveryConfiguration(yaml: """
            outbox: state/outbox.sqlite
            delivery: {request_timeout: 2.5, maximum_attempts: 6, initial_backoff: 0.5, concurrency: 8}
            services:
              markdown:
                scopes:
                  lab-chat: {url_env: LAB_CHAT_URL, body_field: content}
              signal:
                transport: rest
                url: http://127.0.0.1:8080
                account: "+41790000000"
                scopes:
                  oncall: {recipients: ["+41791234567"]}
            """, baseDirectory: "/etc/herald")
        #expect(configuration.outboxPath == "/etc/herald/state/outbox.sqlite")
        #expect(configuration.policy.requestTimeout == .milliseconds(2500))
        #expect(configuration.policy.maximumAttempts == 6)
        #expect(configuration.policy.concurrency == 8)
        #expect(configuration.services[.markdown]?.scopes == ["lab-chat"])
        #expect(configuration.services[.signal]?.scopes == ["oncall"])
        let variables = try #require(configuration.services[.markdown]?.environmentStatus(in: DeliveryEnvironment(["LAB_CHAT_URL": "https://chat.example/hooks/s3cr3t-value"])))
        #expect(variables.count == 1)
        #expect(variables[0].name == "LAB_CHAT_URL" && variables[0].isSet && variables[0].isSecret && variables[0].isRequired)
        #expect(variables[0].value == nil, "a secret's value is never returned")
    }

    struct Refusal: CustomTestStringConvertible, Sendable {
        var yaml: String
        var error: String
        var testDescription: String { error }
    }

    static let refusals: [Refusal] = [
        Refusal(
            yaml: "services: {markdown: {scopes: {chat: {url: 'https://chat.example/hooks/INLINE-SECRET'}}}}",
            error: "services.markdown.scopes.chat.url: secrets are never written in the destinations file; put it in an environment variable and name that variable with url_env"),
        Refusal(
            yaml: "services: {markdown: {scopes: {chat: {url_env: 'https://chat.example/hooks/INLINE-SECRET'}}}}",
            error: "services.markdown.scopes.chat.url_env: must be the name of an environment variable (letters, digits and _, not starting with a digit)"),
        Refusal(
            yaml: "services: {signal: {url: 'http://localhost:8080', scopes: {oncall: {recipients: ['+41 79 123 45 67']}}}}",
            error: #"services.signal.scopes.oncall.recipients[0]: "+41 79 123 45 67" is not an E.164 number (+ and 7 to 15 digits, e.g. +41791234567)"#),
        Refusal(
            yaml: "services: {signal: {url: 'http://localhost:8080', scopes: {oncall: {recipients: ['0791234567']}}}}",
            error: #"services.signal.scopes.oncall.recipients[0]: "0791234567" is not an E.164 number (+ and 7 to 15 digits, e.g. +41791234567)"#),
        Refusal(
            yaml: "services: {signal: {url: 'http://localhost:8080', scopes: {team: {group_id: 'not-a-group'}}}}",
            error: #"services.signal.scopes.team.group_id: "not-a-group" is not a signal-cli group id (base64 of 32 bytes)"#),
        Refusal(
            yaml: "services: {signal: {transport: rest, url: 'http://localhost:8080', scopes: {oncall: {recipients: ['+41791234567']}}}}",
            error: "services.signal.account: is required with transport rest"),
        Refusal(
            yaml: "services: {fax: {scopes: {}}}",
            error: "services.fax: unknown service; expected one of \(Service.catalogueIDs)"),
        Refusal(
            yaml: "services: {markdown: {scopes: {chat: {url_env: X, colour: red}}}}",
            error: "services.markdown.scopes.chat.colour: unknown setting"),
        Refusal(yaml: "delivery: {maximum_attempts: 0}", error: "delivery.maximum_attempts: must be a whole number from 1 to 100"),
        Refusal(yaml: "services: {markdown: {}}", error: "services.markdown.scopes: is required: name at least one destination"),
        Refusal(yaml: "services: [markdown", error: "malformed YAML: line 2, column 1: did not find expected ',' or ']'"),
    ]

    @Test("mistakes are refused with the path of the setting, and never quote a secret", arguments: refusals)
    func refused(_ refusal: Refusal) {
        #expect(throws: ConfigurationError.self) { try DeliveryConfiguration(yaml: refusal.yaml) }
        do {
            _ = try DeliveryConfiguration(yaml: refusal.yaml)
        } catch {
            #expect(error.description == refusal.error)
            #expect(!error.description.contains("INLINE-SECRET"))
        }
    }

    @Test("a Secret never shows its value")
    func secretDescription() {
        let configuration = try? DeliveryConfiguration(yaml: "services: {markdown: {scopes: {chat: {url_env: HOOK}}}}")
        let secrets = configuration?.secrets(in: DeliveryEnvironment(["HOOK": "https://chat.example/hooks/abcdef123456"])) ?? []
        #expect(secrets.count == 1)
        #expect("\(secrets)" == "[<secret>]")
        var dumped = ""
        dump(secrets, to: &dumped)
        #expect(!dumped.contains("abcdef123456"))
        let redactor = SecretRedactor(secrets: secrets)
        #expect(redactor.redact("POST https://chat.example/hooks/abcdef123456 failed; hook abcdef123456 unknown") == "POST <secret> failed; hook <secret> unknown")
    }

    @Test("the built-in events are BEC's and the printer farms'; custom names are allowed, malformed ones are not")
    func events() throws {
        #expect(NotificationEvent.builtIn.map(\.rawValue) == [
            "new_scan", "scan_completed", "alarm_warning", "alarm_minor", "alarm_major", "scan_interlock", "PrintStarted",
            "PrintDone", "PrintCancelled", "PrintPaused", "PrintResumed", "FilamentChange", "HeaterCooledDown",
            "HeaterTargetReached", "FailureAlert",
        ])
        #expect(try NotificationEvent(validating: "sample_mount_failed").isBuiltIn == false)
        #expect(NotificationEvent(rawValue: " padded") == nil)
        #expect(NotificationEvent(rawValue: "two\nlines") == nil)
        #expect(NotificationEvent(rawValue: "") == nil)
    }
}
