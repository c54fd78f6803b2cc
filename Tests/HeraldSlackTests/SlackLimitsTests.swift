import Foundation
import Herald
import HeraldSlack
import HeraldTestSupport
import Testing

/// Slack's limits at and around their edges: 3000 characters of section text, 50 blocks and 40,000 characters of
/// fallback text per message, counted in UTF-16 code units of what Slack receives; beyond, several messages.
@Suite("Slack limits")
struct SlackLimitsTests {
    /// One paragraph of words, `length` UTF-16 code units long.
    static func words(_ length: Int) -> String {
        let text = String(repeating: "abcd ", count: length / 5 + 1)
        return String(text.prefix(length - 1)) + "z"
    }

    static func message(paragraphs: [String], title: String? = nil) throws -> NotificationMessage {
        var message = try NotificationMessage(title: title)
        try message.addText(paragraphs.joined(separator: "\n\n"))
        return message
    }

    /// Each message within every limit, and the messages read back and joined are the fitted document.
    static func expectWithinLimitsAndWhole(_ rendering: Rendering, of message: NotificationMessage, renderer: SlackRenderer = SlackRenderer(), sourceLocation: SourceLocation = #_sourceLocation) throws {
        for body in rendering.messages.map(\.payload.body) {
            guard case .object(let payload) = try JSONReader().read(body), case .array(let blocks)? = payload["blocks"],
                case .string(let fallback)? = payload["text"]
            else {
                Issue.record("not a Slack body", sourceLocation: sourceLocation)
                continue
            }
            #expect(blocks.count <= SlackLimits.blocksPerMessage, sourceLocation: sourceLocation)
            #expect(fallback.utf16.count <= SlackLimits.fallbackText, sourceLocation: sourceLocation)
        }
        #expect(rendering.sectionTexts.allSatisfy { $0.utf16.count <= SlackLimits.sectionText }, sourceLocation: sourceLocation)
        #expect(try SlackReading(rendering, of: message, renderer: renderer).joined == SlackReading.expected(rendering), sourceLocation: sourceLocation)
    }

    @Test("a section of exactly 3000 UTF-16 code units is one section; one more and it is two, cut at a space, in one message")
    func sectionEdge() throws {
        let exact = try SlackRenderer().render(try Self.message(paragraphs: [Self.words(3_000)]))
        #expect(exact.messages.count == 1 && exact.degradations.isEmpty)
        #expect(exact.sectionTexts.map(\.utf16.count) == [3_000])

        let message = try Self.message(paragraphs: [Self.words(3_001)])
        let over = try SlackRenderer().render(message)
        #expect(over.messages.count == 1)
        #expect(over.degradations.map(\.kind) == [.blockSplit])
        #expect(over.sectionTexts.count == 2)
        #expect(over.sectionTexts.allSatisfy { !$0.hasPrefix(" ") && !$0.hasSuffix(" ") })
        try Self.expectWithinLimitsAndWhole(over, of: message)
    }

    @Test("the limit counts what Slack receives: entities and neutralised characters make a text longer")
    func escapesCount() throws {
        let message = try Self.message(paragraphs: [Self.words(2_990) + "_&"])
        let rendering = try SlackRenderer().render(message)
        #expect(rendering.sectionTexts.count == 2)
        try Self.expectWithinLimitsAndWhole(rendering, of: message)
    }

    @Test("a long log is one message of sections cut at line breaks; past 50 sections, several messages")
    func longLog() throws {
        let lines = (0..<600).map { "Frame \($0) acquired; exposure 0.1 s, mean counts 1234." }
        var message = try NotificationMessage(title: "Night shift log")
        try message.addText(lines.joined(separator: "\n"))
        let rendering = try SlackRenderer().render(message)
        #expect(rendering.messages.count == 1)
        #expect(rendering.degradations.map(\.kind) == [.blockSplit])
        #expect(rendering.degradations.first?.message == "paragraph longer than a Slack section (3000 characters of mrkdwn) shown as 11 sections, cut at line breaks or spaces")
        // Every section holds whole lines.
        #expect(rendering.sectionTexts.joined(separator: "\n").split(separator: "\n").map(String.init) == lines)
        try Self.expectWithinLimitsAndWhole(rendering, of: message)

        var longer = try NotificationMessage(title: "Night shift log")
        try longer.addText((0..<3_000).map { "Frame \($0) acquired." }.joined(separator: "\n"))
        let split = try SlackRenderer().render(longer)
        #expect(split.messages.count == 2)
        #expect(split.degradations.map(\.kind) == [.blockSplit, .split])
        try Self.expectWithinLimitsAndWhole(split, of: longer)
    }

    @Test("50 blocks are one message, a title's header among them; 51 are two")
    func blockEdge() throws {
        let fifty = try SlackRenderer().render(try Self.message(paragraphs: (1...49).map { "Frame \($0)." }, title: "Night shift"))
        #expect(fifty.messages.count == 1)
        let message = try Self.message(paragraphs: (1...50).map { "Frame \($0)." }, title: "Night shift")
        let rendering = try SlackRenderer().render(message)
        #expect(rendering.messages.count == 2)
        #expect(rendering.degradations.map(\.kind) == [.split])
        try Self.expectWithinLimitsAndWhole(rendering, of: message)
    }

    @Test("the fallback text limits a message of many full sections")
    func fallbackEdge() throws {
        let message = try Self.message(paragraphs: (0..<20).map { _ in Self.words(2_500) })
        let rendering = try SlackRenderer().render(message)
        #expect(rendering.messages.count == 2)
        #expect(rendering.fallbackTexts.allSatisfy { $0.utf16.count <= SlackLimits.fallbackText && $0.utf16.count > 10_000 })
        try Self.expectWithinLimitsAndWhole(rendering, of: message)
    }

    @Test("one message of many sections when only one may go: the log fills it, then the marker")
    func oneMessageOfSections() throws {
        let renderer = SlackRenderer(maximumMessages: 1)
        var message = try NotificationMessage(title: "Night shift log")
        try message.addText((0..<1_000).map { "Frame \($0) acquired; exposure 0.1 s, mean counts 1234." }.joined(separator: "\n"))
        let rendering = try renderer.render(message)
        #expect(rendering.messages.count == 1)
        #expect(rendering.degradations.map(\.kind) == [.blockSplit, .truncated])
        #expect(rendering.fallbackTexts[0].utf16.count > 35_000)
        try Self.expectWithinLimitsAndWhole(rendering, of: message, renderer: renderer)
    }

    @Test("after the last message Slack may get, the text is cut with a visible marker, reported")
    func truncated() throws {
        let renderer = SlackRenderer(maximumMessages: 2)
        let message = try Self.message(paragraphs: (0..<30).map { _ in Self.words(2_900) })
        let rendering = try renderer.render(message)
        #expect(rendering.messages.count == 2)
        #expect(rendering.degradations.map(\.kind) == [.split, .truncated])
        #expect(rendering.sectionTexts.last?.hasPrefix("_… (truncated: ") == true)
        try Self.expectWithinLimitsAndWhole(rendering, of: message, renderer: renderer)
    }
}
