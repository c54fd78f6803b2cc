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

    @Test("random messages, at the real limit and at 1,000 bytes; the split cards pass the validator", .requires(.pythonJSONSchema, .specs), arguments: seeds)
    func randomMessages(seed: UInt64) throws {
        var random = RandomMessages(seed: seed)
        var split: [[UInt8]] = []
        for index in 0..<Self.messagesPerSeed {
            let message = random.message()
            for renderer in [TeamsRenderer(), TeamsRenderer(byteLimit: Self.smallLimit, maximumMessages: .max)] {
                let rendering: Rendering
                do {
                    rendering = try renderer.render(message)
                } catch {
                    // Only a title, attachments' names and tags too large for the limit, or one table row, may fail.
                    #expect(renderer.byteLimit == Self.smallLimit, "seed \(seed) message \(index): \(error)")
                    continue
                }
                #expect(rendering.messages.allSatisfy { $0.payload.body.count <= renderer.byteLimit }, "seed \(seed) message \(index)")
                let (cards, joined) = try SizeLimitTests.readBack(rendering, of: message, renderer: renderer)
                #expect(joined == TeamsPayloadReader.expectedDocument(for: rendering.fittedDocument), "seed \(seed) message \(index)")
                if cards.count > 1 { split += rendering.messages.map(\.payload.body) }
            }
        }
        #expect(split.count >= 40, "too few messages reach the limit to test splitting")
        let result = try ValidatorScript.run(payloads: split)
        #expect(result.status == 0, "\(result.output.suffix(2_000))")
    }

    @Test("random long messages: every card within the limit, the cards read back and joined are the fitted document, no cut inside a cluster", arguments: seeds)
    func randomLongMessages(seed: UInt64) throws {
        var random = RandomMessages(seed: seed)
        var splitCount = 0
        for index in 0..<12 {
            let message = random.longMessage()
            let renderer = TeamsRenderer(byteLimit: 3_000, maximumMessages: .max)
            let rendering = try renderer.render(message)
            #expect(rendering.messages.allSatisfy { $0.payload.body.count <= renderer.byteLimit }, "seed \(seed) message \(index)")
            let (cards, joined) = try SizeLimitTests.readBack(rendering, of: message, renderer: renderer)
            if cards.count > 1 { splitCount += 1 }
            #expect(joined == TeamsPayloadReader.expectedDocument(for: rendering.fittedDocument), "seed \(seed) message \(index)")
            // The fitted document itself, but for the attachments the first card carries.
            let fitted = renderer.prepared(Document.lowering(message)).document
            #expect(rendering.fittedDocument.blocks.filter(\.isText) == fitted.blocks.filter(\.isText), "seed \(seed) message \(index)")
            #expect(rendering.fittedDocument.blocks.filter { !$0.isText } == fitted.blocks.filter { !$0.isText }, "seed \(seed) message \(index)")
            for (card, next) in zip(cards, cards.dropFirst()) {
                guard let last = card.blocks.last?.runs.last?.text.last, let first = next.blocks.first?.runs.first?.text.first else { continue }
                #expect((String(last) + String(first)).count == 2, "a cut parts a cluster; seed \(seed) message \(index)")
            }
        }
        #expect(splitCount >= 10, "too few random messages were split")
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

extension Block {
    /// Whether the block is text (not an attachment or a sticker).
    fileprivate var isText: Bool {
        switch self {
        case .heading, .paragraph, .codeBlock, .table: true
        case .attachment, .sticker: false
        }
    }
}
