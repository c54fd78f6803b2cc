import Foundation
import Herald
import HeraldSlack
import HeraldTestSupport
import Testing

/// What Slack receives for each feature: the blocks, the escaped and neutralised `mrkdwn`, the fallback text, and
/// the losses reported.
@Suite("Slack rendering")
struct SlackRendererTests {
    /// A zero-width space, which lets Slack read a marker at a word's edge.
    static let z = "\u{200B}"
    /// The neutralising date around `text`: Slack shows `text` as written.
    static func literal(_ text: String) -> String { "<!date^00000000^{_}|\(text)>" }

    @Test("the payload: a header for the title, a section per paragraph, the plain fallback text, no unfurling")
    func payload() throws {
        var message = try NotificationMessage(title: "Print done: Tom & Jerry <3")
        try message.addText("Robot arm stopped", bold: true, color: .red)
        try message.addText(" Please check ")
        try message.addText("docs", link: "https://example.org/robot?a=1&b=2")
        try message.addText(".\n\nSecond paragraph.")
        let rendering = try SlackRenderer().render(message)
        #expect(String(decoding: rendering.payload.body, as: UTF8.self) == #"""
            {"blocks":[{"text":{"emoji":false,"text":"Print done: Tom & Jerry <3","type":"plain_text"},"type":"header"},\#
            {"text":{"text":"*Robot arm stopped* Please check <https://example.org/robot?a=1&amp;b=2|docs>.","type":"mrkdwn","verbatim":true},"type":"section"},\#
            {"text":{"text":"Second paragraph.","type":"mrkdwn","verbatim":true},"type":"section"}],\#
            "text":"Print done: Tom &amp; Jerry &lt;3\n\nRobot arm stopped Please check docs.\n\nSecond paragraph.",\#
            "unfurl_links":false,"unfurl_media":false}
            """#)
        #expect(rendering.degradations.map(\.description) == [#"parts[0] "Robot arm stopped": color red not shown on Slack"#])
    }

    @Test("styles nest, close at each line end, and reopen where the next run keeps them")
    func styles() throws {
        var message = try NotificationMessage()
        message.addText("ab", style: TextStyle(bold: true, italic: true))
        message.addText("cd", style: TextStyle(italic: true))
        message.addText(" ", style: TextStyle())
        message.addText("old", style: TextStyle(strikethrough: true))
        message.addText(" ", style: TextStyle())
        message.addText("cmd", style: TextStyle(bold: true, monospace: true))
        message.addText("\nnext line", style: TextStyle(bold: true))
        let sections = try SlackRenderer().render(message).sectionTexts
        #expect(sections == ["*_ab_*\(Self.z)_cd_ ~old~ *`cmd`*\n*next line*"])
    }

    @Test("a marker inside a word, or beside a space inside it, gets a zero-width space so that Slack reads it")
    func markersAtWordEdges() throws {
        var message = try NotificationMessage()
        try message.addText("Super")
        try message.addText("cali", italic: true)
        try message.addText("fragilistic ")
        try message.addText("Status: ", bold: true)
        try message.addText("ok")
        #expect(try SlackRenderer().render(message).sectionTexts == [
            "Super\(Self.z)_cali_\(Self.z)fragilistic *Status: \(Self.z)*\(Self.z)ok",
        ])
    }

    @Test("&, < and > are entities; no mention, channel or command comes from user text", arguments: [
        ("a < b & c > d", "a &lt; b &amp; c &gt; d"),
        ("<!channel> <!here> <@U123> <#C123|general> @channel @everyone", "&lt;!channel&gt; &lt;!here&gt; &lt;@U123&gt; &lt;#C123|general&gt; @channel @everyone"),
        ("&amp; stays &amp;", "&amp;amp; stays &amp;amp;"),
    ])
    func entities(_ text: String, _ expected: String) throws {
        #expect(try text.sectionText() == expected)
    }

    @Test("formatting characters and shortcode colons stand as an unformattable date's fallback; a leading > gets a soft hyphen", arguments: [
        ("2*3=6", "2\(literal("*"))3=6"),
        ("snake_case_name", "snake\(literal("_"))case\(literal("_"))name"),
        ("**not bold** ~x~ `y`", "\(literal("**"))not bold\(literal("**")) \(literal("~"))x\(literal("~")) \(literal("`"))y\(literal("`"))"),
        ("＊full width＊ ＿x＿ ｀y｀", "\(literal("＊"))full width\(literal("＊")) \(literal("＿"))x\(literal("＿")) \(literal("｀"))y\(literal("｀"))"),
        ("status :ok: at 12:30:45", "status \(literal(":"))ok: at 12\(literal(":"))30:45"),
        ("> not a quote\n  >> nor this\na > b", "\u{AD}&gt; not a quote\n  \u{AD}&gt;&gt; nor this\na &gt; b"),
        ("＞ full width", "\u{AD}＞ full width"),
    ])
    func neutralised(_ text: String, _ expected: String) throws {
        #expect(try text.sectionText() == expected)
    }

    @Test("a code block keeps its text, the entities aside, and no ``` inside it closes it")
    func codeBlock() throws {
        var message = try NotificationMessage()
        try message.addCode("if a < b && c:\n    print(\"a```b\") # *x* _y_", language: "python")
        let rendering = try SlackRenderer().render(message)
        #expect(rendering.sectionTexts == ["```\nif a &lt; b &amp;&amp; c:\n    print(\"a`\(Self.z)`\(Self.z)`b\") # *x* _y_\n```"])
        #expect(rendering.degradations.map(\.kind) == [.codeLanguageNotShown])
    }

    @Test("monospace is not shown on a backtick or a link; a link whose text Slack would format is followed by its URL")
    func adjustments() throws {
        var message = try NotificationMessage()
        message.addText("a`b", style: TextStyle(monospace: true))
        try message.addText(" ")
        message.addText("docs", style: TextStyle(monospace: true, link: try Link(validating: "https://example.org/docs")))
        try message.addText(" ")
        try message.addText("a_b_c", link: "https://example.org/x")
        try message.addText(" ")
        try message.addText("scan_12.pdf", link: "https://example.org/scan_12.pdf")
        let rendering = try SlackRenderer().render(message)
        #expect(rendering.sectionTexts == [
            "`a`\(Self.z)\(Self.literal("`"))\(Self.z)`b` <https://example.org/docs|docs> a\(Self.literal("_"))b\(Self.literal("_"))c "
                + "(<https://example.org/x>) <https://example.org/scan_12.pdf|scan_12.pdf>",
        ])
        #expect(rendering.degradations.map(\.description) == [
            #"parts[0] "a`b": monospace not shown on Slack for a backtick: no code span can hold one"#,
            #"parts[2] "docs": monospace not shown on Slack for a link: a code span holds no link"#,
            #"parts[4] "a_b_c": link shown as text followed by its URL on Slack, which would read its text as formatting"#,
        ])
    }

    @Test("a title within 150 UTF-16 code units is a header; a longer one a bold paragraph, reported, with nothing cut")
    func longTitle() throws {
        let fits = String(repeating: "t", count: 148) + "👋"
        let header = try SlackRenderer().render(try NotificationMessage(title: fits))
        #expect(header.degradations.isEmpty)
        #expect(SlackPayloadReader.expectedDocument(for: header.fittedDocument).blocks == [.heading(level: 1, content: [TextRun(fits)])])

        let long = String(repeating: "t", count: 149) + "👋"
        let rendering = try SlackRenderer().render(try NotificationMessage(title: long))
        #expect(rendering.sectionTexts == ["*\(long)*"])
        #expect(rendering.degradations.map(\.kind) == [.headingShownAsText])
        #expect(rendering.degradations.first?.message == "title longer than a Slack header (150 characters); shown as bold text")
    }

    @Test("colors, attachments, stickers and code languages are reported; tables are aligned code; tags a last line")
    func capabilities() throws {
        var message = try NotificationMessage(title: "Frames")
        try message.addText("hot", color: .pink)
        try message.addAttachment(data: Data([1, 2, 3]), filename: "plot_1.png", mimeType: "image/png")
        try message.addSticker("ab12:3")
        try message.addTable(title: "Positions", columns: ["device", "readback"], rows: [["samx", "1.02"]])
        try message.addTags(["scan", "robot_arm"])
        let rendering = try SlackRenderer().render(message)
        #expect(rendering.degradations.map(\.kind) == [.colorNotShown, .attachmentNotDelivered, .stickerNotShown, .tableShownAsText])
        #expect(rendering.sectionTexts == [
            "hot",
            "_📎 plot\(Self.literal("_"))1.png (image/png, 3 bytes)_",
            "*Positions*",
            "```\ndevice | readback\n-------+---------\nsamx   | 1.02\n```",
            "#scan #robot\(Self.literal("_"))arm",
        ])
    }

    @Test("an empty message is an empty body, which Slack refuses (no_text) at delivery")
    func emptyMessage() throws {
        let rendering = try SlackRenderer().render(try NotificationMessage())
        #expect(String(decoding: rendering.payload.body, as: UTF8.self) == #"{"blocks":[],"text":"","unfurl_links":false,"unfurl_media":false}"#)
    }
}
