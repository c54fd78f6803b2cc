import Foundation
import Herald

/// Reads a Slack message body back into the document a Slack user sees, following Slack's documented `mrkdwn`
/// (its "Formatting text for app surfaces" reference) and nothing of the renderer.
///
/// What it knows of Slack:
/// - a `header` block's `plain_text` is shown as written (`emoji: false` keeps `:name:` as text);
/// - in `mrkdwn`, `&amp;`, `&lt;`, `&gt;` stand for `&`, `<`, `>`; `<url|text>` and `<url>` are links; `<!date^…|x>`
///   shows `x` when Slack cannot format the date (Herald's `{_}` format never can); every other `<…>` is a mention
///   or a channel, which Herald must never send, and so is a bare `&`, `<` or `>`;
/// - `*`, `_`, `~` and `` ` `` around text make it bold, italic, struck through and code, nested, within one line;
///   Slack reads them only at the edges of words, so a zero-width space beside a group of markers is markup, not
///   text; inside code nothing is markup but the entities and the closing backtick;
/// - a line whose text starts with `>` or `＞` is a quote, unless a soft hyphen stands before it (which the reader
///   then drops); a pair of one formatting character in a link's text, a bare `:name:` or a full-width `＊＿｀`
///   would be formatting or an emoji: the reader refuses them, as it refuses anything else a sender's text would
///   turn into markup;
/// - a section that is ```` ```\n…\n``` ```` is a code block, where a zero-width space after a backtick that another
///   backtick or zero-width space follows keeps ```` ``` ```` from closing it.
///
/// The top-level `text` must be the shown document's text without styles (blocks joined by a blank line). Origins,
/// the event and tags are not in a message: the result has none (tags are a last paragraph of `#tag` words).
public enum SlackPayloadReader {
    /// The document the message body `bytes` shows; throws when the body holds anything outside the layout above or
    /// its fallback text differs from what its blocks show.
    public static func document(fromPayload bytes: [UInt8]) throws -> Document {
        guard case .object(let message) = try JSONReader().read(bytes) else { throw ReaderError("the body is not a JSON object") }
        guard Set(message.keys) == ["blocks", "text", "unfurl_links", "unfurl_media"], message["unfurl_links"] == false,
            message["unfurl_media"] == false, case .array(let values)? = message["blocks"], case .string(let fallback)? = message["text"]
        else { throw ReaderError("the body is not {blocks, text, unfurl_links: false, unfurl_media: false}: \(message.keys.sorted())") }
        let blocks = try values.enumerated().map { index, value in
            do { return try block(value) } catch { throw ReaderError("blocks[\(index)]: \(error)") }
        }
        let shownText = try lines(of: fallback).map { line in
            guard line.allSatisfy({ $0.style.isPlain }) else { throw ReaderError("the fallback text has styles or links") }
            return line.plainText
        }.joined(separator: "\n")
        let expectedText = blocks.compactMap { block -> String? in
            switch block {
            case .heading(_, let runs), .paragraph(let runs): runs.plainText
            case .codeBlock(let code, _): code.source
            case .table, .attachment, .sticker: nil
            }
        }.joined(separator: "\n\n")
        guard shownText == expectedText else {
            throw ReaderError("the fallback text \(shownText.debugDescription) is not the text shown, \(expectedText.debugDescription)")
        }
        return Document(blocks: blocks)
    }

    /// What the reader gives for a message that shows `document` exactly: the document without its event and
    /// origins, which a message does not carry.
    public static func expectedDocument(for document: Document) -> Document {
        Document(tags: document.tags, blocks: document.blocks.map { block in
            switch block {
            case .heading(let level, let content): .heading(level: level, content: content.map { TextRun($0.text, style: $0.style) })
            case .paragraph(let content): .paragraph(content.map { TextRun($0.text, style: $0.style) })
            case .table(let table, _): .table(table, origin: .generated)
            case .codeBlock(let code, _): .codeBlock(code, origin: .generated)
            case .attachment(let attachment, _): .attachment(attachment, origin: .generated)
            case .sticker(let sticker, _): .sticker(sticker, origin: .generated)
            }
        })
    }

    // MARK: Blocks

    private static func block(_ value: JSONValue) throws -> Block {
        guard case .object(let block) = value, Set(block.keys) == ["type", "text"], case .string(let type)? = block["type"],
            case .object(let textObject)? = block["text"], case .string(let text)? = textObject["text"], !text.isEmpty
        else { throw ReaderError("not a block of a type and a non-empty text object") }
        switch type {
        case "header":
            guard textObject == ["type": "plain_text", "text": .string(text), "emoji": false] else {
                throw ReaderError("a header's text is not plain_text with emoji false")
            }
            return .heading(level: 1, content: [TextRun(text)])
        case "section":
            guard textObject == ["type": "mrkdwn", "text": .string(text), "verbatim": true] else {
                throw ReaderError("a section's text is not mrkdwn with verbatim true")
            }
            let scalars = Array(text.unicodeScalars), fence = Array("```\n".unicodeScalars)
            if scalars.count >= 8, Array(scalars.prefix(4)) == fence, Array(scalars.suffix(4)) == fence.reversed() {
                return .codeBlock(try CodeSnippet(source: codeBlockSource(Array(scalars[4..<(scalars.count - 4)]))), origin: .generated)
            }
            return .paragraph([TextRun](lines: try lines(of: text)))
        default:
            throw ReaderError("a \(type) block, which Herald does not send")
        }
    }

    private static func codeBlockSource(_ text: [Unicode.Scalar]) throws -> String {
        guard !text.indices.dropLast(2).contains(where: { text[$0] == "`" && text[$0 + 1] == "`" && text[$0 + 2] == "`" }) else {
            throw ReaderError("``` inside a code block ends it")
        }
        let scalars = try decodingEntities(text)
        var source = String.UnicodeScalarView()
        for (index, scalar) in scalars.enumerated() {
            if scalar == zeroWidthSpace, index > 0, scalars[index - 1] == "`", index + 1 < scalars.count,
                scalars[index + 1] == "`" || scalars[index + 1] == zeroWidthSpace
            {
                continue
            }
            source.append(scalar)
        }
        return String(source)
    }

    // MARK: mrkdwn

    static let zeroWidthSpace: Unicode.Scalar = "\u{200B}"
    static let softHyphen: Unicode.Scalar = "\u{AD}"
    static let unformattableDate = "<!date^00000000^{_}|"

    /// One thing a line holds, in order.
    private enum Item {
        /// A character of text; `markup` when it stood bare in the line, so that it may be a marker's zero-width
        /// space; `link` for a link's text.
        case character(Unicode.Scalar, bare: Bool, link: Link?)
        /// A style marker.
        case marker(Unicode.Scalar)

        var isBareZeroWidthSpace: Bool {
            if case .character(SlackPayloadReader.zeroWidthSpace, bare: true, _) = self { true } else { false }
        }
        var isMarker: Bool {
            if case .marker = self { true } else { false }
        }
    }

    /// The styled lines of a `mrkdwn` text.
    private static func lines(of text: String) throws -> [[TextRun]] {
        try text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { index, line in
            do { return try runs(of: items(in: Array(line))) } catch { throw ReaderError("line \(index + 1): \(error)") }
        }
    }

    /// The items of one line: entities, dates and links read, code spans taken literally.
    private static func items(in line: [Unicode.Scalar]) throws -> [Item] {
        var items: [Item] = []
        var position = 0
        var inCode = false
        func rest(from start: Int) -> String { String(String.UnicodeScalarView(line[start...])) }
        while position < line.count {
            let scalar = line[position]
            switch scalar {
            case "`":
                items.append(.marker(scalar))
                inCode.toggle()
                position += 1
            case "&":
                let (decoded, length) = try entity(in: line, at: position)
                items.append(.character(decoded, bare: false, link: nil))
                position += length
            case "<" where !inCode:
                guard let close = line[position...].firstIndex(of: ">") else { throw ReaderError("a < that nothing closes") }
                let token = String(String.UnicodeScalarView(line[(position + 1)..<close]))
                items += try tokenItems(token)
                position = close + 1
            case "<", ">":
                throw ReaderError("a bare \(scalar), which Slack reads as markup: \(rest(from: position).debugDescription)")
            case _ where inCode:
                items.append(.character(scalar, bare: true, link: nil))
                position += 1
            case "*", "_", "~":
                items.append(.marker(scalar))
                position += 1
            case "\u{FF0A}", "\u{FF3F}", "\u{FF40}":
                throw ReaderError("a bare full-width \(scalar), which Slack reads as a marker")
            case ":" where opensShortcode(line, at: position):
                throw ReaderError("an emoji shortcode: \(rest(from: position).debugDescription)")
            default:
                items.append(.character(scalar, bare: true, link: nil))
                position += 1
            }
        }
        guard !inCode else { throw ReaderError("a code span that the line does not close") }
        return items
    }

    /// `&amp;`, `&lt;` or `&gt;` at `position`, and its length.
    private static func entity(in line: [Unicode.Scalar], at position: Int) throws -> (Unicode.Scalar, Int) {
        for (name, scalar) in [("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">")] as [(String, Unicode.Scalar)] {
            let candidate = Array(name.unicodeScalars)
            if line.count - position >= candidate.count, Array(line[position..<(position + candidate.count)]) == candidate {
                return (scalar, candidate.count)
            }
        }
        throw ReaderError("a bare & that is not &amp;, &lt; or &gt;")
    }

    /// The characters of a `<…>` token: an unformattable date's fallback, or a link's text.
    private static func tokenItems(_ token: String) throws -> [Item] {
        if ("<" + token).hasPrefix(unformattableDate) {
            let fallback = token.dropFirst(unformattableDate.count - 1)
            guard !fallback.isEmpty, !fallback.contains(where: { "&|<".contains($0) }) else {
                throw ReaderError("a date fallback \(fallback.debugDescription) Slack would not show as written")
            }
            return fallback.unicodeScalars.map { .character($0, bare: false, link: nil) }
        }
        let target = token.unicodeScalars.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false).map(Array.init)
        let url = String(String.UnicodeScalarView(try decodingEntities(target[0])))
        guard ["http://", "https://", "mailto:"].contains(where: { url.hasPrefix($0) }), let link = try? Link(validating: url) else {
            throw ReaderError("<\(token)>, a mention, channel or special command")
        }
        guard target.count == 2 else { return url.unicodeScalars.map { .character($0, bare: false, link: link) } }
        let label = try decodingEntities(target[1])
        var formatting: Set<Unicode.Scalar> = []
        for scalar in label where "*_~`\u{FF0A}\u{FF3F}\u{FF40}".unicodeScalars.contains(scalar) {
            guard formatting.insert(scalar).inserted else { throw ReaderError("a link text with two \(scalar), which Slack formats") }
        }
        guard !label.indices.contains(where: { label[$0] == ":" && opensShortcode(label, at: $0) }), !label.isEmpty else {
            throw ReaderError("a link text that is empty or holds an emoji shortcode")
        }
        return label.map { .character($0, bare: false, link: link) }
    }

    /// Whether the `:` at `index` and what follows up to the next `:` (no white space, a `<` or a marker between)
    /// would be read as an emoji.
    private static func opensShortcode(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        guard let end = scalars[(index + 1)...].firstIndex(where: { $0 == ":" || $0.properties.isWhitespace || "<*_~`".unicodeScalars.contains($0) }) else {
            return false
        }
        return scalars[end] == ":" && end > index + 1
    }

    private static func decodingEntities(_ scalars: [Unicode.Scalar]) throws -> [Unicode.Scalar] {
        var decoded: [Unicode.Scalar] = []
        var position = 0
        while position < scalars.count {
            switch scalars[position] {
            case "&":
                let (scalar, length) = try entity(in: scalars, at: position)
                decoded.append(scalar)
                position += length
            case "<", ">":
                throw ReaderError("a bare \(scalars[position])")
            default:
                decoded.append(scalars[position])
                position += 1
            }
        }
        return decoded
    }

    /// The runs of one line's items: markers applied, their zero-width spaces and a quote's soft hyphen dropped.
    private static func runs(of items: [Item]) throws -> [TextRun] {
        var characters: [(scalar: Unicode.Scalar, style: TextStyle)] = []
        var open: [Unicode.Scalar] = []
        var index = 0
        var lastCharacterWasBareZeroWidthSpace = false
        while index < items.count {
            switch items[index] {
            case .character(let scalar, _, let link):
                var style = TextStyle(
                    bold: open.contains("*"), italic: open.contains("_"), strikethrough: open.contains("~"), monospace: open.contains("`"))
                style.link = link
                characters.append((scalar, style))
                lastCharacterWasBareZeroWidthSpace = items[index].isBareZeroWidthSpace
                index += 1
            case .marker:
                // The group: markers, with at most a zero-width space between a closing and an opening part.
                var end = index
                var markers: [Unicode.Scalar] = []
                while end < items.count {
                    if case .marker(let marker) = items[end] {
                        markers.append(marker)
                        end += 1
                    } else if items[end].isBareZeroWidthSpace, end + 1 < items.count, items[end + 1].isMarker {
                        end += 1
                    } else {
                        break
                    }
                }
                if lastCharacterWasBareZeroWidthSpace { characters.removeLast() }
                if end < items.count, items[end].isBareZeroWidthSpace { end += 1 }
                for marker in markers {
                    if let position = open.lastIndex(of: marker) {
                        guard position == open.count - 1 else { throw ReaderError("\(marker) closes across another style") }
                        open.removeLast()
                    } else {
                        guard open.last != "`" else { throw ReaderError("\(marker) opens inside code") }
                        open.append(marker)
                    }
                }
                lastCharacterWasBareZeroWidthSpace = false
                index = end
            }
        }
        guard open.isEmpty else { throw ReaderError("styles \(open) left open at the end of the line") }
        let ignorable: (Unicode.Scalar) -> Bool = { $0.properties.isWhitespace || $0 == zeroWidthSpace || $0 == softHyphen }
        if let first = characters.firstIndex(where: { !ignorable($0.scalar) }), characters[first].scalar == ">" || characters[first].scalar == "\u{FF1E}" {
            guard first > 0, characters[first - 1].scalar == softHyphen else { throw ReaderError("a line whose text starts with >, a quote") }
            characters.remove(at: first - 1)
        }
        var runs: [TextRun] = []
        var text = String.UnicodeScalarView()
        for (offset, character) in characters.enumerated() {
            text.append(character.scalar)
            if offset == characters.count - 1 || characters[offset + 1].style != character.style {
                runs.append(TextRun(String(text), style: character.style))
                text.removeAll()
            }
        }
        return runs.normalized()
    }
}
