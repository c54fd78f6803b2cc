import Foundation
import Herald
import HeraldTestSupport
import Testing

/// Every body passes discord.py and the documented limits, and reads back, by a reader of Discord's Markdown, as the
/// document its message shows: the golden corpus, the hostile corpus in every position, random messages.
@Suite("Discord read back", .requires(.discordPy))
struct DiscordReadBackTests {
    /// Checks every message of every rendering in one run; records each finding and each difference. Returns the
    /// results by `"<name> message <n>"`.
    @discardableResult
    static func expectReadBack(_ renderings: [(name: String, rendering: Rendering)], sourceLocation: SourceLocation = #_sourceLocation) throws
        -> [String: DiscordReading.Result]
    {
        var payloads: [(name: String, payload: RenderedPayload)] = []
        var expected: [String: JSONValue] = [:]
        for (name, rendering) in renderings {
            for (index, message) in rendering.messages.enumerated() {
                let key = "\(name) message \(index + 1)"
                payloads.append((key, message.payload))
                expected[key] = DiscordReading.expectedRead(of: message.document)
            }
        }
        let results = try DiscordReading.check(payloads)
        #expect(results.count == payloads.count, sourceLocation: sourceLocation)
        for result in results {
            #expect(result.findings.isEmpty, "\(result.name): \(result.findings)", sourceLocation: sourceLocation)
            #expect(result.read == expected[result.name], "\(result.name)", sourceLocation: sourceLocation)
        }
        return Dictionary(results.map { ($0.name, $0) }) { first, _ in first }
    }

    @Test("the checker finds what Discord would refuse or read as markup", arguments: [
        #"{"embeds": [{"description": "@everyone"}], "allowed_mentions": {"parse": []}}"#,
        #"{"embeds": [{"description": "ok"}]}"#,
        #"{"embeds": [{"description": "<@123> <t:1618953630:R> :fire: https://example.org"}], "allowed_mentions": {"parse": []}}"#,
        ##"{"embeds": [{"description": "# heading\n> quote\n- list ||spoiler|| __underline__"}], "allowed_mentions": {"parse": []}}"##,
        #"{"embeds": [{"title": "x", "footer": {"text": "y"}}], "allowed_mentions": {"parse": []}}"#,
        #"{"embeds": [{"color": 16777216, "description": "x"}], "allowed_mentions": {"parse": []}}"#,
        #"{"attachments": [{"id": 1, "filename": "a.png"}], "allowed_mentions": {"parse": []}}"#,
        #"{"embeds": [{"description": "x", "colour": 3}], "allowed_mentions": {"parse": []}}"#,
    ])
    func checkerFindsFaults(_ json: String) throws {
        let payload = RenderedPayload(json: try JSONReader().read(Array(json.utf8)))
        let results = try DiscordReading.check([("faulty", payload)])
        #expect(results.count == 1 && results.allSatisfy { !$0.findings.isEmpty }, "\(results.map(\.findings))")
    }

    @Test("the checker takes a description of 4096 characters, counted in UTF-16 units, and not one more")
    func checkerCountsTheLimit() throws {
        func payload(_ description: String) -> RenderedPayload {
            RenderedPayload(json: ["allowed_mentions": ["parse": []], "embeds": [["description": .string(description)]]])
        }
        let results = try DiscordReading.check([
            ("at the limit", payload(String(repeating: "a", count: 4_094) + "👋")),
            ("over the limit", payload(String(repeating: "a", count: 4_095) + "👋")),
        ])
        #expect(results.map(\.findings.isEmpty) == [true, false])
    }

    @Test("every golden case")
    func goldenCorpus() throws {
        try Self.expectReadBack(GoldenCase.all.map { ($0.name, try DiscordRenderer().render($0.message())) })
    }

    @Test("every hostile string, in every place a sender can put text, reads back literally and mentions no one")
    func hostileCorpus() throws {
        try Self.expectReadBack(HostileCorpus.entries.map { entry in
            ("line \(entry.line)", try DiscordRenderer().render(HostileCorpus.message(carrying: entry.text).message))
        })
    }

    @Test("random messages, at the real limit and at 300 UTF-16 units per description", arguments: [UInt64(1), 2, 3, 4])
    func randomMessages(seed: UInt64) throws {
        var random = RandomMessages(seed: seed)
        var renderings: [(name: String, rendering: Rendering)] = []
        let small = DiscordRenderer(maximumDescriptionLength: 300, maximumMessages: .max)
        for index in 0..<100 {
            let message = random.message()
            for (label, renderer) in [("", DiscordRenderer()), (" at 300", small)] {
                let rendering = try renderer.render(message)
                for sent in rendering.messages {
                    let description = DiscordReading.description(of: sent.payload)
                    #expect(description.utf16.count <= renderer.maximumDescriptionLength, "seed \(seed) message \(index)\(label)")
                }
                renderings.append(("seed \(seed) message \(index)\(label)", rendering))
            }
        }
        try Self.expectReadBack(renderings)
    }

    @Test("random long messages: the messages read back and joined are the fitted document", arguments: [UInt64(1), 2, 3, 4])
    func randomLongMessages(seed: UInt64) throws {
        var random = RandomMessages(seed: seed)
        let renderer = DiscordRenderer(maximumDescriptionLength: 1_000, maximumMessages: .max)
        let messages = (0..<10).map { _ in random.longMessage() }
        let renderings = try messages.map { try renderer.render($0) }
        let results = try Self.expectReadBack(renderings.enumerated().map { ("seed \(seed) long message \($0.offset)", $0.element) })
        var split = 0
        for (index, (message, rendering)) in zip(messages, renderings).enumerated() {
            // A code block cut at an empty line loses that line on Discord, which the rendering reports.
            guard !rendering.messages.contains(where: { $0.payload.degradations.contains { $0.kind == .textAltered } }) else { continue }
            if rendering.messages.count > 1 { split += 1 }
            let read = try rendering.messages.indices.map { number in
                let result = try #require(results["seed \(seed) long message \(index) message \(number + 1)"])
                return try DiscordReading.document(fromRead: result.read)
            }
            let fitted = renderer.prepared(Document.lowering(message)).document
            let joins = try fitted.limited(to: renderer.limits, serviceName: "Discord").joins.map { join -> LimitedDocument.Join in
                guard case .withinBlock(let separator?) = join else { return join }
                return .withinBlock(separator: TextRun(separator.text, style: TextStyle(
                    bold: separator.style.bold, italic: separator.style.italic, strikethrough: separator.style.strikethrough,
                    monospace: separator.style.monospace, link: separator.style.link)))
            }
            #expect(LimitedDocument.joined(read, by: joins) == (try DiscordReading.shownText(of: rendering.fittedDocument)), "seed \(seed) long message \(index)")
        }
        #expect(split >= 5, "too few random long messages were split")
    }
}
