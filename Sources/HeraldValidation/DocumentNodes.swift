import CLibXML2

/// Every node of a libxml2 document in document order: each node, then its descendants (elements only have
/// them), then its following siblings. Attributes are not nodes here.
///
/// The walk follows libxml2's `children`, `next` and `parent` links without a stack, so deeply nested input
/// cannot exhaust it. The document must outlive the iteration.
struct DocumentNodes: Sequence, IteratorProtocol {
    private var upcoming: xmlNodePtr?

    /// The nodes of `document`.
    init(_ document: xmlDocPtr) {
        upcoming = document.pointee.children
    }

    mutating func next() -> xmlNodePtr? {
        guard let node = upcoming else { return nil }
        if node.pointee.type == XML_ELEMENT_NODE, let child = node.pointee.children {
            upcoming = child
        } else {
            var current = node
            while current.pointee.next == nil {
                guard let parent = current.pointee.parent, parent.pointee.type == XML_ELEMENT_NODE else {
                    upcoming = nil
                    return node
                }
                current = parent
            }
            upcoming = current.pointee.next
        }
        return node
    }
}
