import Foundation
import Herald
import HeraldTeams
import HeraldTestSupport
import Testing

/// Random and hostile messages: every card reads back as the document Teams is said to show, fits its limit, and
/// passes the validator.
@Suite("Teams random and hostile messages")
struct RandomMessageTests {
    /// The seeds the other services' property tests use.
    static let seeds: [UInt64] = [1, 2, 3, 4]
    static let messagesPerSeed = 150
    /// A limit small enough that many random messages must shrink.
    static let smallLimit = 1_000

    @Test("random messages, at the real limit and at 1,000 bytes; the shrunk cards pass the validator", .requires(.pythonJSONSchema, .specs), arguments: seeds)
    func randomMessages(seed: UInt64) throws {
        var random = RandomMessages(seed: seed)
        var shrunk: [[UInt8]] = []
        for index in 0..<Self.messagesPerSeed {
            let message = random.message()
            for renderer in [TeamsRenderer(), TeamsRenderer(byteLimit: Self.smallLimit)] {
                let rendering: Rendering
                do {
                    rendering = try renderer.render(message)
                } catch {
                    // Only a title and tags too large for the limit may fail.
                    #expect(renderer.byteLimit == Self.smallLimit && error.reason.hasPrefix("the card needs "), "seed \(seed) message \(index): \(error)")
                    continue
                }
                #expect(rendering.payload.body.count <= renderer.byteLimit, "seed \(seed) message \(index)")
                let shown = try TeamsPayloadReader.document(fromPayload: rendering.payload.body)
                #expect(shown == TeamsPayloadReader.expectedDocument(for: rendering.fittedDocument), "seed \(seed) message \(index)")
                if rendering.payload.shownDocument != nil { shrunk.append(rendering.payload.body) }
            }
        }
        #expect(shrunk.count >= 20, "too few messages reach the limit to test shrinking")
        let result = try ValidatorScript.run(payloads: shrunk)
        #expect(result.status == 0, "\(result.output.suffix(2_000))")
    }

    @Test("every hostile string, in every place a sender can put text, reads back literally", arguments: HostileCorpus.entries)
    func hostile(_ entry: HostileCorpus.Entry) throws {
        let rendering = try TeamsRenderer().render(HostileCorpus.message(carrying: entry.text).message)
        let shown = try TeamsPayloadReader.document(fromPayload: rendering.payload.body)
        #expect(shown == TeamsPayloadReader.expectedDocument(for: rendering.fittedDocument))
    }

    @Test("the hostile corpus's cards pass the validator", .requires(.pythonJSONSchema, .specs))
    func hostileCardsValidate() throws {
        let payloads = try HostileCorpus.entries.map { entry in
            try TeamsRenderer().render(HostileCorpus.message(carrying: entry.text).message).payload.body
        }
        let result = try ValidatorScript.run(payloads: payloads)
        #expect(result.status == 0, "\(result.output.suffix(2_000))")
    }
}
