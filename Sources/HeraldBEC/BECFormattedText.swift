import HeraldCore
import HeraldSciLog
import HeraldValidation

/// The HTML that BEC's notification formatter makes of styled text, and how a `content` string is read.
///
/// The formatter writes one paragraph, `<p>`, around at most one `<mark class="…">` (a SciLog highlight:
/// `pen-red`, `pen-green`, `marker-yellow`, `marker-pink` or `marker-blue`), `<em>` and `<strong>`, nested, around
/// the escaped text: `<p><mark class="marker-yellow"><em><strong>Scan 12 done</strong></em></mark></p>`. Any
/// other string is BEC's raw text, stored unescaped (`a < b & <sensor1> high`), and stays exactly as written.
///
/// A string is formatted text when all of these hold, and literal text otherwise:
/// 1. it starts with `<p>` and ends with `</p>`;
/// 2. every `<` in it begins one of the formatter's tags (`<p>`, `</p>`, `<mark class="…">` with one of the five
///    classes, `</mark>`, `<em>`, `</em>`, `<strong>`, `</strong>`), so no other markup, comment or CDATA section
///    can hide in it;
/// 3. libxml2's HTML parser reads it without error as one `p` holding a chain of at most one each of `mark`,
///    `em` and `strong`, each the only child of the one before, around the text (or nothing).
/// A string that passes the first test but not the others was not made by the formatter; it is kept as literal
/// text, and the reader says why, so the sender can fix the producer.
enum BECFormattedText {
    /// How a `content` string is read.
    enum Reading: Hashable {
        /// Formatted text: the decoded text and its style.
        case formatted(String, TextStyle)
        /// Literal text, exactly the string.
        case literal
        /// Literal text, though the string starts and ends like formatted text; the reason is a sentence.
        case literalDespiteMarkup(reason: String)
    }

    private static let openingTags: [String] = ["<p>", "<em>", "<strong>"]
        + SciLogHighlight.allCases.map { "<mark class=\"\($0.className)\">" }
    private static let tags: [String] = openingTags + ["</p>", "</em>", "</strong>", "</mark>"]

    /// Reads `content`.
    static func read(_ content: String) -> Reading {
        guard content.hasPrefix("<p>"), content.hasSuffix("</p>") else {
            return .literal
        }
        if let foreign = firstForeignMarkup(in: content) {
            return .literalDespiteMarkup(reason: "contains \(foreign), which BEC's formatter does not write")
        }
        let fragment = HTMLFragment(parsing: content)
        if let error = fragment.parseErrors.first {
            return .literalDespiteMarkup(
                reason: "is not HTML as BEC's formatter writes it (\(displayable(String(describing: error), limit: 2 * echoedValueLimit)))")
        }
        guard fragment.nodes.count == 1, case .element(let paragraph) = fragment.nodes[0], paragraph.name == "p",
            paragraph.attributes.isEmpty, let reading = chain(paragraph.children, style: .plain)
        else {
            return .literalDespiteMarkup(reason: "nests its tags differently from BEC's formatter")
        }
        return reading
    }

    /// The first `<…` in `content` that is not one of the formatter's tags, quoted and shortened.
    private static func firstForeignMarkup(in content: String) -> String? {
        var rest = content[...]
        while let open = rest.firstIndex(of: "<") {
            rest = rest[open...]
            guard let tag = tags.first(where: { rest.hasPrefix($0) }) else {
                let end = rest.firstIndex(of: ">").map { rest.index(after: $0) } ?? rest.endIndex
                return "“" + displayable(rest[..<end], limit: 40) + "”"
            }
            rest = rest.dropFirst(tag.count)
        }
        return nil
    }

    /// The text and style of `nodes`, the content of the paragraph or of one of the chain's elements.
    private static func chain(_ nodes: [HTMLNode], style: TextStyle) -> Reading? {
        switch nodes.count {
        case 0:
            return .formatted("", style)
        case 1:
            switch nodes[0] {
            case .text(let text):
                return .formatted(text, style)
            case .element(let element):
                var inner = style
                switch (element.name, element.attributes) {
                case ("em", [:]) where !style.italic: inner.italic = true
                case ("strong", [:]) where !style.bold: inner.bold = true
                case ("mark", let attributes) where style.color == nil && attributes.count == 1:
                    guard let highlight = attributes["class"].flatMap(SciLogHighlight.init(rawValue:)) else { return nil }
                    inner.color = highlight.color
                default:
                    return nil
                }
                return chain(element.children, style: inner)
            case .comment, .other:
                return nil
            }
        default:
            return nil
        }
    }
}
