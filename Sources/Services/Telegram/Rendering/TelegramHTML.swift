import HeraldCore

/// A formatting tag of Telegram's HTML: each pair the writer emits is one entity of the message.
enum TelegramTag: Hashable {
    /// `<a href="…">`.
    case link(String)
    /// `<code>`.
    case code
    /// `<b>`.
    case bold
    /// `<i>`.
    case italic
    /// `<s>`.
    case strikethrough

    /// The tags of `style`, outermost first: the link and monospace, which are whole entities that Telegram does
    /// not merge, outside the emphases, which change more often.
    static func tags(of style: TextStyle) -> [TelegramTag] {
        var tags: [TelegramTag] = []
        if let link = style.link { tags.append(.link(link.url)) }
        if style.monospace { tags.append(.code) }
        if style.bold { tags.append(.bold) }
        if style.italic { tags.append(.italic) }
        if style.strikethrough { tags.append(.strikethrough) }
        return tags
    }

    /// Whether Telegram moves the entity's start past white space at its beginning (TDLib's
    /// `remove_invalid_entities` does so for every entity but links).
    var isShrunkPastLeadingSpace: Bool {
        if case .link = self { false } else { true }
    }

    /// Whether Telegram joins two of these entities that touch into one (TDLib's `split_entities`: bold, italic,
    /// strikethrough).
    var mergesWithNeighbour: Bool {
        switch self {
        case .bold, .italic, .strikethrough: true
        case .link, .code: false
        }
    }
}

/// Which tags open and close between runs: the open tags form a stack in ``TelegramTag/tags(of:)`` order, and a
/// run that needs a different stack closes the tags above the part it shares with the current one.
struct TelegramTagStack {
    /// The open tags, outermost first.
    private(set) var open: [TelegramTag] = []

    /// Moves to `style`; returns the tags to close (innermost first) and those to open (outermost first).
    mutating func move(to style: TextStyle) -> (closed: [TelegramTag], opened: ArraySlice<TelegramTag>) {
        let wanted = TelegramTag.tags(of: style)
        let shared = zip(open, wanted).prefix { $0 == $1 }.count
        let closed = Array(open[shared...].reversed())
        open = wanted
        return (closed, wanted[shared...])
    }

    /// Closes every tag; returns them, innermost first.
    mutating func closeAll() -> [TelegramTag] {
        defer { open = [] }
        return open.reversed()
    }
}

/// One message's text blocks as the HTML of `text` or `caption` with `parse_mode: "HTML"`.
///
/// Blocks are separated by a blank line; a paragraph's runs are wrapped in their tags (a tag covers its run's whole
/// text, line breaks included); a code block is `<pre>`, with `<code class="language-X">` inside when it has a
/// language. In text `&`, `<` and `>` are written `&amp;`, `&lt;` and `&gt;`, and in an attribute `"` also
/// `&quot;`: the only named references Telegram reads. Nothing else is escaped, so every other character reaches
/// Telegram as written.
struct TelegramHTML {
    /// The UTF-8 bytes of the HTML.
    private(set) var bytes: [UInt8] = []
    /// Where writing stops: a measure needs no more than one byte over its maximum.
    private let limit: Int

    /// Writes the text blocks of `document`, stopping once the HTML is longer than `maximum` bytes (for measuring).
    init(_ document: Document, stoppingAbove maximum: Int = .max) {
        limit = maximum
        var needsSeparator = false
        for block in document.blocks {
            guard bytes.count <= maximum else { return }
            switch block {
            case .heading(_, let runs), .paragraph(let runs):
                separate(&needsSeparator)
                write(runs)
            case .codeBlock(let code, _):
                separate(&needsSeparator)
                writeCode(code.source, language: code.language)
            case .table(let table, _):
                // Absent after fitting (`tables: .alignedText`); laid out the same way for safety.
                separate(&needsSeparator)
                writeCode(table.alignedText, language: nil)
            case .attachment, .sticker:
                continue
            }
        }
    }

    /// The HTML as a string.
    var text: String { String(decoding: bytes, as: UTF8.self) }

    private mutating func separate(_ needsSeparator: inout Bool) {
        if needsSeparator { bytes += [0x0A, 0x0A] }
        needsSeparator = true
    }

    private mutating func write(_ runs: [TextRun]) {
        var stack = TelegramTagStack()
        for run in runs {
            let (closed, opened) = stack.move(to: run.style)
            for tag in closed { close(tag) }
            for tag in opened { open(tag) }
            appendEscaped(run.text, inAttribute: false)
        }
        for tag in stack.closeAll() { close(tag) }
    }

    private mutating func writeCode(_ source: String, language: String?) {
        bytes += Array("<pre>".utf8)
        if let language {
            bytes += Array("<code class=\"language-".utf8)
            appendEscaped(language, inAttribute: true)
            bytes += Array("\">".utf8)
        }
        appendEscaped(source, inAttribute: false)
        if language != nil { bytes += Array("</code>".utf8) }
        bytes += Array("</pre>".utf8)
    }

    private mutating func open(_ tag: TelegramTag) {
        switch tag {
        case .link(let url):
            bytes += Array("<a href=\"".utf8)
            appendEscaped(url, inAttribute: true)
            bytes += Array("\">".utf8)
        case .code: bytes += Array("<code>".utf8)
        case .bold: bytes += Array("<b>".utf8)
        case .italic: bytes += Array("<i>".utf8)
        case .strikethrough: bytes += Array("<s>".utf8)
        }
    }

    private mutating func close(_ tag: TelegramTag) {
        switch tag {
        case .link: bytes += Array("</a>".utf8)
        case .code: bytes += Array("</code>".utf8)
        case .bold: bytes += Array("</b>".utf8)
        case .italic: bytes += Array("</i>".utf8)
        case .strikethrough: bytes += Array("</s>".utf8)
        }
    }

    private mutating func appendEscaped(_ text: String, inAttribute: Bool) {
        for byte in text.utf8 {
            guard bytes.count <= limit else { return }
            switch byte {
            case UInt8(ascii: "&"): bytes += Array("&amp;".utf8)
            case UInt8(ascii: "<"): bytes += Array("&lt;".utf8)
            case UInt8(ascii: ">"): bytes += Array("&gt;".utf8)
            case UInt8(ascii: "\"") where inAttribute: bytes += Array("&quot;".utf8)
            default: bytes.append(byte)
            }
        }
    }
}

/// What Telegram counts in a message's text: its length after entity parsing and its entities.
enum TelegramText {
    /// The UTF-16 code units of the text Telegram reads from ``TelegramHTML`` of `document`, or a number above
    /// `maximum` as soon as it exceeds it.
    static func utf16Count(of document: Document, stoppingAbove maximum: Int) -> Int {
        var count = 0
        var textBlocks = 0
        for block in document.blocks {
            let size: Int
            switch block {
            case .heading(_, let runs), .paragraph(let runs): size = runs.reduce(0) { $0 + $1.text.utf16.count }
            case .codeBlock(let code, _): size = code.source.utf16.count
            case .table(let table, _): size = table.alignedText.utf16.count
            case .attachment, .sticker: continue
            }
            count += (textBlocks > 0 ? 2 : 0) + size
            textBlocks += 1
            if count > maximum { return count }
        }
        return count
    }

    /// The entities ``TelegramHTML`` writes for `document` (a tag pair each), or a number above `maximum` as soon as
    /// it exceeds it. Telegram joins touching bold, italic and strikethrough entities, so it may count fewer.
    static func entityCount(of document: Document, stoppingAbove maximum: Int) -> Int {
        var count = 0
        for block in document.blocks {
            switch block {
            case .heading(_, let runs), .paragraph(let runs):
                var stack = TelegramTagStack()
                for run in runs { count += stack.move(to: run.style).opened.count }
            case .codeBlock, .table: count += 1
            case .attachment, .sticker: continue
            }
            if count > maximum { return count }
        }
        return count
    }

    /// Whether `document` has a text block.
    static func hasText(_ document: Document) -> Bool { document.blocks.contains(where: isText) }

    /// Whether `block` is text: not an attachment or a sticker.
    static func isText(_ block: Block) -> Bool {
        switch block {
        case .heading, .paragraph, .codeBlock, .table: true
        case .attachment, .sticker: false
        }
    }

    /// Whether the text of `document` shows nothing (TDLib's `is_empty_string`): only spaces, line feeds, no-break
    /// spaces, zero-width spaces and joiners, direction marks, U+202E and U+FEFF.
    static func showsNothing(_ document: Document) -> Bool {
        let invisible: Set<Unicode.Scalar> = [" ", "\n", "\u{A0}", "\u{200B}", "\u{200C}", "\u{200D}", "\u{200E}", "\u{200F}", "\u{202E}", "\u{FEFF}"]
        func isInvisible(_ text: String) -> Bool { text.unicodeScalars.allSatisfy(invisible.contains) }
        return document.blocks.allSatisfy { block in
            switch block {
            case .heading(_, let runs), .paragraph(let runs): runs.allSatisfy { isInvisible($0.text) }
            case .codeBlock(let code, _): isInvisible(code.source)
            case .table(let table, _): isInvisible(table.alignedText)
            case .attachment, .sticker: true
            }
        }
    }
}
