import Foundation
import Herald
import HeraldTestSupport

/// `scripts/check_discord.py`: discord.py's `Embed.from_dict` and the documented limits check each body, and a reader
/// of Discord's Markdown subset says what a user sees; and the same form made from the document a message shows.
enum DiscordReading {
    /// What the checker says about one payload.
    struct Result {
        /// The payload's name.
        var name: String
        /// Every rule the payload breaks; empty when it is valid.
        var findings: [String]
        /// What a user sees: `{"embeds": [{"title", "description", "color"}], "files"}`.
        var read: JSONValue
    }

    /// Checks and reads `payloads` in one run of the checker.
    static func check(_ payloads: [(name: String, payload: RenderedPayload)]) throws -> [Result] {
        let input = JSONValue.array(payloads.map { ["name": .string($0.name), "payload": $0.payload.json] })
        let command = try ExternalCommand.run("python3", ["scripts/check_discord.py"], input: Data(JSONWriter().bytes(input)))
        guard case .array(let items) = try JSONReader().read(Array(command.output.utf8)) else {
            throw ReaderError("check_discord.py wrote no JSON array: \(command.output.prefix(2_000))")
        }
        return items.compactMap { item -> Result? in
            guard case .object(let fields) = item, case .string(let name)? = fields["name"], case .array(let findings)? = fields["findings"],
                let read = fields["read"]
            else { return nil }
            return Result(name: name, findings: findings.compactMap { (value: JSONValue) -> String? in if case .string(let text) = value { text } else { nil } }, read: read)
        }
    }

    /// The description of a body's embed; empty when it has none.
    static func description(of payload: RenderedPayload) -> String {
        guard case .object(let body) = payload.json, case .array(let embeds)? = body["embeds"], case .object(let embed)? = embeds.first,
            case .string(let description)? = embed["description"]
        else { return "" }
        return description
    }

    // MARK: What a message should read as

    /// What a user should see in the message showing `document`, in the checker's form.
    static func expectedRead(of document: Document) -> JSONValue {
        var blocks = document.blocks[...]
        var title: [JSONValue] = []
        if case .heading(_, let runs)? = blocks.first {
            title = inline(runs)
            blocks = blocks.dropFirst()
        }
        var description: [JSONValue] = []
        var files: [JSONValue] = []
        var color: JSONValue = .null
        for block in document.blocks {
            for run in block.runs where color == .null { if let value = run.style.color.flatMap({ DiscordRenderer.sideColors[$0] }) { color = .integer(value) } }
        }
        for block in blocks {
            var nodes: [JSONValue]
            switch block {
            case .heading(let level, let runs): nodes = [["heading": .integer(level), "nodes": .array(inline(runs))]]
            case .paragraph(let runs): nodes = inline(runs)
            case .codeBlock(let code, _): nodes = [["codeblock": .string(code.source.trimmingCharacters(in: .init(charactersIn: "\n"))), "lang": .string(code.language ?? "")]]
            case .attachment(let attachment, _):
                files.append(.string(attachment.filename))
                continue
            case .table, .sticker: continue
            }
            if !description.isEmpty { description += [["br": true], ["br": true]] }
            description += nodes
        }
        let embeds: [JSONValue] =
            title.isEmpty && description.isEmpty ? [] : [["title": .array(title), "description": .array(description), "color": color]]
        return ["embeds": .array(embeds), "files": .array(files)]
    }

    /// The runs as text nodes, a line break between lines, neighbours of one style merged.
    static func inline(_ runs: [TextRun]) -> [JSONValue] {
        var nodes: [JSONValue] = []
        var last: (text: String, style: [String: JSONValue])?
        func flush() {
            if let pending = last { nodes.append(.object(pending.style.merging(["text": .string(pending.text)]) { $1 })) }
            last = nil
        }
        for (index, line) in runs.lines.enumerated() {
            if index > 0 {
                flush()
                nodes.append(["br": true])
            }
            for run in line where !run.text.isEmpty {
                let style: [String: JSONValue] = [
                    "b": .bool(run.style.bold), "i": .bool(run.style.italic), "s": .bool(run.style.strikethrough),
                    "c": .bool(run.style.monospace), "link": run.style.link.map { .string($0.url) } ?? .null,
                ]
                if let pending = last, pending.style == style {
                    last = (pending.text + run.text, style)
                } else {
                    flush()
                    last = (run.text, style)
                }
            }
        }
        flush()
        return nodes
    }

    // MARK: Back to a document

    /// The text blocks a user sees in one message's `read`: the title a heading, paragraphs split at blank lines,
    /// code blocks; without origins or colors.
    static func document(fromRead read: JSONValue) throws -> Document {
        guard case .object(let fields) = read, case .array(let embeds)? = fields["embeds"] else { throw ReaderError("not a read: \(read)") }
        var blocks: [Block] = []
        for case .object(let embed) in embeds {
            if case .array(let title)? = embed["title"], !title.isEmpty { blocks.append(.heading(level: 1, content: try runs(title))) }
            guard case .array(let nodes)? = embed["description"] else { continue }
            var paragraph: [JSONValue] = []
            func flush() throws {
                if !paragraph.isEmpty { blocks.append(.paragraph(try runs(paragraph))) }
                paragraph = []
            }
            var index = 0
            while index < nodes.count {
                let node = nodes[index]
                guard case .object(let object) = node else { throw ReaderError("not a node: \(node)") }
                if object["br"] != nil, index + 1 < nodes.count, case .object(let next) = nodes[index + 1], next["br"] != nil {
                    try flush()
                    index += 2
                    continue
                }
                if case .string(let source)? = object["codeblock"], case .string(let language)? = object["lang"] {
                    try flush()
                    blocks.append(.codeBlock(try CodeSnippet(language: language.isEmpty ? nil : language, source: source), origin: .generated))
                } else if case .integer(let level)? = object["heading"], case .array(let content)? = object["nodes"] {
                    try flush()
                    blocks.append(.heading(level: level, content: try runs(content)))
                } else {
                    paragraph.append(node)
                }
                index += 1
            }
            try flush()
        }
        return Document(blocks: blocks)
    }

    /// Text and line-break nodes as runs.
    private static func runs(_ nodes: [JSONValue]) throws -> [TextRun] {
        try nodes.map { node -> TextRun in
            guard case .object(let object) = node else { throw ReaderError("not a node: \(node)") }
            if object["br"] != nil { return TextRun("\n") }
            guard case .string(let text)? = object["text"] else { throw ReaderError("markup, not text: \(node)") }
            let link: Link? = if case .string(let url)? = object["link"] { try Link(validating: url) } else { nil }
            return TextRun(text, style: TextStyle(
                bold: object["b"] == true, italic: object["i"] == true, strikethrough: object["s"] == true, monospace: object["c"] == true,
                link: link))
        }.normalized()
    }

    /// `document`'s text blocks as a reader gives them back: no origins, colors, attachments or stickers.
    static func shownText(of document: Document) throws -> Document {
        func plain(_ runs: [TextRun]) -> [TextRun] {
            runs.map { run in
                var style = run.style
                style.color = nil
                return TextRun(run.text, style: style)
            }.normalized()
        }
        let blocks = try document.blocks.compactMap { block -> Block? in
            switch block {
            case .heading(let level, let runs): .heading(level: level, content: plain(runs))
            case .paragraph(let runs): .paragraph(plain(runs))
            case .codeBlock(let code, _): .codeBlock(try CodeSnippet(language: code.language, source: code.source), origin: .generated)
            case .table, .attachment, .sticker: nil
            }
        }
        return Document(blocks: blocks)
    }
}
