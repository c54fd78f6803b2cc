import CLibXML2

/// An HTML fragment as libxml2's HTML parser reads it: the tree it builds, and the errors it reports.
///
/// This is the reading a browser-like consumer makes of markup such as SciLog's `textcontent` or the HTML that
/// BEC's notification formatter writes: character references are decoded, element and attribute names are
/// lowercase. Each parse uses its own parser context (as ``HTMLValidator`` does), so fragments can be parsed from
/// any number of tasks at once. libxml2 stops nesting at 256 levels, which bounds the depth of the tree.
public struct HTMLFragment: Hashable, Sendable {
    /// The fragment's top-level nodes, in document order.
    public let nodes: [HTMLNode]
    /// The HTML parser's errors (``ValidationFinding/Kind/htmlParseError``), positioned in the fragment, except
    /// its "unknown tag" error for the HTML5 elements `mark`, `figure` and `figcaption`.
    public let parseErrors: [ValidationFinding]

    /// Parses `html`, a fragment of HTML body content.
    public init(parsing html: String) {
        let parsed = LibXML2.parse(html, as: .html) { document in
            HTMLNode.fragmentNodes(from: document.pointee.children)
        }
        nodes = parsed.inspection ?? []
        parseErrors = HTMLValidator.htmlParseFindings(in: parsed.diagnostics)
    }
}

/// A node of an ``HTMLFragment``.
public enum HTMLNode: Hashable, Sendable {
    /// An element.
    case element(HTMLElement)
    /// Text, with character references decoded.
    case text(String)
    /// A comment, with its text.
    case comment(String)
    /// Any other node (a processing instruction, a DOCTYPE, ...), named by libxml2's node type number.
    case other(type: Int)
}

/// An element of an ``HTMLFragment``.
public struct HTMLElement: Hashable, Sendable {
    /// The tag name, lowercase.
    public let name: String
    /// The attributes by lowercase name, with character references in their values decoded.
    public let attributes: [String: String]
    /// The child nodes, in document order.
    public let children: [HTMLNode]

    /// Creates an element.
    public init(name: String, attributes: [String: String] = [:], children: [HTMLNode] = []) {
        self.name = name
        self.attributes = attributes
        self.children = children
    }
}

extension HTMLNode {
    /// The fragment's nodes among `first` and its following siblings: the wrapper's `html` and `body` elements
    /// are replaced by their children.
    fileprivate static func fragmentNodes(from first: xmlNodePtr?) -> [HTMLNode] {
        var nodes: [HTMLNode] = []
        var child = first
        while let node = child {
            if node.pointee.type == XML_ELEMENT_NODE, LibXML2.isWrapper(node) {
                nodes += fragmentNodes(from: node.pointee.children)
            } else {
                nodes.append(HTMLNode(node))
            }
            child = node.pointee.next
        }
        return nodes
    }

    /// The node and its subtree. The recursion is bounded by libxml2's nesting limit.
    private init(_ node: xmlNodePtr) {
        switch node.pointee.type {
        case XML_ELEMENT_NODE:
            var attributes: [String: String] = [:]
            var attribute = node.pointee.properties
            while let current = attribute {
                attributes[String(cString: current.pointee.name)] = LibXML2.value(of: current)
                attribute = current.pointee.next
            }
            var children: [HTMLNode] = []
            var child = node.pointee.children
            while let current = child {
                children.append(HTMLNode(current))
                child = current.pointee.next
            }
            self = .element(HTMLElement(name: LibXML2.name(of: node), attributes: attributes, children: children))
        case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
            self = .text(node.pointee.content.map { String(cString: $0) } ?? "")
        case XML_COMMENT_NODE:
            self = .comment(node.pointee.content.map { String(cString: $0) } ?? "")
        default:
            self = .other(type: Int(node.pointee.type.rawValue))
        }
    }
}
