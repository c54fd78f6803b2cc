import CLibXML2

extension LibXML2 {
    /// The node's name (an element's tag, lowercase from the HTML parser), or the empty string when it has none.
    static func name(of node: xmlNodePtr) -> String {
        node.pointee.name.map { String(cString: $0) } ?? ""
    }

    /// The attribute's value: the concatenated text of its children, which the parser has already decoded.
    static func value(of attribute: xmlAttrPtr) -> String {
        var value = ""
        var child = attribute.pointee.children
        while let text = child {
            if let content = text.pointee.content {
                value += String(cString: content)
            }
            child = text.pointee.next
        }
        return value
    }

    /// Whether `node` is the `html` root or its `body`, which ``FragmentWrapper/html`` (or libxml2, around stray
    /// content after the wrapper's end) put there rather than the fragment.
    static func isWrapper(_ node: xmlNodePtr) -> Bool {
        guard let parent = node.pointee.parent else { return false }
        switch name(of: node) {
        case "html":
            return parent.pointee.type == XML_HTML_DOCUMENT_NODE
        case "body":
            return name(of: parent) == "html" && isWrapper(parent)
        default:
            return false
        }
    }
}
