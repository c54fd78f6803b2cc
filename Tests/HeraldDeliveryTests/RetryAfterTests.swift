import Foundation
import HeraldDelivery
import Testing

/// `Retry-After` as services send it, absurd values included.
@Suite("Retry-After")
struct RetryAfterTests {
    /// What a 503 with `Retry-After: value` asks for, as the exchange judges it.
    static func retryAfter(_ value: String) async throws -> Duration? {
        try await TestHTTPServer.with({ _ in .respond(status: 503, headers: [("Retry-After", value)]) }) { base in
            let exchange = DeliveryExchange(
                idempotencyKey: "key", transport: HTTPDeliveryTransport(), requestTimeout: .seconds(30),
                environment: DeliveryEnvironment([:]), redactor: SecretRedactor(secrets: [Secret]()))
            do throws(SendFailure) {
                _ = try await exchange.send(OutgoingRequest(url: base + "/hook"))
                Issue.record("a 503 was taken as a success")
                return nil
            } catch {
                guard case .transient(_, let retryAfter) = error else {
                    Issue.record("a 503 was not transient: \(error)")
                    return nil
                }
                return retryAfter
            }
        }
    }

    @Test("seconds and dates are read; absurd values are capped at a week; an overlong value is ignored")
    func caps() async throws {
        #expect(try await Self.retryAfter("120") == .seconds(120))
        #expect(try await Self.retryAfter("Sat, 01 Jan 2000 00:00:00 GMT") == .zero)
        #expect(try await Self.retryAfter("99999999999") == .seconds(604_800))
        #expect(try await Self.retryAfter("99999999999999999999999999") == .seconds(604_800))
        #expect(try await Self.retryAfter("Fri, 31 Dec 99999 23:59:59 GMT") == .seconds(604_800))
        #expect(try await Self.retryAfter(String(repeating: "0", count: 2_000) + "5") == nil)
    }
}
