import Foundation
import Herald
import HeraldTestSupport
import Testing

@Suite("BEC message import")
struct BECImporterTests {
    private func bec(_ parts: [JSONValue], event: JSONValue = "scan_completed") -> JSONValue {
        ["metadata": [:], "event": event, "message": .array(parts)]
    }

    private func importing(_ parts: [JSONValue]) throws -> BECImport {
        try BECMessageImporter().importMessage(bec(parts))
    }

    /// The message's parts as (text, style) pairs, for text parts.
    private func texts(_ message: NotificationMessage) -> [(String, TextStyle)] {
        message.parts.compactMap { if case .text(let text, let style) = $0 { (text, style) } else { nil } }
    }

    private func importError(_ json: String) throws -> MessageError? {
        let value = try JSONReader().read(Array(json.utf8))
        do throws(MessageError) {
            _ = try BECMessageImporter(maximumAttachmentBytes: 8).importMessage(value)
            return nil
        } catch {
            return error
        }
    }

    // MARK: Formatted text

    @Test(arguments: [
        ("pen-red", TextColor.red), ("pen-green", .green), ("marker-yellow", .yellow), ("marker-pink", .pink), ("marker-blue", .blue),
    ])
    func everyHighlightBecomesItsColor(_ highlight: String, _ color: TextColor) throws {
        let imported = try importing([["content": .string("<p><mark class=\"\(highlight)\"><em><strong>Scan 12 done</strong></em></mark></p>")]])
        #expect(imported.notes == [])
        let runs = texts(imported.message)
        #expect(runs.map(\.0) == ["Scan 12 done"])
        #expect(runs.map(\.1) == [TextStyle(bold: true, italic: true, color: color)])
    }

    @Test(arguments: [
        ("<p>plain</p>", TextStyle.plain), ("<p><strong>x</strong></p>", TextStyle(bold: true)), ("<p><em>x</em></p>", TextStyle(italic: true)),
        ("<p><em><strong>x</strong></em></p>", TextStyle(bold: true, italic: true)),
        ("<p><mark class=\"pen-green\"><strong>x</strong></mark></p>", TextStyle(bold: true, color: .green)),
        ("<p><strong><em>x</em></strong></p>", TextStyle(bold: true, italic: true)),
    ])
    func formatterShapesBecomeOneStyledRun(_ content: String, _ style: TextStyle) throws {
        let imported = try importing([["content": .string(content)]])
        #expect(imported.notes == [])
        #expect(texts(imported.message).map(\.1) == [style])
    }

    @Test func entitiesAreDecoded() throws {
        let imported = try importing([["content": "<p><strong>a &lt; b &amp;&amp; c &gt; d &quot;q&quot; &#x27;s&#39; caf&eacute;&nbsp;!</strong></p>"]])
        #expect(imported.notes == [])
        #expect(texts(imported.message).map(\.0) == ["a < b && c > d \"q\" 's' café\u{A0}!"])
    }

    /// Character references as libxml2's HTML parser read them before the hand-written reader: numeric ones (any
    /// leading zeros, `x` or `X`), HTML 4.01's names (case-sensitive, with `apos`), and an unknown name as written.
    @Test(arguments: [
        ("<p>&#65;&#x41;&#X41;&#0000000065;&#128512;</p>", "AAAA😀"),
        ("<p>&Eacute;&apos;&lang;&hellip;&euro;</p>", "É'〈…€"),
        ("<p>&foo; &EACUTE; &caf\u{E9}; &a.b-c:d;</p>", "&foo; &EACUTE; &caf\u{E9}; &a.b-c:d;"),
        ("<p><em>a > b\r\n\t</em></p>", "a > b\r\n\t"),
    ])
    func characterReferencesAreReadAsBefore(_ content: String, _ text: String) throws {
        let imported = try importing([["content": .string(content)]])
        #expect(imported.notes == [])
        #expect(texts(imported.message).map(\.0) == [text])
    }

    /// BEC's formatter writes the same markup as Herald's SciLog renderer, so a formatted part reaches SciLog as
    /// BEC wrote it.
    @Test func formattedTextReachesSciLogUnchanged() throws {
        for highlight in SciLogHighlight.allCases {
            for (open, close) in [("", ""), ("<em>", "</em>"), ("<strong>", "</strong>"), ("<em><strong>", "</strong></em>")] {
                let content = "<p><mark class=\"\(highlight.className)\">\(open)Scan 12 &amp; 13 &lt;done&gt;\(close)</mark></p>"
                let imported = try importing([["content": .string(content)]])
                let payload = try SciLogRenderer().render(imported.message).payload
                guard case .object(let snippet) = payload.json else { Issue.record("no snippet"); continue }
                #expect(snippet["textcontent"] == .string(content))
            }
        }
    }

    // MARK: Literal text

    @Test(arguments: [
        "a < b & <sensor1> high; x<y>z", "<b>bold?</b>", "x</p>", "<p>x", "<p>", "&amp; stays &amp;", "", "  spaced  ",
        "<P>upper</P>", "<p>x</p> ", "line 1\nline 2",
    ])
    func rawTextStaysExactlyAsWritten(_ content: String) throws {
        let imported = try importing([["content": .string(content)]])
        #expect(imported.notes == [])
        #expect(texts(imported.message).map(\.0) == [content])
        #expect(texts(imported.message).map(\.1) == [.plain])
    }

    @Test(arguments: [
        ("<p>Temperature <sensor1> high</p>", "contains “<sensor1>”"),
        ("<p><b>bold</b></p>", "contains “<b>”"),
        ("<p>a < b</p>", "contains “< b</p>”"),
        ("<p><!-- note --></p>", "contains “<!-- note -->”"),
        ("<p><![CDATA[<b>x</b>]]></p>", "contains “<![CDATA[<b>”"),
        ("<p><mark class=\"marker-green\">x</mark></p>", "contains “<mark class=\"marker-green\">”"),
        ("<p><strong onclick=\"x()\">x</strong></p>", "contains “<strong onclick=\"x()\">”"),
        ("<p>a & b</p>", "is not HTML as BEC's formatter writes it (1:"),
        ("<p><strong>x</em></p>", "is not HTML as BEC's formatter writes it (1:"),
        ("<p>x</p>y</p>", "is not HTML as BEC's formatter writes it (1:"),
        ("<p>&amp</p>", "is not HTML as BEC's formatter writes it (1:"),
        ("<p>&#39</p>", "is not HTML as BEC's formatter writes it (1:"),
        ("<p>&;</p>", "is not HTML as BEC's formatter writes it (1:"),
        ("<p>&#0;</p>", "is not HTML as BEC's formatter writes it (1:"),
        ("<p>&#x110000;</p>", "is not HTML as BEC's formatter writes it (1:"),
        ("<p>a\u{1}b</p>", "is not HTML as BEC's formatter writes it (1:"),
        ("<p>\u{FFFE}</p>", "is not HTML as BEC's formatter writes it (1:"),
        ("<p><strong>x</p>", "is not HTML as BEC's formatter writes it (1:"),
        ("<p><strong>a</strong><em>b</em></p>", "nests its tags differently"),
        ("<p><em><em>x</em></em></p>", "nests its tags differently"),
        ("<p>a</p><p>b</p>", "nests its tags differently"),
    ])
    func markupBECDoesNotWriteStaysLiteralWithANote(_ content: String, _ reason: String) throws {
        let imported = try importing([["tags": ["x"]], ["content": .string(content)]])
        #expect(texts(imported.message).map(\.0) == [content])
        #expect(texts(imported.message).map(\.1) == [.plain])
        try #require(imported.notes.count == 1)
        #expect(imported.notes[0].path == "message[1].content")
        #expect(imported.notes[0].message.contains(reason), "\(imported.notes[0])")
        #expect(imported.notes[0].message.hasSuffix("kept as literal text"))
    }

    @Test func everyTextPartIsItsOwnParagraph() throws {
        let imported = try importing([
            ["content": "first"], ["tags": ["t"]], ["content": "<p><strong>second</strong></p>"], ["content": "third"],
        ])
        let paragraphs = Document.lowering(imported.message).document.blocks.map(\.runs.plainText)
        #expect(paragraphs == ["first", "second", "third"])
    }

    // MARK: Files, tags, stickers

    @Test func attachmentsTagsAndStickers() throws {
        let imported = try importing([
            ["content": "Scan 12 done"],
            ["filename": "plot.png", "mime_type": "image/png", "data": "AQID", "width": 800, "height": nil],
            ["filename": "log.txt", "mime_type": "text/plain", "data": "aGk=", "width": nil],
            ["tags": ["scan", "x12sa"]],
            ["sticker_id": "4b2f:3"],
        ])
        let message = imported.message
        #expect(message.event == "scan_completed")
        #expect(message.parts.count == 5)
        guard case .attachment(let plot) = message.parts[1], case .attachment(let log) = message.parts[2] else {
            Issue.record("no attachments: \(message.parts)")
            return
        }
        #expect(plot.data == Data([1, 2, 3]) && plot.width == 800 && plot.height == nil && plot.isInlineImage)
        #expect(log.data == Data("hi".utf8) && log.mimeType == "text/plain")
        #expect(message.parts[3] == .tags(["scan", "x12sa"]))
        #expect(message.parts[4] == .sticker(try Sticker(id: "4b2f:3")))
    }

    /// BEC part `i` is Herald part `i`, so the report names the part the sender wrote.
    @Test func reportPathsNameTheBECPart() throws {
        let imported = try importing([["content": "a"], ["tags": ["t"]], ["sticker_id": "4b2f:3"]])
        let rendering = try MarkdownRenderer().render(imported.message)
        #expect(rendering.degradations.map(\.path) == ["parts[2]"])
    }

    // MARK: Errors

    @Test(arguments: [
        (#"[]"#, "", "expected an object, found an array"),
        (#"{"message": [], "format": "herald.message/v1"}"#, "format", "unknown member; expected one of metadata, event, message"),
        (#"{"metadata": "x", "message": []}"#, "metadata", "expected an object, found a string"),
        (#"{"metadata": {}}"#, "", "missing member \"message\""),
        (#"{"message": {}}"#, "message", "expected an array, found an object"),
        (#"{"event": "two\nlines", "message": []}"#, "event", "must be a single line; it contains a line break"),
        (#"{"message": [{}]}"#, "message[0]", "not a BEC message part"),
        (#"{"message": ["text"]}"#, "message[0]", "expected an object, found a string"),
        (#"{"message": [{"content": 1}]}"#, "message[0].content", "expected a string, found a number"),
        (#"{"message": [{"content": "x", "bold": true}]}"#, "message[0].bold", "unknown member; expected content"),
        (#"{"message": [{"content": "x"}, {"tags": "scan"}]}"#, "message[1].tags", "expected an array of strings, found a string"),
        (#"{"message": [{"content": "x"}, {"tags": ["a", 2]}]}"#, "message[1].tags[1]", "expected a string, found a number"),
        (#"{"message": [{"content": "x"}, {"tags": ["a", ""]}]}"#, "message[1].tags[1]", "must not be empty"),
        (#"{"message": [{"content": "x"}, {"sticker_id": "nope"}]}"#, "message[1].sticker_id", "is not a sticker reference"),
        (#"{"message": [{"content": "x"}, {"filename": "a.png", "data": "AA=="}]}"#, "message[1]", "\"mime_type\" is missing"),
        (#"{"message": [{"content": "x"}, {"filename": "a.png", "mime_type": "image/png", "data": "%%"}]}"#, "message[1].data", "is not valid base64"),
        (#"{"message": [{"content": "x"}, {"filename": "a.png", "mime_type": "png", "data": "AA=="}]}"#, "message[1].mime_type", "is not a MIME type"),
        (#"{"message": [{"content": "x"}, {"filename": "../a.png", "mime_type": "image/png", "data": "AA=="}]}"#, "message[1].filename", "no directories"),
        (#"{"message": [{"content": "x"}, {"filename": "a.png", "mime_type": "image/png", "data": "AA==", "width": "800"}]}"#, "message[1].width", "expected a whole number, found a string"),
        (#"{"message": [{"content": "x"}, {"filename": "a.png", "mime_type": "image/png", "data": "AA==", "width": 0}]}"#, "message[1].width", "from 1 to 100000"),
        (#"{"message": [{"content": "x"}, {"filename": "a.png", "mime_type": "image/png", "data": "AA==", "size": 1}]}"#, "message[1].size", "unknown member"),
        (#"{"message": [{"content": "x"}, {"filename": "a.bin", "mime_type": "application/octet-stream", "data": "AAAAAAAAAAAAAA=="}]}"#, "message[1].data", "the limit is 8"),
    ])
    func errorsNameTheJSONPath(_ json: String, _ path: String, _ reason: String) throws {
        let error = try #require(try importError(json))
        #expect(error.path == path)
        #expect(error.reason.contains(reason), "\(error)")
    }

    @Test("base64 too long for the attachment cap is refused by its length, before it is decoded")
    func base64RefusedByLength() throws {
        let json = #"{"message": [{"filename": "a.bin", "mime_type": "application/octet-stream", "data": "\#(String(repeating: "!", count: 400))"}]}"#
        let error = try #require(try importError(json))
        #expect(error == MessageError(path: "message[0].data", reason: "has 400 characters of base64, which decode to at least 298 bytes; the limit is 8"))
    }

    @Test("values echoed in errors and notes are shortened, their control characters escaped")
    func echoesShortenedAndEscaped() throws {
        let long = String(repeating: "k", count: 100_000)
        let error = try #require(try importError(#"{"message": [{"content": "x", "\#(long)": 1}]}"#))
        #expect(error.path == "message[0]." + String(repeating: "k", count: 80) + "… (99920 more characters)")
        let imported = try importing([["content": "<p>Temperature <sensor\u{1B}]0;title\u{7}> high</p>"]])
        try #require(imported.notes.count == 1)
        #expect(imported.notes[0].message.hasPrefix(#"starts and ends like BEC's formatted HTML but contains “<sensor\u{1B}]0;title\u{7}>”"#))
        let longTag = try importing([["content": .string("<p><" + long + "></p>")]])
        #expect(longTag.notes.first.map { $0.message.utf8.count < 300 } == true)
    }

    @Test func malformedJSONIsReportedWithItsPosition() {
        #expect(throws: MessageInputError.self) { try BECMessageImporter().importMessage(json: Array("{\"message\": [".utf8)) }
        do throws(MessageInputError) {
            _ = try BECMessageImporter().importMessage(json: Array(#"{"message": [{"content": "ok"}]}"#.utf8))
        } catch {
            Issue.record("valid JSON refused: \(error)")
        }
    }

    @Test func shapeDetection() {
        #expect(BECMessageImporter.isBECMessage(["message": []]))
        #expect(BECMessageImporter.isBECMessage(["metadata": [:], "event": "x", "message": [["content": "a"]]]))
        #expect(!BECMessageImporter.isBECMessage(["parts": []]))
        #expect(!BECMessageImporter.isBECMessage(["message": [], "parts": []]))
        #expect(!BECMessageImporter.isBECMessage(["message": "text"]))
        #expect(!BECMessageImporter.isBECMessage([["message": []]]))
    }
}
