import Herald
@testable import HeraldTeams
import HeraldTestSupport
import Testing

/// The card's encoder writes canonical JSON: sorted keys and `JSONWriter`'s escaping, so that `JSONWriter` writes
/// the same bytes for the value read back from them (what the card holds is pinned by the goldens, the Adaptive Card
/// schema and `TeamsPayloadReader`).
@Suite("Teams card encoding")
struct CardEncodingTests {
    @Test("every golden case and random message, whole and at a small limit", arguments: [UInt64(1), 2, 3, 4])
    func streamedBytesEqualWrittenValue(seed: UInt64) throws {
        var random = RandomMessages(seed: seed)
        var messages = (0..<150).map { _ in random.message() }
        if seed == 1 { messages += try GoldenCase.all.map { try $0.message() } }
        for (index, message) in messages.enumerated() {
            let document = TeamsRenderer().prepared(Document.lowering(message)).document
            let card = AdaptiveCard(document)
            #expect(card.webhookMessageBytes == JSONWriter().bytes(card.webhookMessage), "seed \(seed) message \(index)")
        }
    }
}
