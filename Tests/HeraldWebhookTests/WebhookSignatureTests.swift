import Foundation
import Herald
import HeraldTestSupport
import Testing

/// Signatures as the Standard Webhooks specification defines them, checked by its reference library.
@Suite("Webhook signatures")
struct WebhookSignatureTests {
    /// A 32-byte key.
    static let secret = "whsec_" + Data((0..<32).map { UInt8(($0 * 37 + 11) & 0xFF) }).base64EncodedString()

    @Test("the reference library's own example: same id, timestamp, body and secret give the same signature")
    func referenceVector() throws {
        // Computed by standardwebhooks.Webhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").sign(...), the vector of
        // the specification's test suites.
        let signer = try StandardWebhookSigner(secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        let signature = signer.signature(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: Array(#"{"test": 2432232314}"#.utf8))
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        let headers = signer.headers(id: "msg_1", timestamp: 7, body: [])
        #expect(headers.map(\.name) == ["webhook-id", "webhook-timestamp", "webhook-signature"])
        #expect(headers.map(\.value).prefix(2) == ["msg_1", "7"])
    }

    @Test("a secret that is not whsec_ and the base64 of 24 to 64 bytes is refused, and never quoted",
          arguments: ["MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_not*base64!", "whsec_" + Data(count: 16).base64EncodedString(),
                      "whsec_" + Data(count: 65).base64EncodedString(), "whsec_"])
    func badSecrets(_ secret: String) {
        do {
            _ = try StandardWebhookSigner(secret: secret)
            Issue.record("accepted")
        } catch {
            #expect(error.reason.hasPrefix("is not a Standard Webhooks secret"))
            #expect(secret.count < 10 || !error.reason.contains(secret.dropFirst(6)))
        }
    }

    @Test("unpadded base64 after whsec_ is read as the reference library reads it")
    func unpaddedSecret() throws {
        let padded = try StandardWebhookSigner(secret: "whsec_" + Data(count: 25).base64EncodedString())
        let unpadded = try StandardWebhookSigner(secret: "whsec_" + Data(count: 25).base64EncodedString().replacingOccurrences(of: "=", with: ""))
        #expect(padded.signature(id: "a", timestamp: 1, body: [1]) == unpadded.signature(id: "a", timestamp: 1, body: [1]))
    }

    /// One request for the checker.
    static func request(_ name: String, body: [UInt8], timestamp: Int, secret: String = secret, signedWith signing: String = secret, expect: String) throws -> JSONValue {
        let headers = try StandardWebhookSigner(secret: signing).headers(id: "msg-\(UUID().uuidString.lowercased())", timestamp: timestamp, body: body)
        return [
            "name": .string(name), "secret": .string(secret), "expect": .string(expect),
            "headers": .object(Dictionary(uniqueKeysWithValues: headers.map { ($0.name, JSONValue.string($0.value)) })),
            "body": .string(Data(body).base64EncodedString()),
        ]
    }

    @Test("every golden, hostile and random body, signed now, verifies with the standardwebhooks package and passes the published schema; a changed byte, id or timestamp, a timestamp 10 minutes old or ahead, or another secret fails",
          .requires(.standardWebhooks, .pythonJSONSchema))
    func referenceLibraryVerifies() throws {
        let now = Int(Date().timeIntervalSince1970)
        let otherSecret = "whsec_" + Data(repeating: 9, count: 24).base64EncodedString()
        var requests: [JSONValue] = []
        for golden in GoldenCase.all {
            let body = try WebhookRenderer().render(golden.message()).payload.body
            requests.append(try Self.request(golden.name, body: body, timestamp: now, expect: "valid"))
            requests.append(try Self.request("\(golden.name) 10 minutes old", body: body, timestamp: now - 600, expect: "invalid"))
            requests.append(try Self.request("\(golden.name) 10 minutes ahead", body: body, timestamp: now + 600, expect: "invalid"))
            requests.append(try Self.request("\(golden.name) other secret", body: body, timestamp: now, signedWith: otherSecret, expect: "invalid"))
        }
        for entry in HostileCorpus.entries {
            let body = try WebhookRenderer().render(HostileCorpus.message(carrying: entry.text).message).payload.body
            requests.append(try Self.request("hostile \(entry)", body: body, timestamp: now, expect: "valid"))
        }
        var random = RandomMessages(seed: 5)
        for index in 0..<40 {
            let body = try WebhookRenderer().render(random.message()).payload.body
            requests.append(try Self.request("random \(index)", body: body, timestamp: now, expect: "valid"))
        }
        let result = try ExternalCommand.run("python3", ["scripts/check_webhook.py"], input: Data(JSONWriter().bytes(.array(requests))))
        #expect(result.status == 0, "\(result.output.suffix(3_000))")
        #expect(result.output == "\(requests.count) passed, 0 failed\n", "\(result.output.suffix(3_000))")
    }
}
