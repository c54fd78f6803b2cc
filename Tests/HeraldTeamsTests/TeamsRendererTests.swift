import Foundation
import Herald
import HeraldTeams
import HeraldTestSupport
import Testing

/// What Teams receives for each feature, checked against docs/services.md and the reference schema's vocabulary.
@Suite("Teams renderer")
struct TeamsRendererTests {
    /// The card's body of the rendering of `message`.
    static func body(_ message: NotificationMessage) throws -> [JSONValue] {
        let payload = try JSONReader().read(TeamsRenderer().render(message).payload.body)
        guard case .array(let attachments)? = payload.member("attachments"),
            case .array(let body)? = attachments.first?.member("content")?.member("body")
        else { throw ReaderError("no card body") }
        return body
    }

    /// The `TextRun` objects of the card, in order.
    static func textRuns(_ message: NotificationMessage) throws -> [[String: JSONValue]] {
        try body(message).flatMap(objects(in:)).filter { $0["type"] == "TextRun" }
    }

    @Test("the envelope is exactly the webhook message docs/services.md names, keys sorted and / unescaped")
    func envelope() throws {
        let payload = try TeamsRenderer().render(NotificationMessage()).payload
        #expect(String(decoding: payload.body, as: UTF8.self) == """
            {"attachments":[{"content":{"$schema":"http://adaptivecards.io/schemas/adaptive-card.json","body":[],\
            "msteams":{"width":"Full"},"type":"AdaptiveCard","version":"1.4"},\
            "contentType":"application/vnd.microsoft.card.adaptive","contentUrl":null}],"type":"message"}
            """)
        #expect(payload.json == (try JSONReader().read(payload.body)))
    }

    @Test("red, green, yellow and blue are Attention, Good, Warning and Accent; black is the default color")
    func colors() throws {
        var message = try NotificationMessage()
        for color in [TextColor.red, .green, .yellow, .blue, .black] { try message.addText(color.rawValue + " ", color: color) }
        let runs = try Self.textRuns(message)
        #expect(runs.map { $0["text"] } == ["red ", "green ", "yellow ", "blue ", "black "])
        #expect(runs.map { $0["color"] } == ["Attention", "Good", "Warning", "Accent", nil])
        #expect(try TeamsRenderer().render(message).degradations.isEmpty)
    }

    @Test("pink has no Teams color: it is shown as red (Attention), and the report says so")
    func pink() throws {
        var message = try NotificationMessage()
        try message.addText("marker", color: .pink)
        #expect(try Self.textRuns(message).map { $0["color"] } == ["Attention"])
        let degradations = try TeamsRenderer().render(message).degradations
        #expect(degradations.map(\.kind) == [.colorApproximated])
        #expect(degradations.map(\.description) == [#"parts[0] "marker": color pink shown as red on Microsoft Teams"#])
    }

    @Test("styles and links are TextRun properties")
    func styles() throws {
        var message = try NotificationMessage()
        try message.addText("all", bold: true, italic: true, strikethrough: true, monospace: true, link: "https://example.org/a?b=1&c")
        #expect(try Self.textRuns(message) == [[
            "type": "TextRun", "text": "all", "weight": "Bolder", "italic": true, "strikethrough": true,
            "fontType": "Monospace", "selectAction": ["type": "Action.OpenUrl", "url": "https://example.org/a?b=1&c"],
        ]])
    }

    @Test("the title is one large bold run, never a Markdown TextBlock")
    func title() throws {
        let message = try NotificationMessage(title: "**Beam** _lost_ <at>all</at>")
        #expect(try Self.body(message) == [[
            "type": "RichTextBlock",
            "inlines": [["type": "TextRun", "text": "**Beam** _lost_ <at>all</at>", "weight": "Bolder", "size": "Large"]],
        ]])
    }

    @Test("a line break starts a block with no spacing; a paragraph break a block with the default spacing")
    func lineBreaks() throws {
        var message = try NotificationMessage()
        try message.addText("one\ntwo\n\nthree")
        #expect(try Self.body(message) == [
            ["type": "RichTextBlock", "inlines": [["type": "TextRun", "text": "one"]]],
            ["type": "RichTextBlock", "inlines": [["type": "TextRun", "text": "two"]], "spacing": "None"],
            ["type": "RichTextBlock", "inlines": [["type": "TextRun", "text": "three"]]],
        ])
    }

    @Test("{{ is split between its braces, so no run holds a date macro")
    func dateMacro() throws {
        var message = try NotificationMessage()
        try message.addText("{{{TIME(2026-11-21T05:37:00Z)}}", bold: true)
        #expect(try Self.textRuns(message).map { $0["text"] } == ["{", "{", "{TIME(2026-11-21T05:37:00Z)}}"])
        #expect(try Self.textRuns(message).allSatisfy { $0["weight"] == "Bolder" })
    }

    @Test("an image is an Image with a data: URI, the file name as alternative text, and the sender's size")
    func image() throws {
        var message = try NotificationMessage()
        try message.addAttachment(data: Data([1, 2, 3]), filename: "plot.png", mimeType: "image/png", width: 800, height: 600)
        #expect(try Self.body(message) == [[
            "type": "Image", "url": "data:image/png;base64,AQID", "altText": "plot.png", "width": "800px", "height": "600px",
        ]])
    }

    @Test("other files, stickers and code languages cannot travel in a Teams webhook, and each is reported")
    func unsupported() throws {
        var message = try NotificationMessage()
        try message.addAttachment(data: Data("%PDF".utf8), filename: "scan.pdf", mimeType: "application/pdf")
        try message.addSticker("4b2f:3")
        try message.addCode("print(1)", language: "python")
        let rendering = try TeamsRenderer().render(message)
        #expect(rendering.degradations.map(\.kind) == [.attachmentNotDelivered, .stickerNotShown, .codeLanguageNotShown])
        #expect(try Self.body(message) == [
            ["type": "RichTextBlock", "inlines": [["type": "TextRun", "text": "📎 scan.pdf (application/pdf, 4 bytes)", "italic": true]]],
            ["type": "Container", "style": "Emphasis", "items": [
                ["type": "RichTextBlock", "inlines": [["type": "TextRun", "text": "print(1)", "fontType": "Monospace"]]],
            ]],
        ])
    }
}

extension JSONValue {
    /// The member `key` of an object; `nil` for anything else.
    func member(_ key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members[key]
    }
}
