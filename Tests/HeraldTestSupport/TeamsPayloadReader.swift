import Foundation
import Herald

/// Reads a Teams webhook message back into the document a Teams user sees, independently of the renderer.
///
/// It knows the card only from the outside: which elements stand for which blocks (see the layout described at
/// `AdaptiveCard.init(_:)`), and what each property shows. Anything else (an unknown element or property, a
/// `TextBlock` or `FactSet`, whose text Teams reads as Markdown) is an error, so a reading that succeeds shows the
/// card holds nothing but literal text runs. Origins and the event are not in the card: the result has none.
public enum TeamsPayloadReader {
    /// The document the webhook message `bytes` (as sent) shows.
    public static func document(fromPayload bytes: [UInt8]) throws -> Document {
        let payload = try JSONReader().read(bytes)
        let attachments = try payload.array("attachments")
        guard attachments.count == 1 else { throw ReaderError("expected one attachment, got \(attachments.count)") }
        let card = try attachments[0].value("content")
        var reader = BodyReader()
        for element in try card.array("body") { try reader.read(element) }
        return Document(tags: reader.tags, blocks: reader.blocks)
    }

    /// What the reader gives for a card that shows `document` exactly: the document without its event and
    /// origins, which a card does not carry, and without empty table titles, which show nothing.
    public static func expectedDocument(for document: Document) -> Document {
        let blocks = document.withoutOrigins.blocks.map { block -> Block in
            guard case .table(let table, _) = block, table.title == "" else { return block }
            return .table(try! Table(columns: table.columns, rows: table.rows), origin: .generated)
        }
        return Document(tags: document.tags, blocks: blocks)
    }

    private struct BodyReader {
        var blocks: [Block] = []
        var tags: [String] = []

        mutating func read(_ element: JSONValue) throws {
            guard tags.isEmpty else { throw ReaderError("an element after the tags line") }
            switch try element.string("type") {
            case "RichTextBlock":
                try element.allowOnly(["type", "inlines", "spacing", "separator"])
                if try element.optionalBool("separator") == true {
                    tags = try Self.tags(in: element.array("inlines"))
                } else if try element.optionalString("spacing") == "None" {
                    try continueLine(with: element.array("inlines"))
                } else {
                    guard try element.optionalString("spacing") == nil else { throw ReaderError("spacing of a block") }
                    let (content, level) = try Self.line(element.array("inlines"))
                    blocks.append(level.map { .heading(level: $0, content: content) } ?? .paragraph(content))
                }
            case "Container":
                try element.allowOnly(["type", "items", "style"])
                switch try element.optionalString("style") {
                case "Emphasis": blocks.append(try Self.code(in: element.array("items")))
                case nil: blocks.append(try Self.table(in: element.array("items")))
                case let style?: throw ReaderError("container style \(style)")
                }
            case "Image":
                try element.allowOnly(["type", "url", "altText", "width", "height"])
                blocks.append(.attachment(try Self.attachment(element), origin: .generated))
            case let type:
                throw ReaderError("element \(type) is not part of Herald's card")
            }
        }

        /// A block with spacing `None` is the next line of the paragraph or heading above.
        private mutating func continueLine(with inlines: [JSONValue]) throws {
            let (content, level) = try Self.line(inlines)
            switch blocks.popLast() {
            case .paragraph(let above)? where level == nil:
                blocks.append(.paragraph([HeraldCore.TextRun](lines: [above, content])))
            case .heading(let aboveLevel, let above)? where level == aboveLevel:
                blocks.append(.heading(level: aboveLevel, content: [HeraldCore.TextRun](lines: [above, content])))
            default:
                throw ReaderError("a continued line that continues nothing of its kind")
            }
        }

        /// The runs of one line, and the heading level if every run states a size.
        private static func line(_ inlines: [JSONValue]) throws -> (content: [HeraldCore.TextRun], headingLevel: Int?) {
            let runs = try inlines.map(Run.init)
            let sizes = Set(runs.map(\.size))
            guard sizes.count == 1, !runs.isEmpty else { throw ReaderError("runs of mixed sizes: \(sizes)") }
            guard let size = sizes.first! else { return (runs.map(\.run).normalized(), nil) }
            let level = switch size {
            case "Large": 1
            case "Medium": 2
            case "Default": 3
            default: throw ReaderError("heading size \(size)")
            }
            let content = try runs.map { run -> HeraldCore.TextRun in
                guard run.run.style.bold else { throw ReaderError("a heading run that is not bold") }
                var plain = run.run
                plain.style.bold = false
                return plain
            }
            return (content.normalized(), level)
        }

        private static func tags(in inlines: [JSONValue]) throws -> [String] {
            var tags: [String] = []
            var current: String?
            for run in try inlines.map(Run.init) {
                if run.isSubtle {
                    current = (current ?? "") + run.run.text
                } else {
                    guard run.run.text == " ", run.run.style.isPlain, let tag = current else {
                        throw ReaderError("tags line separator \(run.run.text)")
                    }
                    tags.append(tag)
                    current = nil
                }
            }
            if let current { tags.append(current) }
            return try tags.map { tag in
                // By scalars: a tag that starts with a combining mark joins the # into one character.
                guard tag.unicodeScalars.first == "#" else { throw ReaderError("tag \(tag) without #") }
                return String(tag.unicodeScalars.dropFirst())
            }
        }

        private static func code(in items: [JSONValue]) throws -> Block {
            guard items.count == 1, try items[0].string("type") == "RichTextBlock" else {
                throw ReaderError("a code container holds one RichTextBlock")
            }
            try items[0].allowOnly(["type", "inlines"])
            let runs = try items[0].array("inlines").map(Run.init)
            guard runs.allSatisfy({ $0.run.style == TextStyle(monospace: true) && !$0.isSubtle && $0.size == nil }) else {
                throw ReaderError("code runs are plain monospace")
            }
            return .codeBlock(try CodeSnippet(source: runs.map(\.run.text).joined()), origin: .generated)
        }

        private static func table(in items: [JSONValue]) throws -> Block {
            var items = items[...]
            var title: String?
            if let first = items.first, try first.string("type") == "RichTextBlock" {
                try first.allowOnly(["type", "inlines"])
                title = try text(of: first.array("inlines"), bold: true)
                items = items.dropFirst()
            }
            var rows: [[String]] = []
            for (index, item) in items.enumerated() {
                guard try item.string("type") == "ColumnSet" else { throw ReaderError("a table row that is not a ColumnSet") }
                try item.allowOnly(["type", "columns", "spacing", "separator"])
                let layout = (try item.optionalString("spacing"), try item.optionalBool("separator") ?? false)
                let expected: (String?, Bool) = index == 0 ? (nil, false) : ("Small", index == 1)
                guard layout == expected else { throw ReaderError("row \(index) layout \(layout)") }
                rows.append(try item.array("columns").map { column in
                    try column.allowOnly(["type", "width", "items"])
                    guard try column.string("type") == "Column", try column.string("width") == "stretch" else {
                        throw ReaderError("a cell that is not a stretch Column")
                    }
                    // A cell's lines are RichTextBlocks, the ones after the first with spacing None (a line break).
                    return try column.array("items").enumerated().map { lineIndex, line in
                        guard try line.string("type") == "RichTextBlock" else { throw ReaderError("a cell line that is not a RichTextBlock") }
                        try line.allowOnly(["type", "inlines", "spacing"])
                        guard try line.optionalString("spacing") == (lineIndex == 0 ? nil : "None") else {
                            throw ReaderError("cell line \(lineIndex) spacing")
                        }
                        return try text(of: line.array("inlines"), bold: index == 0)
                    }.joined(separator: "\n")
                })
            }
            guard let header = rows.first else { throw ReaderError("a table without a header row") }
            return .table(try Table(title: title, columns: header, rows: Array(rows.dropFirst())), origin: .generated)
        }

        /// The text of runs that are all plain, or all plain but bold.
        private static func text(of inlines: [JSONValue], bold: Bool) throws -> String {
            let runs = try inlines.map(Run.init)
            guard runs.allSatisfy({ $0.run.style == TextStyle(bold: bold) && !$0.isSubtle && $0.size == nil }) else {
                throw ReaderError("table text runs are plain\(bold ? " and bold" : "")")
            }
            return runs.map(\.run.text).joined()
        }

        private static func attachment(_ image: JSONValue) throws -> Attachment {
            let url = try image.string("url")
            guard url.hasPrefix("data:"), let comma = url.firstIndex(of: ","), url[..<comma].hasSuffix(";base64"),
                let data = Data(base64Encoded: String(url[url.index(after: comma)...]))
            else { throw ReaderError("image URL is not a base64 data: URI") }
            let mimeType = String(url[url.index(url.startIndex, offsetBy: 5)..<comma].dropLast(";base64".count))
            func pixels(_ key: String) throws -> Int? {
                guard let value = try image.optionalString(key) else { return nil }
                guard value.hasSuffix("px"), let number = Int(value.dropLast(2)) else { throw ReaderError("\(key) \(value)") }
                return number
            }
            return try Attachment(
                filename: try image.string("altText"), mimeType: mimeType, data: data, width: try pixels("width"),
                height: try pixels("height"))
        }
    }

    /// A `TextRun` object read back.
    private struct Run {
        var run: TextRun
        var size: String?
        var isSubtle: Bool

        init(_ value: JSONValue) throws {
            try value.allowOnly(["type", "text", "weight", "italic", "strikethrough", "fontType", "color", "size", "isSubtle", "selectAction"])
            guard try value.string("type") == "TextRun" else { throw ReaderError("an inline that is not a TextRun") }
            var style = TextStyle()
            switch try value.optionalString("weight") {
            case nil: break
            case "Bolder": style.bold = true
            case let weight?: throw ReaderError("weight \(weight)")
            }
            style.italic = try value.optionalBool("italic") ?? false
            style.strikethrough = try value.optionalBool("strikethrough") ?? false
            switch try value.optionalString("fontType") {
            case nil: break
            case "Monospace": style.monospace = true
            case let font?: throw ReaderError("font type \(font)")
            }
            switch try value.optionalString("color") {
            case nil: break
            case "Attention": style.color = .red
            case "Good": style.color = .green
            case "Warning": style.color = .yellow
            case "Accent": style.color = .blue
            case let color?: throw ReaderError("color \(color)")
            }
            if let action = value.optionalValue("selectAction") {
                try action.allowOnly(["type", "url"])
                guard try action.string("type") == "Action.OpenUrl" else { throw ReaderError("select action") }
                style.link = try Link(validating: action.string("url"))
            }
            let text = try value.string("text")
            guard !text.isEmpty else { throw ReaderError("an empty run") }
            run = TextRun(text, style: style)
            size = try value.optionalString("size")
            isSubtle = try value.optionalBool("isSubtle") ?? false
        }
    }
}

extension JSONValue {
    fileprivate var members: [String: JSONValue] {
        get throws {
            guard case .object(let members) = self else { throw ReaderError("expected an object, got \(self)") }
            return members
        }
    }

    fileprivate func value(_ key: String) throws -> JSONValue {
        guard let value = try members[key] else { throw ReaderError("missing \(key)") }
        return value
    }

    fileprivate func optionalValue(_ key: String) -> JSONValue? { (try? members)?[key] }

    fileprivate func string(_ key: String) throws -> String {
        guard case .string(let text) = try value(key) else { throw ReaderError("\(key) is not a string") }
        return text
    }

    /// The string at `key`, `nil` if there is none; anything but a string is an error.
    fileprivate func optionalString(_ key: String) throws -> String? {
        switch optionalValue(key) {
        case nil: return nil
        case .string(let text)?: return text
        case let other?: throw ReaderError("\(key) is \(other), not a string")
        }
    }

    /// The boolean at `key`, `nil` if there is none; anything but a boolean is an error.
    fileprivate func optionalBool(_ key: String) throws -> Bool? {
        switch optionalValue(key) {
        case nil: return nil
        case .bool(let flag)?: return flag
        case let other?: throw ReaderError("\(key) is \(other), not a boolean")
        }
    }

    fileprivate func array(_ key: String) throws -> [JSONValue] {
        guard case .array(let elements) = try value(key) else { throw ReaderError("\(key) is not an array") }
        return elements
    }

    fileprivate func allowOnly(_ keys: Set<String>) throws {
        let unknown = Set(try members.keys).subtracting(keys)
        guard unknown.isEmpty else { throw ReaderError("unexpected properties \(unknown.sorted())") }
    }
}
