import Foundation
import Herald
import HeraldValidation

/// Reads e-mails back the way a receiver does: Python's `email` package (`scripts/check_email.py`, policy.default)
/// parses the bytes, decodes the header fields and both alternatives and lists the other parts; libxml2's HTML
/// parser (through ``HTMLFragment``) reads the HTML alternative into ``MailBlock``s.
///
/// The reader knows the HTML's layout from docs/services.md, not from the renderer: `h1`, `p`, `br`, `strong`, `em`,
/// `s`, `code`, `a href`, `span style` (the six colors), `table` with `caption`, `th` and `td`, `pre > code`, and
/// `cid:` references to the message's parts, an image as `p > img`, a file as `p` holding `📎 ` and a link.
public enum EmailReader {
    /// What Python's email package read from one message.
    public struct Received: Decodable, Sendable {
        /// Defects, long lines, stray line breaks, unresolved references: empty for a clean message.
        public let problems: [String]
        /// The MIME tree, one line per part.
        public let tree: String
        /// The decoded header fields.
        public let subject: String?
        /// `From`, decoded.
        public let from: String?
        /// The `To` addresses.
        public let to: [String]
        /// `Date` in ISO 8601.
        public let date: String?
        /// `Message-ID`, with its angle brackets.
        public let messageID: String?
        /// The text/plain alternative, decoded, line breaks as `\n`.
        public let text: String?
        /// The text/html alternative, decoded, line breaks as `\n`.
        public let html: String?
        /// Every other leaf part.
        public let parts: [Part]

        enum CodingKeys: String, CodingKey {
            case problems, tree, subject, from, to, date, text, html, parts
            case messageID = "message_id"
        }
    }

    /// A leaf part other than the two alternatives.
    public struct Part: Decodable, Sendable {
        /// `image/png`.
        public let contentType: String
        /// The Content-ID without angle brackets.
        public let contentID: String?
        /// `inline` or `attachment`.
        public let disposition: String?
        /// The decoded file name.
        public let filename: String?
        /// The decoded bytes.
        public let data: Data

        enum CodingKeys: String, CodingKey {
            case contentType = "content_type", contentID = "content_id", disposition, filename, data
        }
    }

    /// A notification with a title, colored runs, a link, lines starting with a dot, a table, an inline image (a real
    /// 1×1 PNG) and two files, one with a name outside ASCII.
    public static func sampleMessage() throws -> NotificationMessage {
        var message = try NotificationMessage(title: "Sample mount failed on printer 3")
        try message.addText("Robot arm stopped", bold: true, color: .red)
        try message.addText(" near ")
        try message.addText("the dewar", italic: true, color: .blue)
        try message.addText("; nozzle ")
        try message.addText("215 °C", monospace: true, color: .green)
        try message.addText(". See ")
        try message.addText("the log", link: "https://example.org/log?id=7&x=1")
        // Lines holding only a dot, or starting with one, which SMTP must dot-stuff.
        try message.addText(".\n.\n.profile and ..\nTemperatures:")
        try message.addTable(title: "Positions", columns: ["axis", "readback"], rows: [["x", "1.02"], ["y", "-0.5\nclamped"]])
        try message.addAttachment(
            base64: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
            filename: "snapshot.png", mimeType: "image/png", width: 320)
        try message.addAttachment(data: Data("%PDF-1.4 report".utf8), filename: "report.pdf", mimeType: "application/pdf")
        try message.addAttachment(data: Data("line 1\nline 2\n".utf8), filename: "Prüfprotokoll.txt", mimeType: "text/plain")
        try message.addTags(["printer-3", "failure"])
        return message
    }

    /// Runs `scripts/check_email.py` once on every message; one result per message, in order.
    public static func read(_ messages: [[UInt8]]) throws -> [Received] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("herald-email-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let paths = try messages.enumerated().map { index, message in
            let file = directory.appendingPathComponent("message-\(index).eml")
            try Data(message).write(to: file)
            return file.path
        }
        return try read(files: paths)
    }

    /// Runs `scripts/check_email.py` once on the message files at `paths`.
    public static func read(files paths: [String]) throws -> [Received] {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("herald-email-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: output) }
        let result = try ExternalCommand.run("python3", ["scripts/check_email.py", "--output", output.path] + paths)
        guard let json = try? Data(contentsOf: output) else { throw ScriptFailed(output: result.output) }
        return try JSONDecoder().decode([Received].self, from: json)
    }

    /// `check_email.py` wrote no result.
    struct ScriptFailed: Error, CustomStringConvertible {
        let output: String
        var description: String { "scripts/check_email.py failed: \(output.suffix(2_000))" }
    }

    /// The blocks the HTML alternative shows; `parts` resolve its `cid:` references.
    public static func blocks(fromHTML html: String, parts: [Part]) -> [MailBlock] {
        let byID = Dictionary(parts.compactMap { part in part.contentID.map { ($0, part) } }, uniquingKeysWith: { first, _ in first })
        return HTMLFragment(parsing: html).nodes.compactMap { node -> MailBlock? in
            if case .text(let text) = node, text.allSatisfy(\.isWhitespace) { return nil }
            return block(node, parts: byID)
        }
    }

    /// What the HTML alternative of `document` (fitted to e-mail) should read back as.
    public static func expectedBlocks(for document: Document) -> [MailBlock] {
        document.blocks.map { block in
            switch block {
            case .heading(let level, let content): .heading(level: level, ReadSpan.expected(for: content))
            case .paragraph(let content): .paragraph(ReadSpan.expected(for: content))
            case .table(let table, _):
                .table(title: table.title.flatMap { $0.isEmpty ? nil : $0 }, header: table.columns, rows: table.rows)
            case .codeBlock(let code, _): .code(code.source)
            case .attachment(let attachment, _):
                attachment.isInlineImage
                    ? .image(MailFile(attachment), width: attachment.width, height: attachment.height) : .file(MailFile(attachment))
            case .sticker: .other("stickers are not expected in an e-mail")
            }
        }
    }

    /// What the text/plain alternative of `document` should read: its blocks fitted to plain text, as text, an
    /// empty line between them.
    public static func expectedText(for document: Document) -> String {
        let plain = document.fitted(to: EmailRenderer.plainTextCapabilities).document
        let texts = plain.blocks.map { block -> String in
            switch block {
            case .paragraph(let content): content.plainText
            case .codeBlock(let code, _): code.source
            case .heading, .table, .attachment, .sticker: "(unexpected \(block))"
            }
        }
        return texts.isEmpty ? "" : texts.joined(separator: "\n\n") + "\n"
    }

    private static let colors: [String: TextColor] = [
        "color:#e71313": .red, "color:#128a00": .green, "background-color:#fdfd77": .yellow,
        "background-color:#fc7899": .pink, "background-color:#72ccfd": .blue,
    ]
    private static let textStyle = ["style": "white-space:pre-wrap"]
    private static let cellStyle = "border:1px solid #c8c8c8;padding:4px 8px;text-align:left;vertical-align:top;white-space:pre-wrap"

    private static func block(_ node: HTMLNode, parts: [String: Part]) -> MailBlock {
        guard case .element(let element) = node else { return .other("top-level \(node)") }
        switch (element.name, element.attributes) {
        case ("h1", textStyle), ("h2", textStyle), ("h3", textStyle):
            let level = Int(String(element.name.dropFirst()))!
            return spans(element.children).map { .heading(level: level, $0) } ?? .other("heading \(element)")
        case ("p", textStyle):
            if element.children.count == 2, case .text("📎 ") = element.children[0], case .element(let link) = element.children[1],
                link.name == "a", link.attributes.count == 1, let part = reference(link.attributes["href"], in: parts),
                link.children == [.text(part.filename ?? "")]
            {
                return .file(MailFile(part))
            }
            return spans(element.children).map(MailBlock.paragraph) ?? .other("paragraph \(element)")
        case ("p", [:]):
            guard element.children.count == 1, case .element(let image) = element.children[0], image.name == "img",
                image.attributes["style"] == "max-width:100%", let part = reference(image.attributes["src"], in: parts),
                image.attributes["alt"] == part.filename,
                Set(image.attributes.keys).isSubset(of: ["src", "alt", "style", "width", "height"])
            else { return .other("image \(element)") }
            return .image(MailFile(part), width: image.attributes["width"].flatMap { Int($0) }, height: image.attributes["height"].flatMap { Int($0) })
        case ("table", ["style": "border-collapse:collapse"]):
            return table(element) ?? .other("table \(element)")
        case ("pre", ["style": "white-space:pre-wrap;background-color:#f4f4f4;padding:8px"]):
            guard element.children.count <= 1 else { return .other("code block \(element)") }
            guard let first = element.children.first else { return .code("") }
            guard case .element(let code) = first, code.name == "code", code.attributes.isEmpty,
                code.children.allSatisfy({ if case .text = $0 { true } else { false } })
            else { return .other("code block \(element)") }
            return .code(text(of: code.children))
        default:
            return .other("element \(element)")
        }
    }

    /// The part a `cid:` URL names.
    private static func reference(_ url: String?, in parts: [String: Part]) -> Part? {
        guard let url, url.hasPrefix("cid:") else { return nil }
        return parts[String(url.dropFirst(4))]
    }

    private static func table(_ table: HTMLElement) -> MailBlock? {
        var nodes = table.children.drop { if case .text(let text) = $0 { text.allSatisfy(\.isWhitespace) } else { false } }
        var title: String?
        if case .element(let caption)? = nodes.first, caption.name == "caption" {
            guard caption.attributes == ["style": "text-align:left;font-weight:bold;white-space:pre-wrap"] else { return nil }
            title = text(of: caption.children)
            nodes = nodes.dropFirst()
        }
        guard let rows = HTMLTableRows.read(Array(nodes), cell: { $0.attributes == ["style": cellStyle] ? cellText($0.children) : nil }) else {
            return nil
        }
        return .table(title: title, header: rows.header, rows: rows.rows)
    }

    /// The spans of inline content: text, `br`, `strong`, `em`, `s`, `code`, `a href` (not to a part) and colors as a
    /// `span` with one of the six styles.
    private static func spans(_ nodes: [HTMLNode]) -> [ReadSpan]? {
        ReadSpan.reading(nodes, lineBreaks: true) { element, span in
            switch (element.name, element.attributes) {
            case ("strong", [:]): span.bold = true
            case ("em", [:]): span.italic = true
            case ("s", [:]): span.strikethrough = true
            case ("code", [:]): span.code = true
            case ("a", let attributes) where attributes.count == 1 && span.link == nil:
                guard let href = attributes["href"], !href.hasPrefix("cid:") else { return false }
                span.link = href
            case ("span", let attributes) where attributes.count == 1 && span.color == nil:
                guard let color = attributes["style"].flatMap({ colors[$0] }) else { return false }
                span.color = color
            default:
                return false
            }
            return true
        }
    }

    /// A table cell's text, a `br` read as a line feed; `nil` if it holds anything else.
    private static func cellText(_ nodes: [HTMLNode]) -> String? {
        ReadSpan.reading(nodes, lineBreaks: true) { _, _ in false }?.map(\.text).joined()
    }

    private static func text(of nodes: [HTMLNode]) -> String {
        nodes.map { if case .text(let text) = $0 { text } else { "" } }.joined()
    }
}

/// A file of an e-mail as a receiver sees it: name, type and bytes.
public struct MailFile: Hashable, Sendable, CustomStringConvertible {
    /// The file name.
    public let filename: String
    /// The MIME type.
    public let mimeType: String
    /// The bytes.
    public let data: Data

    /// The file an attachment becomes.
    public init(_ attachment: Attachment) {
        filename = attachment.filename
        mimeType = attachment.mimeType
        data = attachment.data
    }

    /// The file a received part holds.
    public init(_ part: EmailReader.Part) {
        filename = part.filename ?? "(no file name)"
        mimeType = part.contentType
        data = part.data
    }

    /// `name (type, N bytes)`.
    public var description: String { "\(filename.debugDescription) (\(mimeType), \(data.count) bytes)" }
}

/// A block of an e-mail's HTML as a reader sees it.
public enum MailBlock: Hashable, Sendable {
    /// `h1` to `h3`.
    case heading(level: Int, [ReadSpan])
    /// A paragraph.
    case paragraph([ReadSpan])
    /// A table: its caption, the header cells, then the body rows.
    case table(title: String?, header: [String], rows: [[String]])
    /// A code block.
    case code(String)
    /// An inline image and its size.
    case image(MailFile, width: Int?, height: Int?)
    /// A file named in the text and attached.
    case file(MailFile)
    /// Anything else: always a failure in these tests.
    case other(String)
}
