import HeraldValidation

extension ReadSpan {
    /// The spans of inline HTML as libxml2 parsed it (``HTMLFragment``), normalized: each text with the styles of
    /// the elements around it, and with `lineBreaks` each empty `br` a line break. `style` reads one element into
    /// the style of its content and returns `false` for an element outside the markup a reader expects; that, a
    /// comment or any other node makes the reading `nil`.
    public static func reading(
        _ nodes: [HTMLNode], lineBreaks: Bool, style: (HTMLElement, inout ReadSpan) -> Bool
    ) -> [ReadSpan]? {
        var spans: [ReadSpan] = []
        func walk(_ nodes: [HTMLNode], _ outer: ReadSpan) -> Bool {
            for node in nodes {
                switch node {
                case .text(let text):
                    var span = outer
                    span.text = text
                    spans.append(span)
                case .element(let element) where lineBreaks && element.name == "br":
                    guard element.attributes.isEmpty, element.children.isEmpty else { return false }
                    spans.append(ReadSpan(text: "\n", isLineBreak: true))
                case .element(let element):
                    var inner = outer
                    guard style(element, &inner), walk(element.children, inner) else { return false }
                case .comment, .other:
                    return false
                }
            }
            return true
        }
        return walk(nodes, ReadSpan(text: "")) ? normalized(spans) : nil
    }
}
