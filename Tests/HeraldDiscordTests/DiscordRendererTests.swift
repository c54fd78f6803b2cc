import Foundation
import Herald
import HeraldTestSupport
import Testing

/// The webhook body for each feature, and the changes Discord needs, each reported.
@Suite("Discord renderer")
struct DiscordRendererTests {
    /// The body of `message`'s only message.
    static func body(_ message: NotificationMessage, renderer: DiscordRenderer = DiscordRenderer()) throws -> String {
        String(decoding: try renderer.render(message).payload.body, as: UTF8.self)
    }

    @Test("title, styles and a link make one embed; mentions are off and user text stays literal")
    func embed() throws {
        var message = try NotificationMessage(title: "Print failed: *part*.gcode")
        try message.addText("Nozzle ", bold: true)
        try message.addText("jammed", bold: true, italic: true)
        try message.addText(" @everyone <@123> :fire: see ")
        try message.addText("the log", link: "https://example.org/log_(1)")
        #expect(try Self.body(message) == #"""
            {"allowed_mentions":{"parse":[]},"embeds":[{"description":"**Nozzle _jammed_** \\@everyone \\<\\@123> \\:fire\\: see [the log](<https://example.org/log\\_\\(1\\)>)","title":"Print failed\\: \\*part\\*.gcode"}]}
            """#)
    }
}

extension DiscordRendererTests {
    /// The report lines of rendering `message`.
    static func report(_ message: NotificationMessage, renderer: DiscordRenderer = DiscordRenderer()) throws -> [String] {
        try renderer.render(message).degradations.map { "\($0.kind.rawValue): \($0)" }
    }

    @Test("code blocks keep their language; three backticks in a row get a zero-width space; c# is not a Discord language")
    func codeBlocks() throws {
        var message = try NotificationMessage()
        try message.addCode("print('```')", language: "python")
        try message.addCode("\n\nint x;", language: "c#")
        #expect(try Self.body(message) == #"""
            {"allowed_mentions":{"parse":[]},"embeds":[{"description":"```python\nprint('``\#u{200B}`')\n```\n\n```\nint x;\n```"}]}
            """#)
        #expect(try Self.report(message) == [
            "text_altered: parts[0] \"print('```')\": a zero-width space put between backticks on Discord, whose code blocks end at the first three in a row",
            "code_language_not_shown: parts[1]: code language c# not passed to Discord, which names a language with letters, digits and _ + . - only; shown as plain monospace text",
            "text_altered: parts[1] \"int x;\": 2 empty lines at the start or end of a code block not shown on Discord, which drops them",
        ])
    }

    @Test("the color of most colored text is the side color, reported; the others are not shown; a tie shows none")
    func sideColor() throws {
        var message = try NotificationMessage()
        try message.addText("Print failed", bold: true, color: .red)
        try message.addText(" on ")
        try message.addText("P1", color: .green)
        let rendering = try DiscordRenderer().render(message)
        #expect(String(decoding: rendering.payload.body, as: UTF8.self).contains(#""color":15548997"#))
        #expect(rendering.degradations.map(\.description) == [
            #"parts[0] "Print failed": color red shown as the embed's side color on Discord, which cannot color text"#,
            #"parts[2] "P1": color green not shown on Discord: the embed's side color is red, the color of most colored text"#,
        ])
        var tie = try NotificationMessage()
        try tie.addText("ab", color: .red)
        try tie.addText("cd", color: .blue)
        #expect(try !Self.body(tie).contains("color"))
        #expect(try Self.report(tie).allSatisfy { $0.hasPrefix("color_not_shown") && $0.hasSuffix("no one color covers most colored text to be the embed's side color") })
    }

    @Test("files: at most 10 per message and 10 MiB in all; the rest are named")
    func files() throws {
        var message = try NotificationMessage()
        for index in 0..<11 { try message.addAttachment(data: Data([UInt8(index)]), filename: "f\(index).png", mimeType: "image/png") }
        let rendering = try DiscordRenderer().render(message)
        guard case .object(let body) = rendering.payload.json, case .array(let files)? = body["attachments"] else {
            Issue.record("no attachments")
            return
        }
        #expect(files.count == 10)
        #expect(files.first == ["filename": "f0.png", "id": 0])
        #expect(try Self.report(message) == [
            "attachment_not_delivered: parts[10] \"f10.png\": attachment not delivered: a Discord message carries at most 10 files of 10 MiB in all; its name is shown instead",
        ])
        #expect(DiscordReading.description(of: rendering.payload) == "_📎 f10.png (image/png, 1 byte)_")
        var large = try NotificationMessage()
        try large.addAttachment(data: Data(count: 600), filename: "a.bin", mimeType: "application/octet-stream")
        try large.addAttachment(data: Data(count: 600), filename: "b.bin", mimeType: "application/octet-stream")
        #expect(try Self.report(large, renderer: DiscordRenderer(uploadByteLimit: 1_000)).map { $0.prefix(40) } == ["attachment_not_delivered: parts[1] \"b.bi"])
    }
}

extension DiscordRendererTests {
    @Test("a description exactly at the limit is one message; one unit less and it is two, the title first, the tags last")
    func limitBoundary() throws {
        var message = try NotificationMessage(title: "Night shift")
        try message.addText("Frame 1 acquired: 0.1 s.\n\nFrame 2 acquired: 0.1 s.")
        try message.addTags(["x12sa"])
        let whole = try DiscordRenderer().render(message)
        let length = DiscordReading.description(of: whole.payload).utf16.count
        #expect(DiscordReading.description(of: whole.payload) == "Frame 1 acquired\\: 0.1 s.\n\nFrame 2 acquired\\: 0.1 s.\n\n\\#x12sa")
        let exact = try DiscordRenderer(maximumDescriptionLength: length).render(message)
        #expect(exact.messages.count == 1 && exact.degradations.isEmpty && exact.payload.body == whole.payload.body)
        let tight = try DiscordRenderer(maximumDescriptionLength: length - 1).render(message)
        #expect(tight.messages.count == 2)
        #expect(tight.degradations.map(\.kind) == [.split])
        #expect(tight.messages.allSatisfy { DiscordReading.description(of: $0.payload).utf16.count <= length - 1 })
        #expect(String(decoding: tight.messages[0].payload.body, as: UTF8.self).contains(#""title":"Night shift""#))
        #expect(DiscordReading.description(of: tight.messages[1].payload).hasSuffix("\\#x12sa"))
        #expect(tight.fittedDocument == whole.fittedDocument)
    }

    @Test("escapes count toward the limit: a text of punctuation is split by its written length")
    func escapesCount() throws {
        var message = try NotificationMessage()
        try message.addText(String(repeating: "*_", count: 3_000))
        let rendering = try DiscordRenderer().render(message)
        #expect(rendering.messages.count == 3)
        #expect(rendering.messages.allSatisfy { DiscordReading.description(of: $0.payload).utf16.count <= DiscordRenderer.descriptionLimit })
    }

    @Test("a title over 256 characters becomes the description's bold first line, whole")
    func longTitle() throws {
        let title = String(repeating: "Nozzle jam ", count: 30) + "again"
        var message = try NotificationMessage(title: title)
        try message.addText("Check P3.")
        let rendering = try DiscordRenderer().render(message)
        #expect(DiscordReading.description(of: rendering.payload) == "**\(title)**\n\nCheck P3.")
        #expect(rendering.degradations.map(\.kind) == [.headingShownAsText])
    }

    @Test("mailto links and link text with brackets are shown as text and URL; intraword italic and trailing spaces are reported")
    func changesDiscordNeeds() throws {
        var message = try NotificationMessage()
        try message.addText("ops", link: "mailto:ops@example.org")
        try message.addText(" and ")
        try message.addText("[log]", link: "https://example.org/log")
        try message.addText("\nre")
        try message.addText("start", italic: true)
        try message.addText("ed  \nnext")
        #expect(DiscordReading.description(of: try DiscordRenderer().render(message).payload)
            == "ops (mailto\\:ops\\@example.org) and \\[log\\] (https\\://example.org/log)\nrestarted\nnext")
        #expect(try Self.report(message).map { String($0.prefix(while: { $0 != ":" })) } == ["link_shown_as_text", "link_shown_as_text", "style_not_shown", "text_altered"])
    }

    @Test("an empty message has no embed; Discord shows no stickers")
    func emptyAndStickers() throws {
        var message = try NotificationMessage()
        try message.addSticker("ab12:3")
        #expect(try Self.body(message) == #"{"allowed_mentions":{"parse":[]}}"#)
        #expect(try Self.report(message) == ["sticker_not_shown: parts[0] \"ab12:3\": stickers are not shown on Discord"])
    }
}
