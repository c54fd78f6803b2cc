import Foundation
import HeraldCore
import Testing

@Suite("herald.message/v1 decoding")
struct MessageDecodingTests {
    struct Invalid: Sendable, CustomStringConvertible {
        let json: String
        let error: String
        var description: String { error }
    }

    static let png = "iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEElEQVR42mOQkzsBRwzEcQCcIxBBibhqkQAAAABJRU5ErkJggg=="

    static let invalid: [Invalid] = [
        Invalid(json: #"[]"#, error: "expected an object, found an array"),
        Invalid(json: #"{"format": "herald.message/v2"}"#, error: #"format: unsupported format "herald.message/v2""#),
        Invalid(json: #"{"titel": "x"}"#, error: "titel: unknown member; expected one of format, event, title, parts"),
        Invalid(json: #"{"title": 3}"#, error: "title: expected a string, found a number"),
        Invalid(json: #"{"title": "a\nb"}"#, error: "title: must be a single line"),
        Invalid(json: #"{"parts": {}}"#, error: "parts: expected an array, found an object"),
        Invalid(json: #"{"parts": [{"text": "x"}]}"#, error: #"parts[0]: missing member "type""#),
        Invalid(json: #"{"parts": [{"type": "txt"}]}"#, error: #"parts[0].type: unknown part type "txt"; expected one of text, tags"#),
        Invalid(json: #"{"parts": [{"type": "text"}]}"#, error: #"parts[0]: missing member "text""#),
        Invalid(json: #"{"parts": [{"type": "text", "text": "a"}, {"type": "text", "text": "b", "color": "orange"}]}"#,
                error: #"parts[1].color: unknown color "orange"; expected one of red, green, black, yellow, pink, blue"#),
        Invalid(json: #"{"parts": [{"type": "text", "text": "a", "color": "Red"}]}"#, error: #"parts[0].color: unknown color "Red""#),
        Invalid(json: #"{"parts": [{"type": "text", "text": "a", "bold": "yes"}]}"#, error: "parts[0].bold: expected a boolean, found a string"),
        Invalid(json: #"{"parts": [{"type": "text", "text": "a", "colour": "red"}]}"#, error: "parts[0].colour: unknown member"),
        Invalid(json: #"{"parts": [{"type": "text", "text": "a", "link": "javascript:alert(1)"}]}"#,
                error: #"parts[0].link: link scheme "javascript" is not allowed; expected http, https or mailto"#),
        Invalid(json: #"{"parts": [{"type": "text", "text": "a", "link": "JavaScript:alert(1)"}]}"#, error: "parts[0].link: link scheme"),
        Invalid(json: #"{"parts": [{"type": "text", "text": "a", "link": "/relative"}]}"#, error: "parts[0].link: link \"/relative\" is not an absolute URL"),
        Invalid(json: #"{"parts": [{"type": "text", "text": "a", "link": "https://x.org/a b"}]}"#, error: "parts[0].link: link \"https://x.org/a b\" contains U+0020"),
        Invalid(json: #"{"parts": [{"type": "text", "text": "a", "link": "https:///x"}]}"#, error: #"parts[0].link: link "https:///x" has no host"#),
        Invalid(json: #"{"parts": [{"type": "tags", "tags": ["a", ""]}]}"#, error: "parts[0].tags[1]: must not be empty"),
        Invalid(json: #"{"parts": [{"type": "tags", "tags": ["a", 1]}]}"#, error: "parts[0].tags[1]: expected a string, found a number"),
        Invalid(json: #"{"parts": [{"type": "attachment", "filename": "a.png", "mime_type": "image/png", "data": "!!!"}]}"#,
                error: "parts[0].data: is not valid base64"),
        Invalid(json: #"{"parts": [{"type": "attachment", "filename": "a.png", "mime_type": "image/png", "data": ""}]}"#,
                error: #"parts[0].data: attachment "a.png" is empty"#),
        Invalid(json: #"{"parts": [{"type": "attachment", "filename": "a.png", "data": "\#(png)"}]}"#, error: #"parts[0]: missing member "mime_type""#),
        Invalid(json: #"{"parts": [{"type": "attachment", "filename": "a.png", "mime_type": "png", "data": "\#(png)"}]}"#,
                error: #"parts[0].mime_type: "png" is not a MIME type"#),
        Invalid(json: #"{"parts": [{"type": "attachment", "filename": "../a.png", "mime_type": "image/png", "data": "\#(png)"}]}"#,
                error: "parts[0].filename: \"../a.png\" contains '/'"),
        Invalid(json: #"{"parts": [{"type": "attachment", "filename": "a.png", "mime_type": "image/png", "data": "\#(png)", "width": 0}]}"#,
                error: "parts[0].width: must be a whole number of pixels from 1 to 100000, not 0"),
        Invalid(json: #"{"parts": [{"type": "attachment", "filename": "a.png", "mime_type": "image/png", "data": "\#(png)", "width": 1.5}]}"#,
                error: "parts[0].width: expected a whole number, found a number"),
        Invalid(json: #"{"parts": [{"type": "attachment", "path": "missing.pdf"}]}"#, error: #"parts[0].path: cannot read attachment file"#),
        Invalid(json: #"{"parts": [{"type": "attachment", "path": "a.pdf", "data": "\#(png)"}]}"#, error: "parts[0].data: an attachment has either"),
        Invalid(json: #"{"parts": [{"type": "table", "columns": ["a", "b"], "rows": [["1"]]}]}"#,
                error: "parts[0].rows[0]: has 1 cells; expected 2, one per column"),
        Invalid(json: #"{"parts": [{"type": "table", "columns": [], "rows": []}]}"#, error: "parts[0].columns: a table needs at least one column"),
        Invalid(json: #"{"parts": [{"type": "table", "title": "x\ny", "columns": ["a"], "rows": []}]}"#, error: "parts[0].title: must be a single line"),
        Invalid(json: #"{"parts": [{"type": "code", "source": ""}]}"#, error: "parts[0].source: must not be empty"),
        Invalid(json: #"{"parts": [{"type": "code", "source": "x", "language": "c++; rm"}]}"#, error: "parts[0].language:"),
        Invalid(json: #"{"parts": [{"type": "sticker", "sticker_id": "nope"}]}"#, error: "parts[0].sticker_id: \"nope\" is not a sticker reference"),
    ]

    @Test("invalid messages are refused with the JSON path of the problem", arguments: invalid)
    func refusesInvalid(_ example: Invalid) {
        let directory = FileManager.default.temporaryDirectory.path
        #expect {
            try NotificationMessage(json: Array(example.json.utf8), options: MessageDecodingOptions(baseDirectory: directory))
        } throws: { error in
            guard case .invalidMessage(let invalid) = error as? MessageInputError else { return false }
            return invalid.description.hasPrefix(example.error)
        }
    }

    @Test("malformed JSON is reported as such, with its position")
    func malformed() {
        #expect(throws: MessageInputError.malformedJSON(JSONSyntaxError(line: 2, column: 1, reason: "unexpected end of input; expected a value"))) {
            try NotificationMessage(json: Array("{\"title\":\n".utf8))
        }
    }

    @Test("attachments by path are refused without a base directory, and read with one")
    func attachmentPaths() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("herald-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("%PDF-1.4 tiny".utf8).write(to: directory.appendingPathComponent("scan.pdf"))
        try Data().write(to: directory.appendingPathComponent("empty.txt"))
        let json = Array(#"{"parts": [{"type": "attachment", "path": "scan.pdf"}]}"#.utf8)
        #expect(throws: MessageInputError.self) { try NotificationMessage(json: json) }
        let message = try NotificationMessage(json: json, options: MessageDecodingOptions(baseDirectory: directory.path))
        guard case .attachment(let attachment) = message.parts.first else {
            Issue.record("no attachment")
            return
        }
        #expect(attachment.filename == "scan.pdf")
        #expect(attachment.mimeType == "application/pdf")
        #expect(attachment.data == Data("%PDF-1.4 tiny".utf8))
        #expect {
            try NotificationMessage(json: Array(#"{"parts": [{"type": "attachment", "path": "empty.txt"}]}"#.utf8), options: MessageDecodingOptions(baseDirectory: directory.path))
        } throws: { error in String(describing: error).contains("is empty") }
        #expect {
            try NotificationMessage(json: json, options: MessageDecodingOptions(baseDirectory: directory.path, maximumAttachmentBytes: 4))
        } throws: { error in String(describing: error).contains("the limit is 4") }
    }

    @Test("the Swift builder reports the same paths as JSON")
    func builderPaths() throws {
        var message = try NotificationMessage(title: "t")
        try message.addText("ok")
        #expect(throws: MessageError(path: "parts[1].link", reason: "link scheme \"ftp\" is not allowed; expected http, https or mailto")) {
            try message.addText("x", link: "ftp://example.org")
        }
        #expect(throws: MessageError.self) { try message.addTable(columns: ["a"], rows: [["1", "2"]]) }
        #expect(message.parts.count == 1)
    }

    @Test("encoding writes only what differs from the defaults, and decodes to the same message")
    func encoding() throws {
        var message = try NotificationMessage(title: "T", event: "scan_completed")
        try message.addText("a", bold: true, color: .pink, link: "mailto:x@example.org")
        try message.addCode("print(1)", language: "python")
        let json = message.jsonString()
        #expect(json.contains(#""format": "herald.message/v1""#))
        #expect(!json.contains("italic"))
        #expect(try NotificationMessage(json: Array(json.utf8)) == message)
    }
}
