import Foundation
import Herald
import HeraldTelegram
import HeraldTestSupport

/// `scripts/check_telegram.py`, which checks payloads with Telethon and reads their text back, and a reader that
/// turns its readings into the document a Telegram user sees.
enum TelegramCheck {
    /// Telethon's reading of one call.
    struct Call {
        /// The method.
        var method: String
        /// The text of `text` or `caption`, if the call has one.
        var text: String?
        /// Its entities.
        var entities: [Entity]
        /// The attachments it uploads (`file1`, ...).
        var files: [String]
        /// Whether each goes as a photo.
        var photos: [Bool]
        /// Whether a caption is shown above the photos.
        var captionAbove: Bool
    }

    /// An entity of a reading, its offset and length in UTF-16 code units.
    struct Entity {
        var type: String
        var offset: Int
        var length: Int
        var language: String?
        var url: String?
    }

    /// What the script found and read.
    struct Result {
        /// Its exit status.
        var status: Int32
        /// One line per problem.
        var findings: [String]
        /// Each message's calls, by name.
        var readings: [String: [Call]]
    }

    /// Runs the script on `messages` (a name and one message's payload each).
    static func run(_ messages: [(name: String, payload: JSONValue)]) throws -> Result {
        let input: JSONValue = ["messages": .array(messages.map { ["name": .string($0.name), "payload": $0.payload] })]
        let command = try ExternalCommand.run("python3", ["scripts/check_telegram.py"], input: Data(JSONWriter().bytes(input)))
        // The output is one JSON line, unless the script failed before writing it.
        guard case .object(let answer)? = try? JSONReader().read(Array(command.output.utf8)),
            case .array(let findings)? = answer["findings"], case .array(let readings)? = answer["readings"]
        else { throw ReaderError("check_telegram.py did not answer: \(command.output.suffix(2_000))") }
        var result = Result(status: command.status, findings: findings.compactMap(\.stringValue), readings: [:])
        for reading in readings {
            guard case .string(let name)? = reading.member("name"), case .array(let calls)? = reading.member("calls") else {
                throw ReaderError("a reading without name or calls")
            }
            result.readings[name] = try calls.map(call)
        }
        return result
    }

    private static func call(_ value: JSONValue) throws -> Call {
        guard case .string(let method)? = value.member("method"), case .array(let entities)? = value.member("entities"),
            case .array(let files)? = value.member("files"), case .array(let photos)? = value.member("photos")
        else { throw ReaderError("a malformed call reading: \(value)") }
        return Call(
            method: method, text: value.member("text")?.stringValue,
            entities: try entities.map { entity in
                guard case .string(let type)? = entity.member("type"), case .integer(let offset)? = entity.member("offset"),
                    case .integer(let length)? = entity.member("length")
                else { throw ReaderError("a malformed entity: \(entity)") }
                return Entity(
                    type: type, offset: offset, length: length, language: entity.member("language")?.stringValue,
                    url: entity.member("url")?.stringValue)
            },
            files: files.compactMap(\.stringValue), photos: photos.map { $0 == .bool(true) },
            captionAbove: value.member("caption_above") == .bool(true))
    }
}

/// The document a Telegram user sees, read from Telethon's readings of one message's calls, independently of the
/// renderer: the text is laid out as services.md says (blocks separated by a blank line, a `pre` entity a code
/// block, an entity covering its run's whole text), the files are the message's attachments in order.
enum TelegramReadBack {
    /// The document `calls` show, with `attachments` the message's attachments (what `fileN` uploads).
    static func document(_ calls: [TelegramCheck.Call], attachments: [Attachment]) throws -> Document {
        var text: [Block] = []
        var files: [Block] = []
        var filesFirst = false
        for call in calls {
            for (name, photo) in zip(call.files, call.photos) {
                guard let number = Int(name.dropFirst(4)), attachments.indices.contains(number - 1) else {
                    throw ReaderError("\(name) is not an attachment of the message")
                }
                let attachment = attachments[number - 1]
                guard photo == (["image/png", "image/jpeg"].contains(attachment.mimeType) && attachment.data.count <= 10_000_000) else {
                    throw ReaderError("\(attachment.filename) sent as a \(photo ? "photo" : "document")")
                }
                files.append(.attachment(attachment, origin: .generated))
                // Files before the text: in an earlier call, or below a caption.
                if text.isEmpty, call.text == nil || !call.captionAbove { filesFirst = true }
            }
            if let body = call.text { text = try blocks(body, call.entities) }
        }
        return Document(blocks: filesFirst ? files + text : text + files)
    }

    /// What ``document(_:attachments:)`` gives for a message that shows `document` exactly: its text blocks and
    /// attachments without origins, the attachments before the text when the message begins with one and after it
    /// otherwise, no event and no tags.
    static func expected(_ document: Document) -> Document {
        var text: [Block] = []
        var files: [Block] = []
        for block in document.blocks {
            switch block {
            case .heading(let level, let runs): text.append(.heading(level: level, content: withoutOrigins(runs)))
            case .paragraph(let runs): text.append(.paragraph(withoutOrigins(runs)))
            case .codeBlock(let code, _): text.append(.codeBlock(code, origin: .generated))
            case .table(let table, _): text.append(.table(table, origin: .generated))
            case .attachment(let attachment, _): files.append(.attachment(attachment, origin: .generated))
            case .sticker(let sticker, _): files.append(.sticker(sticker, origin: .generated))
            }
        }
        let filesFirst = if case .attachment? = document.blocks.first { true } else { false }
        return Document(blocks: filesFirst ? files + text : text + files)
    }

    /// Whether `shown`, a message read back, is `expected` (``expected(_:)`` of the message's document) as the
    /// renderer may encode it: the same blocks, styles and characters, except that a space may be a no-break space
    /// where Telegram would remove it (the first character of the text, the last, the first of a styled run or of a
    /// code block), and a code block that begins (or ends the text) with a line break may have a no-break space before
    /// (after) it.
    static func matches(_ shown: Document, _ expected: Document) -> Bool {
        // Text that shows nothing is not sent (TDLib's is_empty_string refuses it).
        let invisible: Set<Unicode.Scalar> = [" ", "\n", "\u{A0}", "\u{200B}", "\u{200C}", "\u{200D}", "\u{200E}", "\u{200F}", "\u{202E}", "\u{FEFF}"]
        let expectedText = expected.blocks.flatMap { block -> [Unicode.Scalar] in
            switch block {
            case .codeBlock(let code, _): Array(code.source.unicodeScalars)
            default: block.runs.flatMap(\.text.unicodeScalars)
            }
        }
        if expected.blocks.contains(where: \.isText), expectedText.allSatisfy(invisible.contains) {
            return shown.blocks == expected.blocks.filter { !$0.isText }
        }
        guard shown.blocks.count == expected.blocks.count else { return false }
        let texts = expected.blocks.indices.filter { expected.blocks[$0].isText }
        for (index, (block, wanted)) in zip(shown.blocks, expected.blocks).enumerated() {
            let isFirst = index == texts.first, isLast = index == texts.last
            switch (block, wanted) {
            case (.paragraph(let runs), .paragraph(let wantedRuns)):
                let characters = runs.flatMap { run in run.text.unicodeScalars.map { ($0, run.style) } }
                var allowed = Set<Int>()
                var offset = 0
                for run in wantedRuns {
                    let style = run.style
                    if style.bold || style.italic || style.strikethrough || style.monospace { allowed.insert(offset) }
                    offset += run.text.unicodeScalars.count
                }
                if isFirst { allowed.insert(0) }
                if isLast { allowed.insert(offset - 1) }
                let wantedCharacters = wantedRuns.flatMap { run in run.text.unicodeScalars.map { ($0, run.style) } }
                guard characters.count == wantedCharacters.count else { return false }
                for (position, (character, want)) in zip(characters, wantedCharacters).enumerated() {
                    guard character.1 == want.1,
                        character.0 == want.0 || (character.0 == "\u{A0}" && want.0 == " " && allowed.contains(position))
                    else { return false }
                }
            case (.codeBlock(let code, _), .codeBlock(let wantedCode, _)):
                var source = Array(code.source.unicodeScalars)
                let wantedSource = Array(wantedCode.source.unicodeScalars)
                if wantedSource.first == "\n", source.first == "\u{A0}" { source.removeFirst() }
                if isLast, wantedSource.last == "\n", source.last == "\u{A0}" { source.removeLast() }
                guard code.language == wantedCode.language, source.count == wantedSource.count else { return false }
                for (position, (character, want)) in zip(source, wantedSource).enumerated() {
                    let edge = position == 0 || (isLast && position == source.count - 1)
                    guard character == want || (character == "\u{A0}" && want == " " && edge) else { return false }
                }
            default:
                guard block == wanted else { return false }
            }
        }
        return true
    }

    /// The runs without origins.
    static func withoutOrigins(_ runs: [HeraldCore.TextRun]) -> [HeraldCore.TextRun] {
        runs.map { HeraldCore.TextRun($0.text, style: $0.style) }
    }

    /// The text blocks of `text` with `entities`: code blocks where `pre` entities lie, paragraphs of styled runs
    /// between them, separated by blank lines.
    private static func blocks(_ text: String, _ entities: [TelegramCheck.Entity]) throws -> [Block] {
        let units = Array(text.utf16)
        var styles = Array(repeating: TextStyle(), count: units.count)
        var codeBlocks: [(range: Range<Int>, language: String?)] = []
        for entity in entities {
            let range = entity.offset..<(entity.offset + entity.length)
            guard entity.offset >= 0, range.upperBound <= units.count else { throw ReaderError("an entity outside the text") }
            if entity.type == "pre" {
                codeBlocks.append((range, entity.language))
                continue
            }
            for unit in range {
                switch entity.type {
                case "bold": styles[unit].bold = true
                case "italic": styles[unit].italic = true
                case "strikethrough": styles[unit].strikethrough = true
                case "code": styles[unit].monospace = true
                case "text_url": styles[unit].link = try Link(validating: entity.url ?? "")
                default: throw ReaderError("a \(entity.type) entity, which Herald does not write")
                }
            }
        }
        func string(_ range: Range<Int>) -> String { String(decoding: units[range], as: UTF16.self) }
        let separator = Array("\n\n".utf16)
        var blocks: [Block] = []
        /// The paragraphs of `range`, which lies between code blocks.
        func paragraphs(_ range: Range<Int>) {
            guard !range.isEmpty else { return }
            var start = range.lowerBound
            var index = range.lowerBound
            while index <= range.upperBound {
                if index == range.upperBound || (index + 1 < range.upperBound && Array(units[index..<index + 2]) == separator) {
                    var runs: [HeraldCore.TextRun] = []
                    var runStart = start
                    for unit in start..<index where unit + 1 == index || styles[unit + 1] != styles[runStart] {
                        runs.append(HeraldCore.TextRun(string(runStart..<unit + 1), style: styles[runStart]))
                        runStart = unit + 1
                    }
                    blocks.append(.paragraph(runs))
                    start = index + 2
                    index += 2
                } else {
                    index += 1
                }
            }
        }
        var position = 0
        for code in codeBlocks.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) {
            // A code block is preceded and followed by a blank line unless it starts or ends the text.
            if code.range.lowerBound > position {
                let before = code.range.lowerBound - 2
                guard before >= position, Array(units[before..<code.range.lowerBound]) == separator else {
                    throw ReaderError("a code block not set off by a blank line")
                }
                paragraphs(position..<before)
            }
            let snippet = try CodeSnippet(language: code.language, source: string(code.range))
            blocks.append(.codeBlock(snippet, origin: .generated))
            let after = code.range.upperBound
            guard after == units.count || (after + 2 <= units.count && Array(units[after..<after + 2]) == separator) else {
                throw ReaderError("a code block not set off by a blank line")
            }
            position = min(units.count, after + 2)
        }
        paragraphs(position..<units.count)
        return blocks
    }
}

extension JSONValue {
    /// The member `key` of an object.
    fileprivate func member(_ key: String) -> JSONValue? {
        if case .object(let object) = self { object[key] } else { nil }
    }

    /// The string, if this is one.
    fileprivate var stringValue: String? {
        if case .string(let text) = self { text } else { nil }
    }
}
