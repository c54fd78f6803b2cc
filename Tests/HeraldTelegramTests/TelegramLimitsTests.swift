import Foundation
import Herald
import HeraldTelegram
import HeraldTestSupport
import Testing

/// Telegram's limits at and around their edges: 4096 UTF-16 code units of text, 100 entities, 32768 bytes of
/// HTML, each checked on the HTML actually sent.
@Suite("Telegram limits")
struct TelegramLimitsTests {
    /// The text (or caption) of each message of `rendering`, and its HTML.
    static func texts(_ rendering: Rendering) throws -> [(html: String, shown: String)] {
        try rendering.messages.map { message in
            guard case .array(let calls) = message.payload.json else { throw ReaderError("not an array") }
            for case .object(let call) in calls {
                if case .string(let html)? = call["text"] ?? call["caption"] { return (html, Self.shown(html)) }
            }
            throw ReaderError("a message without text")
        }
    }

    /// The text Telegram reads from HTML that holds no markup but `<b>`, `<a>` and the three entities.
    static func shown(_ html: String) -> String {
        html.replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression)
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }

    static func text(_ text: String) throws -> NotificationMessage {
        var message = try NotificationMessage()
        try message.addText(text)
        return message
    }

    @Test("the limits are declared in Telegram's units")
    func declared() {
        let limits = TelegramRenderer().limits
        #expect(limits.perMessage.map(\.description) == [
            "4096 UTF-16 code units of message text", "100 items of formatting (bold, italic, links, code…)", "32768 UTF-8 bytes of message HTML",
        ])
        #expect(limits.maximumMessages == 10)
    }

    @Test("4096 UTF-16 code units are one message, one more is two; an emoji counts two", arguments: ["a", "👋"])
    func textBoundary(unit: String) throws {
        let fits = String(repeating: unit, count: 4096 / unit.utf16.count)
        let one = try TelegramRenderer().render(try Self.text(fits))
        #expect(one.messages.count == 1 && one.degradations.isEmpty)
        let two = try TelegramRenderer().render(try Self.text(fits + " " + unit))
        #expect(two.messages.count == 2 && two.degradations.map(\.kind) == [.split])
        #expect(try Self.texts(two).allSatisfy { $0.shown.utf16.count <= 4096 })
        #expect(try Self.texts(two).map(\.shown).joined(separator: " ") == fits + " " + unit)
    }

    @Test("100 entities are one message, 101 are two")
    func entityBoundary() throws {
        func styled(_ count: Int) throws -> NotificationMessage {
            var message = try NotificationMessage()
            for index in 0..<count {
                try message.addText("w\(index)", bold: true)
                try message.addText(" ")
            }
            return message
        }
        #expect(try TelegramRenderer().render(try styled(100)).messages.count == 1)
        let split = try TelegramRenderer().render(try styled(101))
        #expect(split.messages.count == 2)
        #expect(try Self.texts(split).allSatisfy { $0.html.components(separatedBy: "<b>").count - 1 <= 100 })
    }

    @Test("HTML over 32768 bytes is split although its text is short")
    func htmlBoundary() throws {
        var message = try NotificationMessage()
        for index in 0..<40 {
            try message.addText("link \(index)", link: "https://example.org/\(index)/" + String(repeating: "p", count: 1_000))
            try message.addText("\n")
        }
        let rendering = try TelegramRenderer().render(message)
        #expect(rendering.messages.count == 2)
        let texts = try Self.texts(rendering)
        #expect(texts.allSatisfy { $0.html.utf8.count <= 32_768 && $0.shown.utf16.count < 4096 })
    }

    @Test("the no-break space kept at a message's end counts: the message is cut one unit earlier")
    func keptSpaceCounts() throws {
        var message = try NotificationMessage()
        try message.addCode("\n" + String(repeating: "x", count: 4095))
        let rendering = try TelegramRenderer().render(message)
        #expect(rendering.messages.count == 2)
        #expect(try Self.texts(rendering).allSatisfy { $0.shown.utf16.count <= 4096 })
    }

    @Test("after the last message the text is cut with a visible marker, reported")
    func truncation() throws {
        let text = (0..<600).map { "line \($0) of the night log" }.joined(separator: "\n")
        let rendering = try TelegramRenderer(maximumMessages: 2).render(try Self.text(text))
        #expect(rendering.messages.count == 2)
        #expect(rendering.degradations.map(\.kind) == [.split, .truncated])
        let last = try #require(try Self.texts(rendering).last)
        #expect(last.html.contains("\n\n<i>… (truncated: ") && last.html.hasSuffix(" characters not shown)</i>"))
        #expect(try Self.texts(rendering).allSatisfy { $0.shown.utf16.count <= 4096 })
    }

    @Test("attachments travel with the first message")
    func attachmentsFirst() throws {
        var message = try Self.text(String(repeating: "word ", count: 2_000))
        try message.addAttachment(data: Data([1]), filename: "plot.png", mimeType: "image/png")
        let rendering = try TelegramRenderer().render(message)
        #expect(rendering.messages.count == 3)
        let methods = rendering.messages.map { message -> [JSONValue] in
            guard case .array(let calls) = message.payload.json else { return [] }
            return calls.map { if case .object(let call) = $0 { call["method"] ?? .null } else { .null } }
        }
        #expect(methods == [["sendMessage", "sendPhoto"], ["sendMessage"], ["sendMessage"]])
    }
}
