import Foundation  // precomposedStringWithCanonicalMapping
import HeraldCore

/// The changes Telegram needs beyond what its ``Capabilities`` describe, made before the limits so that every
/// message shows what the report says. (The white space Telegram removes at the ends of each message depends on
/// where the limits cut: ``TelegramEdges`` keeps it when a message is encoded.)
///
/// Telegram's Bot API hands the text to TDLib, which changes it on the way in (`clean_input_string`,
/// `fix_formatted_text`, `find_entities`). Herald makes those changes itself, or avoids them, and reports each:
/// 1. A file over ``TelegramLimits/fileBytes`` cannot be uploaded: its name is shown instead
///    (`attachment_not_delivered`).
/// 2. The tags become a last line: `#tag` where the tag is a hashtag Telegram recognises (letters, digits, `_`, at
///    least one letter, at most 256), the tag's text otherwise, so that no part of a tag becomes a hashtag of its
///    own. Not a loss: nothing is reported.
/// 3. A link Telegram would not make clickable (`mailto:`, a host without a dot such as `localhost`, port 0) is
///    shown as its text followed by the URL (`link_shown_as_text`).
/// 4. Characters Telegram would change: a tab becomes a space (as Telegram shows it); U+2028 to U+202E, U+0333
///    and U+033F, which Telegram removes, become U+FFFD; U+030A, which Telegram removes too, is composed with the
///    letter before it where Unicode has one character for both (`å`), else becomes U+FFFD; of several left-to-right
///    or right-to-left marks in a row all but the last become U+200C, as Telegram makes them
///    (`character_replaced`).
/// 5. An `@` that Telegram would read as a mention (`@everyone`, which notifies the user of that name) is followed
///    by U+2060 WORD JOINER, which shows nothing (`character_replaced`). Monospace text, links and code blocks are
///    never read for mentions.
enum TelegramAdjustment {
    /// `document` with the changes above, and a degradation for each.
    static func adjusted(_ document: Document) -> FittingResult {
        var adjustment = Adjuster()
        var result = document
        result.blocks = document.blocks.map { adjustment.withinFileLimit($0) }
        if !document.tags.isEmpty {
            result.blocks.append(.paragraph([TextRun(hashtagLine(document.tags), origin: .generated)]))
            result.tags = []
        }
        result.blocks = result.blocks.map { block in
            switch block {
            case .heading(let level, let runs): .heading(level: level, content: adjustment.adjusted(runs))
            case .paragraph(let runs): .paragraph(adjustment.adjusted(runs))
            case .codeBlock(let code, let origin): .codeBlock(adjustment.adjusted(code, origin: origin), origin: origin)
            case .table, .attachment, .sticker: block
            }
        }
        return FittingResult(document: result, degradations: adjustment.degradations)
    }

    /// The tags as one line: each a `#hashtag` when Telegram recognises it as one, its text otherwise.
    static func hashtagLine(_ tags: [String]) -> String {
        tags.map { isHashtag($0) ? "#" + $0 : $0 }.joined(separator: " ")
    }

    /// Whether `#` followed by `tag` is a whole hashtag to Telegram (TDLib's `match_hashtags`): 1 to 256 letters,
    /// decimal digits, `_`, `·`, U+200C or Sinhala characters, at least one of them a letter.
    static func isHashtag(_ tag: String) -> Bool {
        var count = 0
        var hasLetter = false
        for scalar in tag.unicodeScalars {
            let isLetter = scalar.isLetter
            guard isLetter || scalar.properties.generalCategory == .decimalNumber || scalar == "_" || scalar == "\u{B7}"
                || scalar == "\u{200C}" || (0xD80...0xDFF).contains(scalar.value)
            else { return false }
            hasLetter = hasLetter || isLetter
            count += 1
        }
        return (1...256).contains(count) && hasLetter
    }
}

/// The state of one adjustment: the degradations so far.
private struct Adjuster {
    var degradations: [Degradation] = []

    mutating func report(_ kind: Degradation.Kind, _ origin: Origin, _ subject: String?, _ message: String) {
        degradations.append(Degradation(kind: kind, origin: origin, subject: subject, message: message))
    }

    /// An attachment Telegram cannot take replaced by the line naming it; any other block as it is.
    mutating func withinFileLimit(_ block: Block) -> Block {
        guard case .attachment(let attachment, let origin) = block, attachment.data.count > TelegramLimits.fileBytes else { return block }
        report(.attachmentNotDelivered, origin, attachment.filename,
               "attachment not delivered: Telegram's Bot API takes files of at most 50 MB; its name is shown instead")
        return .attachmentNotice(for: attachment, origin: origin)
    }

    // MARK: Runs

    /// The runs of a paragraph or heading with steps 3 to 5.
    mutating func adjusted(_ runs: [TextRun]) -> [TextRun] {
        var runs = runs.flatMap { withClickableLinks($0) }.normalized()
        for index in runs.indices {
            let (text, changes) = TelegramCharacters.cleaned(runs[index].text)
            if !changes.isEmpty {
                report(.characterReplaced, runs[index].origin, runs[index].text, changes.joined(separator: "; ") + " on Telegram")
            }
            runs[index].text = text
        }
        neutralizeMentions(in: &runs)
        return runs
    }

    /// `run`, or its text and URL when Telegram would not make its link clickable (step 3), through the shared
    /// fitting pass so that the URL is shown as every service shows it.
    mutating func withClickableLinks(_ run: TextRun) -> [TextRun] {
        guard let link = run.style.link, !TelegramLinks.isClickable(link.url) else { return [run] }
        var text = run
        let endsLine = text.text.hasSuffix("\n")
        if endsLine { text.text.removeLast() }
        let fitting = Document(blocks: [.paragraph([text])]).fitted(to: TelegramLinks.shownAsText)
        degradations += fitting.degradations.map { degradation in
            var degradation = degradation
            degradation.message += " (Telegram makes only http and https links to a host with a dot clickable)"
            return degradation
        }
        return fitting.document.blocks.flatMap(\.runs) + (endsLine ? [TextRun("\n", origin: run.origin)] : [])
    }

    /// Step 5: a word joiner after each `@` that TDLib's `match_mentions` would read as a mention: not after a
    /// letter, digit or `_`, followed by 2 to 32 of `A-Z a-z 0-9 _`, and then not by a letter, digit or `_`.
    mutating func neutralizeMentions(in runs: inout [TextRun]) {
        guard runs.contains(where: { $0.text.utf8.contains(UInt8(ascii: "@")) }) else { return }
        let source = runs
        var neutralized: [Int: Set<String.Index>] = [:]  // by run, the `@`s a word joiner follows
        var previous: Unicode.Scalar?
        for (runIndex, run) in source.enumerated() {
            let scalars = run.text.unicodeScalars
            var index = scalars.startIndex
            while index < scalars.endIndex {
                let scalar = scalars[index]
                defer {
                    previous = scalar
                    index = scalars.index(after: index)
                }
                guard scalar == "@", !run.style.monospace, run.style.link == nil, previous?.isWordCharacter != true else { continue }
                // The name after it, which may go on in the next runs; a longer one than 32 is no mention.
                var rest = scalars[scalars.index(after: index)...].makeIterator()
                var laterRun = runIndex + 1
                func nextScalar() -> Unicode.Scalar? {
                    while true {
                        if let scalar = rest.next() { return scalar }
                        guard laterRun < source.count else { return nil }
                        rest = source[laterRun].text.unicodeScalars[...].makeIterator()
                        laterRun += 1
                    }
                }
                var length = 0
                var following = nextScalar()
                while let name = following, name.isUsernameCharacter, length <= 32 {
                    length += 1
                    following = nextScalar()
                }
                if (2...32).contains(length), following?.isWordCharacter != true { neutralized[runIndex, default: []].insert(index) }
            }
        }
        for (runIndex, positions) in neutralized.sorted(by: { $0.key < $1.key }) {
            let scalars = runs[runIndex].text.unicodeScalars
            var text = String.UnicodeScalarView()
            for index in scalars.indices {
                text.append(scalars[index])
                if positions.contains(index) { text.append("\u{2060}") }
            }
            report(.characterReplaced, runs[runIndex].origin, runs[runIndex].text,
                   "\"@\" followed by U+2060 WORD JOINER on Telegram, which would otherwise make what follows a mention that notifies that user")
            runs[runIndex].text = String(text)
        }
    }

    // MARK: Code

    /// A code block with step 4 (code is never read for mentions).
    mutating func adjusted(_ code: CodeSnippet, origin: Origin) -> CodeSnippet {
        let (source, changes) = TelegramCharacters.cleaned(code.source)
        if !changes.isEmpty {
            report(.characterReplaced, origin, code.source, changes.joined(separator: "; ") + " on Telegram")
        }
        guard !source.unicodeScalars.elementsEqual(code.source.unicodeScalars) else { return code }
        return (try? CodeSnippet(language: code.language, source: source)) ?? code
    }
}

/// Which links Telegram makes clickable.
enum TelegramLinks {
    /// Whether TDLib's `check_link` accepts `url` for a text link: `http` or `https` with a host that has a dot (or
    /// is an IPv6 address) and a port other than 0.
    static func isClickable(_ url: String) -> Bool {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else { return false }
        return (host.contains(".") || host.contains(":")) && components.port != 0
    }

    /// Capabilities that change only links, into text followed by the URL.
    static let shownAsText = Capabilities(
        serviceName: "Telegram", styles: Set(StyleFeature.allCases),
        colors: Dictionary(uniqueKeysWithValues: TextColor.allCases.map { ($0, .exact) }), links: .urlAfterText,
        headings: .native, tables: .native, codeLanguages: true, attachments: .native, maximumStickers: .max, tags: .metadata)
}

/// The characters Telegram's `clean_input_string` changes.
enum TelegramCharacters {
    /// `text` as Telegram will show it, with a phrase for each kind of change made (none when nothing changes).
    static func cleaned(_ text: String) -> (text: String, changes: [String]) {
        guard text.unicodeScalars.contains(where: isChanged) else { return (text, []) }
        var result = String.UnicodeScalarView()
        var changes: [String] = []
        func note(_ change: String) { if !changes.contains(change) { changes.append(change) } }
        let scalars = Array(text.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            switch scalar.value {
            case 0x09:
                result.append(" ")
                note("tab shown as a space")
            case 0x2028...0x202E, 0x0333, 0x033F:
                result.append("\u{FFFD}")
                note("U+\(hex(scalar)), which Telegram removes, replaced by U+FFFD")
            case 0x030A:
                if let base = result.last, let composed = composed(base, scalar) {
                    result.removeLast()
                    result.append(composed)
                } else {
                    result.append("\u{FFFD}")
                    note("U+030A, which Telegram removes, replaced by U+FFFD")
                }
            case 0x200E, 0x200F:
                guard index + 1 < scalars.count, [0x200E, 0x200F].contains(scalars[index + 1].value) else {
                    result.append(scalar)
                    continue
                }
                result.append("\u{200C}")
                note("U+\(hex(scalar)) before another direction mark replaced by U+200C, as Telegram replaces it")
            default:
                result.append(scalar)
            }
        }
        return (String(result), changes)
    }

    /// Whether Telegram changes `scalar` (a direction mark only when another follows).
    private static func isChanged(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x2028...0x202E, 0x0333, 0x033F, 0x030A, 0x200E, 0x200F: true
        default: false
        }
    }

    /// The one character canonically equivalent to `base` followed by `mark`, if Unicode has one.
    private static func composed(_ base: Unicode.Scalar, _ mark: Unicode.Scalar) -> Unicode.Scalar? {
        var pair = String.UnicodeScalarView()
        pair.append(base)
        pair.append(mark)
        let scalars = String(pair).precomposedStringWithCanonicalMapping.unicodeScalars
        return scalars.count == 1 ? scalars.first : nil
    }

    private static func hex(_ scalar: Unicode.Scalar) -> String {
        let digits = String(scalar.value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

extension String {
    /// The text with its first (`atStart`) or last scalar, a space, replaced by a no-break space.
    func replacingScalar(atStart: Bool) -> String {
        var scalars = Array(unicodeScalars)
        scalars[atStart ? 0 : scalars.count - 1] = "\u{A0}"
        return String(String.UnicodeScalarView(scalars))
    }
}

extension Unicode.Scalar {
    /// A letter (TDLib's `UnicodeSimpleCategory::Letter`).
    fileprivate var isLetter: Bool {
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: true
        default: false
        }
    }

    /// A letter, a number or `_` (TDLib's `is_word_character`).
    fileprivate var isWordCharacter: Bool {
        switch properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber: true
        default: isLetter || self == "_"
        }
    }

    /// `A-Z a-z 0-9 _`, what a username is made of.
    fileprivate var isUsernameCharacter: Bool {
        isASCII && (properties.isAlphabetic || ("0"..."9").contains(self) || self == "_")
    }
}
