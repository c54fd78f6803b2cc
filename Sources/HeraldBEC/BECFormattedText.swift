import HeraldCore
import HeraldSciLog

/// The HTML that BEC's notification formatter makes of styled text, and how a `content` string is read.
///
/// The formatter writes one paragraph, `<p>`, around at most one `<mark class="…">` (a SciLog highlight:
/// `pen-red`, `pen-green`, `marker-yellow`, `marker-pink` or `marker-blue`), `<em>` and `<strong>`, nested, around
/// the text escaped with Python's `html.escape`: `<p><mark class="marker-yellow"><em><strong>Scan 12 done</strong>`
/// `</em></mark></p>`. Any other string is BEC's raw text, stored unescaped (`a < b & <sensor1> high`), and stays
/// exactly as written.
///
/// A string is formatted text when all of these hold, and literal text otherwise:
/// 1. it starts with `<p>` and ends with `</p>`;
/// 2. every `<` in it begins one of the formatter's tags (`<p>`, `</p>`, `<mark class="…">` with one of the five
///    classes, `</mark>`, `<em>`, `</em>`, `<strong>`, `</strong>`), so no other markup, comment or CDATA section
///    can hide in it;
/// 3. it is well-formed: every end tag closes the element open before it, every `&` begins a character reference
///    that ends with `;` (`&#39;`, `&#x27;`, or one of HTML 4.01's names, `&amp;` … `&eacute;`; an unknown name,
///    `&foo;`, is text as written), and every character is one XML allows;
/// 4. it is one `p` holding a chain of at most one each of `mark`, `em` and `strong`, each the only child of the one
///    before, around the text (or nothing).
/// A string that passes the first test but not the others was not made by the formatter; it is kept as literal
/// text, and the reader says why, so the sender can fix the producer.
///
/// The reader is hand-written rather than an HTML parser: the subset is fixed and tiny (eight tags, no attributes
/// but one `class`, character references), and the renderers, which import BEC messages, must not pull libxml2.
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

    /// One of the formatter's elements.
    private enum Element: Hashable {
        case paragraph, emphasis, strong
        case mark(SciLogHighlight)

        /// The element's name, as in its tags.
        var name: String {
            switch self {
            case .paragraph: "p"
            case .emphasis: "em"
            case .strong: "strong"
            case .mark: "mark"
            }
        }
    }

    /// A node of the string's tree: text, or an element and its children.
    private indirect enum Node {
        case text(String)
        case element(Element, [Node])
    }

    /// A tag of the formatter's: the element it opens, or the name of the element it closes.
    private enum Tag {
        case opening(Element)
        case closing(String)
    }

    /// Where the string breaks the rules of HTML: the line and column (both from 1) and what is wrong.
    private struct MalformedHTML: Error, CustomStringConvertible {
        let line: Int
        let column: Int
        let problem: String

        var description: String { "\(line):\(column): \(problem)" }
    }

    private static let tags: [(String, Tag)] =
        [("<p>", .opening(.paragraph)), ("<em>", .opening(.emphasis)), ("<strong>", .opening(.strong))]
        + SciLogHighlight.allCases.map { ("<mark class=\"\($0.className)\">", .opening(.mark($0))) }
        + ["p", "em", "strong", "mark"].map { ("</\($0)>", .closing($0)) }

    /// Reads `content`.
    static func read(_ content: String) -> Reading {
        guard content.hasPrefix("<p>"), content.hasSuffix("</p>") else {
            return .literal
        }
        if let foreign = firstForeignMarkup(in: content) {
            return .literalDespiteMarkup(reason: "contains \(foreign), which BEC's formatter does not write")
        }
        let nodes: [Node]
        do throws(MalformedHTML) {
            nodes = try tree(of: content)
        } catch {
            return .literalDespiteMarkup(
                reason: "is not HTML as BEC's formatter writes it (\(displayable(error.description, limit: 2 * echoedValueLimit)))")
        }
        guard nodes.count == 1, case .element(.paragraph, let children) = nodes[0],
            let reading = chain(children, style: .plain)
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
            guard let tag = tags.first(where: { rest.hasPrefix($0.0) }) else {
                let end = rest.firstIndex(of: ">").map { rest.index(after: $0) } ?? rest.endIndex
                return "“" + displayable(rest[..<end], limit: 40) + "”"
            }
            rest = rest.dropFirst(tag.0.count)
        }
        return nil
    }

    /// The elements and text of `content`, whose every `<` begins one of the formatter's tags.
    private static func tree(of content: String) throws(MalformedHTML) -> [Node] {
        var open: [(element: Element, children: [Node])] = []
        var top: [Node] = []
        var text = ""
        var line = 1
        var lineStart = content.unicodeScalars.startIndex
        var index = lineStart
        let scalars = content.unicodeScalars

        func malformed(_ problem: String) -> MalformedHTML {
            MalformedHTML(line: line, column: scalars.distance(from: lineStart, to: index) + 1, problem: problem)
        }
        func append(_ node: Node) {
            if open.isEmpty { top.append(node) } else { open[open.count - 1].children.append(node) }
        }
        func endText() {
            if !text.isEmpty { append(.text(text)) }
            text = ""
        }

        while index < scalars.endIndex {
            let scalar = scalars[index]
            switch scalar {
            case "<":
                guard let match = tags.first(where: { scalars[index...].starts(with: $0.0.unicodeScalars) }) else {
                    throw malformed("markup that BEC's formatter does not write")
                }
                let (spelling, tag) = match
                endText()
                switch tag {
                case .opening(let element):
                    open.append((element, []))
                case .closing(let name):
                    guard let innermost = open.last else { throw malformed("</\(name)> closes no element") }
                    guard innermost.element.name == name else {
                        throw malformed("</\(name)> where </\(innermost.element.name)> belongs")
                    }
                    open.removeLast()
                    append(.element(innermost.element, innermost.children))
                }
                index = scalars.index(index, offsetBy: spelling.unicodeScalars.count)
            case "&":
                let (character, length) = try reference(at: index, in: scalars, malformed: malformed)
                text.append(character)
                index = scalars.index(index, offsetBy: length)
            default:
                guard isXMLCharacter(scalar) else {
                    throw malformed("the character \(displayable(String(scalar))), which HTML does not allow")
                }
                text.unicodeScalars.append(scalar)
                index = scalars.index(after: index)
                if scalar == "\n" {
                    line += 1
                    lineStart = index
                }
            }
        }
        if let innermost = open.last {
            throw malformed("<\(innermost.element.name)> is not closed")
        }
        endText()
        return top
    }

    /// The text that the `&` at `start` stands for, and how many characters (scalars) it takes: a character
    /// reference, or, for an unknown name, `&` itself (the name and `;` follow as text).
    private static func reference(
        at start: String.UnicodeScalarView.Index, in scalars: String.UnicodeScalarView,
        malformed: (String) -> MalformedHTML
    ) throws(MalformedHTML) -> (String, Int) {
        let rest = scalars[scalars.index(after: start)...]
        if rest.first == "#" {
            let hexadecimal = rest.dropFirst().first == "x" || rest.dropFirst().first == "X"
            let prefixLength = hexadecimal ? 2 : 1
            let digits = rest.dropFirst(prefixLength).prefix { hexadecimal ? $0.properties.isASCIIHexDigit : ("0"..."9").contains($0) }
            guard !digits.isEmpty, rest.dropFirst(prefixLength + digits.count).first == ";" else {
                throw malformed("a numeric character reference that does not end with “;”")
            }
            let significant = digits.drop { $0 == "0" }
            guard significant.count <= 8, let value = UInt32(String(Substring(digits)), radix: hexadecimal ? 16 : 10),
                let scalar = Unicode.Scalar(value), isXMLCharacter(scalar)
            else {
                throw malformed("a numeric character reference to a character HTML does not allow")
            }
            return (String(Character(scalar)), 1 + prefixLength + digits.count + 1)
        }
        guard let first = rest.first, first.properties.isAlphabetic || first == "_" || first == ":" else {
            throw malformed("“&” that begins no character reference (write “&amp;”)")
        }
        let name = rest.prefix { $0.properties.isAlphabetic || $0.properties.numericType != nil || ".-_:".unicodeScalars.contains($0) }
        guard rest.dropFirst(name.count).first == ";" else {
            throw malformed("a character reference that does not end with “;”")
        }
        guard let character = HTMLNamedCharacterReferences.characters[Substring(name)] else {
            return ("&", 1)
        }
        return (String(character), 1 + name.count + 1)
    }

    /// Whether XML, and so libxml2's HTML parser, allows `scalar` in a document.
    private static func isXMLCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    /// The text and style of `nodes`, the content of the paragraph or of one of the chain's elements.
    private static func chain(_ nodes: [Node], style: TextStyle) -> Reading? {
        switch nodes.count {
        case 0:
            return .formatted("", style)
        case 1:
            switch nodes[0] {
            case .text(let text):
                return .formatted(text, style)
            case .element(let element, let children):
                var inner = style
                switch element {
                case .emphasis where !style.italic: inner.italic = true
                case .strong where !style.bold: inner.bold = true
                case .mark(let highlight) where style.color == nil: inner.color = highlight.color
                default: return nil
                }
                return chain(children, style: inner)
            }
        default:
            return nil
        }
    }
}
