import Foundation
import Herald
import HeraldTelegram
import HeraldTestSupport
import Testing

/// Telethon reads every payload back (`scripts/check_telegram.py`): the golden corpus, the hostile corpus in every
/// position and random messages give the fitted document, within Telegram's limits, with nothing Telegram would
/// refuse, trim or turn into a mention.
@Suite("Telegram read back by Telethon", .requires(.telethon))
struct TelegramReadBackTests {
    /// A rendering to check, named for the findings.
    struct Case {
        var name: String
        var message: NotificationMessage
        var renderer: TelegramRenderer
        var rendering: Rendering
    }

    /// Checks `cases` in one run of the script: no finding; each message read back is its document, within the
    /// renderer's limit; the messages joined are the fitted document.
    static func check(_ cases: [Case]) throws {
        let payloads = cases.flatMap { item in
            item.rendering.messages.enumerated().map { index, message in ("\(item.name) #\(index + 1)", message.payload.json) }
        }
        let result = try TelegramCheck.run(payloads)
        #expect(result.findings.isEmpty && result.status == 0, "\(result.findings.prefix(20).joined(separator: "\n"))")
        for item in cases {
            var shown: [Document] = []
            for (index, message) in item.rendering.messages.enumerated() {
                let calls = try #require(result.readings["\(item.name) #\(index + 1)"], "\(item.name)")
                let attachments = message.document.blocks.compactMap { block -> HeraldCore.Attachment? in
                    if case .attachment(let attachment, _) = block { attachment } else { nil }
                }
                let document = try TelegramReadBack.document(calls, attachments: attachments)
                let expected = TelegramReadBack.expected(message.document)
                #expect(TelegramReadBack.matches(document, expected), "\(item.name) message \(index + 1): \(document) is not \(expected)")
                let text = calls.compactMap(\.text).joined()
                #expect(text.utf16.count <= item.renderer.maximumTextUTF16Units, "\(item.name) message \(index + 1)")
                // Read back as the message's document (the no-break spaces at its edges aside), to be joined.
                shown.append(TelegramReadBack.matches(document, expected) ? expected : document)
            }
            let fitted = item.renderer.prepared(Document.lowering(item.message)).document
            let joins = try fitted.limited(to: item.renderer.limits, serviceName: "Telegram").joins.map { join in
                guard case .withinBlock(let separator?) = join else { return join }
                return LimitedDocument.Join.withinBlock(separator: HeraldCore.TextRun(separator.text, style: separator.style))
            }
            let joined = LimitedDocument.joined(shown, by: joins)
            let expected = TelegramReadBack.expected(item.rendering.fittedDocument)
            #expect(joined.blocks.filter(\.isText) == expected.blocks.filter(\.isText), "\(item.name)")
            #expect(joined.blocks.filter { !$0.isText } == expected.blocks.filter { !$0.isText }, "\(item.name)")
        }
    }

    static func rendered(_ name: String, _ message: NotificationMessage, _ renderer: TelegramRenderer = TelegramRenderer()) throws -> Case {
        Case(name: name, message: message, renderer: renderer, rendering: try renderer.render(message))
    }

    @Test("every golden case reads back as the fitted document")
    func goldenCorpus() throws {
        try Self.check(GoldenCase.all.map { golden in try Self.rendered(golden.name, try golden.message()) })
    }

    @Test("every hostile string, in every place a sender can put text, reads back literally")
    func hostileCorpus() throws {
        try Self.check(HostileCorpus.entries.map { entry in
            try Self.rendered(entry.description, HostileCorpus.message(carrying: entry.text).message)
        })
    }

    @Test("random messages, at the real limit and at 50 UTF-16 units", arguments: [1, 2, 3, 4] as [UInt64])
    func randomMessages(seed: UInt64) throws {
        var random = RandomMessages(seed: seed)
        var cases: [Case] = []
        for index in 0..<150 {
            let message = random.message()
            for renderer in [TelegramRenderer(), TelegramRenderer(maximumTextUTF16Units: 50, maximumMessages: .max)] {
                do {
                    cases.append(try Self.rendered("seed \(seed) message \(index) limit \(renderer.maximumTextUTF16Units)", message, renderer))
                } catch {
                    // Only a title, names and tags too long for the small limit, or one character or table row, may fail.
                    #expect(renderer.maximumTextUTF16Units == 50, "seed \(seed) message \(index): \(error)")
                }
            }
        }
        #expect(cases.filter { $0.rendering.messages.count > 1 }.count >= 20, "too few messages reach the limit to test splitting")
        try Self.check(cases)
    }

    @Test("random long messages are split within the limit and read back joined as the fitted document", arguments: [1, 2, 3, 4] as [UInt64])
    func randomLongMessages(seed: UInt64) throws {
        var random = RandomMessages(seed: seed)
        var cases: [Case] = []
        for index in 0..<12 {
            let message = random.longMessage()
            cases.append(try Self.rendered("seed \(seed) long \(index)", message))
            cases.append(try Self.rendered("seed \(seed) long \(index) at 1000", message, TelegramRenderer(maximumTextUTF16Units: 1_000, maximumMessages: .max)))
        }
        #expect(cases.filter { $0.rendering.messages.count > 1 }.count >= 12, "too few long messages were split")
        try Self.check(cases)
    }

    @Test("the checker finds what Telegram would refuse, trim or make a mention")
    func checkerFindsProblems() throws {
        func sendMessage(_ text: String) -> JSONValue {
            [["method": "sendMessage", "text": .string(text), "parse_mode": "HTML", "link_preview_options": ["is_disabled": true]]]
        }
        let result = try TelegramCheck.run([
            ("leading space", sendMessage(" x")),
            ("mention", sendMessage("ping @everyone")),
            ("too long", sendMessage(String(repeating: "a", count: 4097))),
            ("shrunk entity", sendMessage("a<b> x</b>")),
            ("tab", sendMessage("a\tb")),
            ("unknown method", [["method": "sendSticker", "sticker": "x"]]),
            ("mailto", sendMessage("<a href=\"mailto:a@example.org\">a</a>")),
            ("fine", sendMessage("<b>bold</b> <code>@everyone</code> a@b.org")),
        ])
        #expect(result.status == 1)
        for name in ["leading space", "mention", "too long", "shrunk entity", "tab", "unknown method", "mailto"] {
            #expect(result.findings.contains { $0.hasPrefix(name + ":") }, "no finding for \(name): \(result.findings)")
        }
        #expect(!result.findings.contains { $0.hasPrefix("fine:") }, "\(result.findings)")
    }

    @Test("an unescaped tag would not read back as text: the reading is Telethon's, not the renderer's")
    func unescapedMarkupReadsAsMarkup() throws {
        let payload: JSONValue = [["method": "sendMessage", "text": "a <b>x</b>", "parse_mode": "HTML", "link_preview_options": ["is_disabled": true]]]
        let calls = try #require(try TelegramCheck.run([("markup", payload)]).readings["markup"])
        let document = try TelegramReadBack.document(calls, attachments: [])
        #expect(document == Document(blocks: [.paragraph([HeraldCore.TextRun("a "), HeraldCore.TextRun("x", style: TextStyle(bold: true))])]))
    }
}

extension Block {
    /// Whether the block is text (not an attachment or a sticker).
    var isText: Bool {
        switch self {
        case .heading, .paragraph, .codeBlock, .table: true
        case .attachment, .sticker: false
        }
    }
}
