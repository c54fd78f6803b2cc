import Foundation
import Herald
import HeraldSlack
import HeraldTestSupport
import Testing

/// Every rendering, read back by ``SlackPayloadReader`` (Slack's documented mrkdwn) and checked by slack-sdk's Block
/// Kit models (`scripts/check_slack.py`), shows exactly the fitted document: the golden corpus, the hostile corpus in
/// every position and seeded random messages.
@Suite("Slack read-back")
struct SlackReadBackTests {
    static let seeds: [UInt64] = [1, 2, 3, 4]

    @Test("every golden slack.json passes slack-sdk's models and the checks on top", .requires(.slackSDK))
    func checkerAcceptsEveryGolden() throws {
        let paths = GoldenCase.all.map { $0.file(Service.slack.goldenFileName).path }
        let result = try SlackChecker.run(paths)
        #expect(result.status == 0 && result.output == "\(paths.count) passed, 0 failed\n", "\(result.output)")
    }

    @Test("every golden case reads back as the fitted document", arguments: GoldenCase.all)
    func golden(_ golden: GoldenCase) throws {
        let message = try golden.message()
        let rendering = try SlackRenderer().render(message)
        #expect(try SlackReading(rendering, of: message).joined == SlackReading.expected(rendering))
    }

    @Test("every hostile string, in every place a sender can put text, reads back literally", arguments: HostileCorpus.entries)
    func hostile(_ entry: HostileCorpus.Entry) throws {
        let message = HostileCorpus.message(carrying: entry.text).message
        let rendering = try SlackRenderer().render(message)
        #expect(try SlackReading(rendering, of: message).joined == SlackReading.expected(rendering))
    }

    @Test("the hostile corpus's bodies pass the checker: no mention, channel or command among them", .requires(.slackSDK))
    func hostileBodiesPass() throws {
        let bodies = try HostileCorpus.entries.flatMap { entry in
            try SlackRenderer().render(HostileCorpus.message(carrying: entry.text).message).messages.map(\.payload.body)
        }
        let result = try SlackChecker.run(bodies: bodies)
        #expect(result.status == 0, "\(result.output.suffix(2_000))")
    }

    @Test("random messages read back as the fitted document and pass the checker", .requires(.slackSDK), arguments: seeds)
    func randomMessages(seed: UInt64) throws {
        var random = RandomMessages(seed: seed)
        var bodies: [[UInt8]] = []
        for index in 0..<150 {
            let message = random.message()
            let rendering = try SlackRenderer().render(message)
            #expect(try SlackReading(rendering, of: message).joined == SlackReading.expected(rendering), "seed \(seed) message \(index)")
            bodies += rendering.messages.map(\.payload.body)
        }
        let result = try SlackChecker.run(bodies: bodies)
        #expect(result.status == 0, "\(result.output.suffix(2_000))")
    }

    @Test("random long messages: every message within the limits, joined they are the fitted document, nothing lost but the split", .requires(.slackSDK), arguments: seeds)
    func randomLongMessages(seed: UInt64) throws {
        var random = RandomMessages(seed: seed)
        var bodies: [[UInt8]] = []
        var splitCount = 0
        var blockSplitCount = 0
        for index in 0..<20 {
            var message = random.longMessage()
            // Paragraphs and code longer than a section, in every other message.
            if index.isMultiple(of: 2) {
                message.addText("x" + random.text(maximumPieces: 4_000, singleLine: true), style: TextStyle(bold: random.oneIn(2), monospace: random.oneIn(4)))
                try message.addCode("y" + random.text(maximumPieces: 4_000))
            }
            let renderer = SlackRenderer(maximumMessages: .max)
            let rendering = try renderer.render(message)
            let reading = try SlackReading(rendering, of: message, renderer: renderer)
            #expect(reading.joined == SlackReading.expected(rendering), "seed \(seed) message \(index)")
            #expect(rendering.messages.allSatisfy { renderer.limits.admit($0.document) }, "seed \(seed) message \(index)")
            // The limits stage only splits: the messages joined are the fitted document.
            #expect(rendering.fittedDocument == renderer.prepared(Document.lowering(message)).document, "seed \(seed) message \(index)")
            if rendering.messages.count > 1 { splitCount += 1 }
            if rendering.degradations.contains(where: { $0.kind == .blockSplit }) { blockSplitCount += 1 }
            bodies += rendering.messages.map(\.payload.body)
        }
        #expect(splitCount >= 2 && blockSplitCount >= 6, "too few random messages were split: \(splitCount) into messages, \(blockSplitCount) into sections")
        let result = try SlackChecker.run(bodies: bodies)
        #expect(result.status == 0, "\(result.output.suffix(2_000))")
    }

    @Test("no user text becomes a mention, a link or a quote: the reader finds the words as they were written")
    func mentionsStayText() throws {
        let text = "@everyone <!channel> <!here> <@U123> <#C123> <https://evil.example|click> > quote :tada:"
        var message = try NotificationMessage(title: text)
        try message.addText(text)
        let rendering = try SlackRenderer().render(message)
        let shown = try SlackPayloadReader.document(fromPayload: rendering.payload.body)
        #expect(shown.blocks == [.heading(level: 1, content: [TextRun(text)]), .paragraph([TextRun(text)])])
    }
}
