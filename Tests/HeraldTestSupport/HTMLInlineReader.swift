import Herald
import HeraldValidation

/// Reads the inline HTML both HTML services write, as libxml2 parsed it (``HTMLNode``): text, `br`, `strong`, `em`,
/// `s`, `code`, `a href` and one element that carries a color, which each service writes its own way (SciLog a
/// `mark class`, e-mail a `span style`).
enum HTMLInlineReader {
    /// The spans of inline content, or `nil` if it holds anything but text, `br`, the styling elements, a link whose
    /// `href` `isLink` accepts and an element whose color `color` names (`color` returns `nil` for any other).
    static func spans(
        _ nodes: [HTMLNode], isLink: (String) -> Bool = { _ in true }, color: (HTMLElement) -> TextColor?
    ) -> [ReadSpan]? {
        var spans: [ReadSpan] = []
        func walk(_ nodes: [HTMLNode], _ style: ReadSpan) -> Bool {
            for node in nodes {
                switch node {
                case .text(let text):
                    var span = style
                    span.text = text
                    spans.append(span)
                case .element(let element):
                    var inner = style
                    switch (element.name, element.attributes) {
                    case ("br", [:]):
                        guard element.children.isEmpty else { return false }
                        spans.append(ReadSpan(text: "\n", isLineBreak: true))
                        continue
                    case ("strong", [:]): inner.bold = true
                    case ("em", [:]): inner.italic = true
                    case ("s", [:]): inner.strikethrough = true
                    case ("code", [:]): inner.code = true
                    case ("a", let attributes) where attributes.count == 1 && style.link == nil:
                        guard let href = attributes["href"], isLink(href) else { return false }
                        inner.link = href
                    default:
                        guard style.color == nil, let shown = color(element) else { return false }
                        inner.color = shown
                    }
                    guard walk(element.children, inner) else { return false }
                case .comment, .other:
                    return false
                }
            }
            return true
        }
        return walk(nodes, ReadSpan(text: "")) ? ReadSpan.normalized(spans) : nil
    }

    /// The text of a table cell, a `br` read as a line feed; `nil` if it holds anything else, or a line ending in
    /// its text, which HTML shows as a space.
    static func cellText(_ nodes: [HTMLNode]) -> String? {
        var text = ""
        for node in nodes {
            switch node {
            case .text(let piece) where !piece.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" }): text += piece
            case .element(let element) where element.name == "br" && element.attributes.isEmpty && element.children.isEmpty:
                text += "\n"
            default: return nil
            }
        }
        return text
    }

    /// The text nodes among `nodes`, joined.
    static func text(of nodes: [HTMLNode]) -> String {
        nodes.map { if case .text(let text) = $0 { text } else { "" } }.joined()
    }
}
