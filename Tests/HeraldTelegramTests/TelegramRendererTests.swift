import Foundation
import Herald
import HeraldTelegram
import HeraldTestSupport
import Testing

/// The payload of each feature, the capabilities and the changes Telegram needs.
@Suite("Telegram renderer")
struct TelegramRendererTests {
    /// The calls of a message rendered as one Telegram message.
    static func calls(_ message: NotificationMessage) throws -> [[String: JSONValue]] {
        let rendering = try TelegramRenderer().render(message)
        try #require(rendering.messages.count == 1)
        guard case .array(let calls) = rendering.payload.json else { throw ReaderError("not an array: \(rendering.payload.json)") }
        return calls.map { call in if case .object(let object) = call { object } else { [:] } }
    }

    /// The HTML of the single `sendMessage` of a message.
    static func html(_ message: NotificationMessage) throws -> String {
        let calls = try calls(message)
        try #require(calls.count == 1 && calls[0]["method"] == "sendMessage", "\(calls)")
        guard case .string(let text)? = calls[0]["text"] else { throw ReaderError("no text") }
        return text
    }

    static func message(_ build: (inout NotificationMessage) throws -> Void) throws -> NotificationMessage {
        var message = try NotificationMessage()
        try build(&message)
        return message
    }

    @Test("the capabilities: emphasis, links and code languages; no colors, headings, tables or stickers")
    func capabilities() {
        let capabilities = TelegramRenderer().capabilities
        #expect(capabilities.serviceName == "Telegram")
        #expect(capabilities.styles == Set(StyleFeature.allCases))
        #expect(capabilities.colors == [.black: .serviceDefault])
        #expect(capabilities.links == .native && capabilities.headings == .boldParagraph && capabilities.tables == .alignedText)
        #expect(capabilities.codeLanguages && capabilities.attachments == .native && capabilities.maximumStickers == 0)
    }

    @Test("a text message is one sendMessage in parse_mode HTML, without link previews")
    func textMessage() throws {
        let calls = try Self.calls(try Self.message { try $0.addText("Print done") })
        #expect(calls == [[
            "method": "sendMessage", "text": "Print done", "parse_mode": "HTML", "link_preview_options": ["is_disabled": true],
        ]])
    }

    @Test("&, < and > are entities in text, \" too in attributes; nothing else is escaped")
    func escaping() throws {
        let html = try Self.html(try Self.message {
            try $0.addText("a < b & c > d \"q\" 'x' &amp; &#42;\n")
            try $0.addText("link", link: "https://example.org/?a=1&b=2")
            try $0.addCode("if a < b && c > d {}", language: "c++")
        })
        #expect(html == """
            a &lt; b &amp; c &gt; d "q" 'x' &amp;amp; &amp;#42;
            <a href="https://example.org/?a=1&amp;b=2">link</a>

            <pre><code class="language-c++">if a &lt; b &amp;&amp; c &gt; d {}</code></pre>
            """)
    }

    @Test("each style is a tag; the link and monospace enclose the emphases, and a tag stays open while its style goes on")
    func styles() throws {
        let html = try Self.html(try Self.message {
            try $0.addText("b", bold: true)
            try $0.addText("bi", bold: true, italic: true)
            try $0.addText("i", italic: true)
            $0.addText("s", style: TextStyle(strikethrough: true))
            $0.addText("m", style: TextStyle(bold: true, monospace: true))
            $0.addText("l", style: TextStyle(bold: true, link: try Link(validating: "https://example.org")))
        })
        #expect(html == #"<b>b<i>bi</i></b><i>i</i><s>s</s><code><b>m</b></code><a href="https://example.org"><b>l</b></a>"#)
    }

    @Test("the title is a bold line, a table an aligned pre block with its title bold; colors and stickers reported")
    func blocks() throws {
        var message = try NotificationMessage(title: "Scan 12")
        try message.addText("red", color: .red)
        try message.addTable(title: "Axes", columns: ["axis", "pos"], rows: [["x", "1.5"]])
        try message.addSticker("ab12:3")
        let rendering = try TelegramRenderer().render(message)
        #expect(Set(rendering.degradations.map(\.kind)) == [.headingShownAsText, .colorNotShown, .tableShownAsText, .stickerNotShown])
        #expect(try Self.html(message) == "<b>Scan 12</b>\n\nred\n\n<b>Axes</b>\n\n<pre>axis | pos\n-----+----\nx    | 1.5</pre>")
    }

    @Test("tags are a last line: #hashtags where Telegram reads the whole tag as one, the tag's text otherwise")
    func tags() throws {
        let message = try Self.message {
            try $0.addText("done")
            try $0.addTags(["robot", "sample-exchange", "日本", "1234", "a·b", "_x", "two words"])
        }
        #expect(try Self.html(message) == "done\n\n#robot sample-exchange #日本 1234 #a·b #_x two words")
        #expect(try TelegramRenderer().render(message).degradations.isEmpty)
    }

    @Test("a link Telegram would not make clickable is its text followed by the URL, reported; others stay links",
          arguments: [
            ("mailto:ops@example.org", false), ("http://localhost:8080/x", false), ("https://printer-01/status", false),
            ("http://example.org:0/", false), ("https://[::1]/x", true), ("http://printer.local/x", true),
          ])
    func links(url: String, clickable: Bool) throws {
        let message = try Self.message { try $0.addText("status", link: url) }
        let rendering = try TelegramRenderer().render(message)
        if clickable {
            #expect(try Self.html(message) == "<a href=\"\(url.replacingOccurrences(of: "&", with: "&amp;"))\">status</a>")
            #expect(rendering.degradations.isEmpty)
        } else {
            #expect(try Self.html(message) == "status (\(url))")
            #expect(rendering.degradations.map(\.kind) == [.linkShownAsText])
        }
    }

    @Test("characters Telegram changes: a tab is a space; what it removes is U+FFFD; a ring is composed; direction marks as Telegram makes them")
    func characters() throws {
        let cases: [(String, String, Bool)] = [
            ("a\tb", "a b", true), ("a\u{202E}b\u{2028}c", "a\u{FFFD}b\u{FFFD}c", true), ("x\u{0333}", "x\u{FFFD}", true),
            ("Bra\u{030A}valla", "Br\u{E5}valla", false), ("\u{030A}x", "\u{FFFD}x", true), ("q\u{030A}", "q\u{FFFD}", true),
            ("a\u{200E}\u{200F}\u{200E}b", "a\u{200C}\u{200C}\u{200E}b", true), ("a\u{200E}b", "a\u{200E}b", false),
        ]
        for (text, shown, reported) in cases {
            let message = try Self.message { try $0.addText(text) }
            #expect(Array(try Self.html(message).unicodeScalars) == Array(shown.unicodeScalars), "\(text.debugDescription)")
            let kinds = try TelegramRenderer().render(message).degradations.map(\.kind)
            #expect(kinds == (reported ? [.characterReplaced] : []), "\(text.debugDescription)")
        }
        let code = try Self.message { try $0.addCode("x\ty\u{202E}") }
        #expect(try Self.html(code) == "<pre>x y\u{FFFD}</pre>")
    }

    @Test("an @ that Telegram would read as a mention is followed by a word joiner, reported; other @ stay as they are")
    func mentions() throws {
        let cases: [(String, String)] = [
            ("ping @everyone now", "ping @\u{2060}everyone now"), ("@here", "@\u{2060}here"), ("<@123>", "&lt;@\u{2060}123&gt;"),
            ("ops@example.org", "ops@example.org"), ("@x", "@x"), ("@" + String(repeating: "a", count: 33), "@" + String(repeating: "a", count: 33)),
            ("@abcé", "@abcé"), ("@ab_1, @cd", "@\u{2060}ab_1, @\u{2060}cd"),
        ]
        for (text, shown) in cases {
            let message = try Self.message { try $0.addText(text) }
            #expect(Array(try Self.html(message).unicodeScalars) == Array(shown.unicodeScalars), "\(text)")
            #expect(try TelegramRenderer().render(message).degradations.map(\.kind) == (text == shown ? [] : [.characterReplaced]), "\(text)")
        }
        // Across runs; never in monospace, a link or code, which Telegram does not read for mentions.
        let message = try Self.message {
            try $0.addText("to @")
            try $0.addText("everyone", bold: true)
            try $0.addText(" @channel", monospace: true)
            try $0.addText(" @here", link: "https://example.org")
            try $0.addCode("@everyone")
        }
        // (The monospace space is kept: Telegram would move the code entity's start past it.)
        #expect(try Self.html(message) == "to @\u{2060}<b>everyone</b><code>\u{A0}@channel</code><a href=\"https://example.org\"> @here</a>\n\n<pre>@everyone</pre>")
    }

    @Test("white space Telegram would trim at a message's ends, a style's start or a code block's is kept with a no-break space")
    func edges() throws {
        let cases: [(NotificationMessage, String)] = [
            (try Self.message { try $0.addText("  two\n\n three  ") }, "\u{A0} two\n\n three \u{A0}"),
            (try Self.message { try $0.addText("a"); try $0.addText(" b", bold: true); try $0.addText(" c") }, "a<b>\u{A0}b</b> c"),
            // Telegram joins the italic that ends and the one that starts, so the space is not at an entity's start.
            (try Self.message { try $0.addText("a", bold: true, italic: true); try $0.addText(" b", italic: true) }, "<b><i>a</i></b><i> b</i>"),
            (try Self.message { try $0.addText("a"); try $0.addText(" ", strikethrough: true); try $0.addText("b") }, "a<s>\u{A0}</s>b"),
            (try Self.message { try $0.addText("a"); try $0.addCode("  indented") }, "a\n\n<pre>\u{A0} indented</pre>"),
            (try Self.message { try $0.addCode("\nx"); try $0.addText("b") }, "<pre>\u{A0}\nx</pre>\n\nb"),
        ]
        for (message, shown) in cases {
            #expect(Array(try Self.html(message).unicodeScalars) == Array(shown.unicodeScalars))
            // One report per block changed, with the message's payload.
            let rendering = try TelegramRenderer().render(message)
            let changed = shown.components(separatedBy: "\n\n").filter { $0.contains("\u{A0}") }.count
            #expect(rendering.degradations.map(\.kind) == Array(repeating: .characterReplaced, count: changed), "\(shown.debugDescription)")
            #expect(rendering.messages[0].payload.degradations == rendering.degradations)
        }
    }

    @Test("a message that shows nothing is no call; invisible text beside a photo is left out, reported")
    func nothingToShow() throws {
        #expect(try Self.calls(try NotificationMessage()).isEmpty)
        let blank = try Self.message { try $0.addText(" \u{200B} \u{A0}") }
        let rendering = try TelegramRenderer().render(blank)
        #expect(rendering.payload.json == .array([]))
        #expect(rendering.degradations.map(\.kind) == [.truncated])
        var photo = blank
        try photo.addAttachment(data: Data([1, 2]), filename: "a.png", mimeType: "image/png")
        #expect(try Self.calls(photo) == [["method": "sendPhoto", "photo": "attach://file1"]])
    }

    // MARK: Attachments

    static func withAttachments(_ files: [(name: String, mime: String, bytes: Int)], text: String?, textFirst: Bool = true) throws -> NotificationMessage {
        try message { message in
            if textFirst, let text { try message.addText(text) }
            for file in files {
                try message.addAttachment(data: Data(count: file.bytes), filename: file.name, mimeType: file.mime, maximumBytes: .max)
            }
            if !textFirst, let text { try message.addText(text) }
        }
    }

    @Test("one photo and a text that fits a caption are one sendPhoto, the caption above the photo when the text comes first")
    func photoWithCaption() throws {
        let above = try Self.calls(try Self.withAttachments([("plot.png", "image/png", 3)], text: "Print <done>"))
        #expect(above == [[
            "method": "sendPhoto", "photo": "attach://file1", "caption": "Print &lt;done&gt;", "parse_mode": "HTML",
            "show_caption_above_media": true,
        ]])
        let below = try Self.calls(try Self.withAttachments([("plot.jpg", "image/jpeg", 3)], text: "Print done", textFirst: false))
        #expect(below == [["method": "sendPhoto", "photo": "attach://file1", "caption": "Print done", "parse_mode": "HTML"]])
    }

    @Test("a caption holds at most 1024 UTF-16 code units: a longer text is a sendMessage before the photo")
    func captionLimit() throws {
        let fits = try Self.calls(try Self.withAttachments([("a.png", "image/png", 3)], text: String(repeating: "é", count: 1024)))
        #expect(fits.count == 1 && fits[0]["caption"] != nil)
        let over = try Self.calls(try Self.withAttachments([("a.png", "image/png", 3)], text: String(repeating: "é", count: 1023) + "👋"))
        #expect(over.map { $0["method"] } == ["sendMessage", "sendPhoto"])
        #expect(over[1] == ["method": "sendPhoto", "photo": "attach://file1"])
    }

    @Test("several photos are an album with the caption on the first; more than ten, several albums; other files one by one")
    func albumsAndFiles() throws {
        let album = try Self.calls(try Self.withAttachments([("a.png", "image/png", 3), ("b.jpg", "image/jpeg", 3)], text: "two"))
        #expect(album == [[
            "method": "sendMediaGroup",
            "media": [
                ["type": "photo", "media": "attach://file1", "caption": "two", "parse_mode": "HTML", "show_caption_above_media": true],
                ["type": "photo", "media": "attach://file2"],
            ],
        ]])
        let eleven = try Self.calls(try Self.withAttachments((1...11).map { ("p\($0).png", "image/png", 3) }, text: "many"))
        #expect(eleven.map { $0["method"] } == ["sendMessage", "sendMediaGroup", "sendPhoto"])
        #expect(eleven[2]["photo"] == "attach://file11")
        let mixed = try Self.calls(try Self.withAttachments(
            [("a.png", "image/png", 3), ("scan.pdf", "application/pdf", 3), ("anim.gif", "image/gif", 3)], text: nil))
        #expect(mixed == [
            ["method": "sendPhoto", "photo": "attach://file1"], ["method": "sendDocument", "document": "attach://file2"],
            ["method": "sendDocument", "document": "attach://file3"],
        ])
    }

    @Test("an image over 10 MB goes as a document; a file over 50 MB is named instead, reported")
    func fileSizes() throws {
        let large = try Self.calls(try Self.withAttachments([("big.png", "image/png", 10_000_001)], text: nil))
        #expect(large == [["method": "sendDocument", "document": "attach://file1"]])
        let message = try Self.withAttachments([("huge.bin", "application/octet-stream", 50_000_001)], text: "log")
        let rendering = try TelegramRenderer().render(message)
        #expect(rendering.degradations.map(\.kind) == [.attachmentNotDelivered])
        #expect(try Self.html(message).hasPrefix("log\n\n<i>📎 huge.bin (application/octet-stream, 47.7 MiB)</i>"))
    }
}
