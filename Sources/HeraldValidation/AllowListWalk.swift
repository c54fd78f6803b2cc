import CLibXML2

/// The allow-list check: a walk in document order over the tree libxml2's HTML parser built for a fragment wrapped
/// in `<html><body>`, reporting every node, attribute and attribute value the allow-list does not permit.
///
/// libxml2 2.9 records a line for each element, comment and processing instruction but no column, so findings
/// here carry column 0; attribute findings carry their element's line, and CDATA sections the line libxml2
/// derives from their neighbours.
struct AllowListWalk {
    /// The markup the fragment may contain.
    let allowList: HTMLAllowList

    /// Every finding in `document`, in document order.
    func findings(in document: xmlDocPtr) -> [ValidationFinding] {
        var findings: [ValidationFinding] = []
        for node in DocumentNodes(document) {
            inspect(node, into: &findings)
        }
        return findings
    }

    /// A finding for every CDATA section in `xmlDocument`, the fragment as libxml2's XML parser read it.
    ///
    /// libxml2 2.9's HTML parser silently drops `<![CDATA[` and `]]>` and parses what lies between as markup, while
    /// browsers read a bogus comment there; neither reading may be trusted, so no CDATA section is allowed.
    func cdataSectionFindings(inXMLDocument xmlDocument: xmlDocPtr) -> [ValidationFinding] {
        DocumentNodes(xmlDocument)
            .filter { $0.pointee.type == XML_CDATA_SECTION_NODE }
            .map { section in
                let line = max(Int(xmlGetLineNo(section)), 0)
                let message = "CDATA sections are not allowed"
                return ValidationFinding(kind: .nodeNotAllowed, line: line, column: 0, message: message)
            }
    }

    private func inspect(_ node: xmlNodePtr, into findings: inout [ValidationFinding]) {
        let line = max(Int(xmlGetLineNo(node)), 0)
        func report(_ kind: ValidationFinding.Kind, _ message: String) {
            findings.append(ValidationFinding(kind: kind, line: line, column: 0, message: message))
        }
        switch node.pointee.type {
        case XML_ELEMENT_NODE:
            guard !LibXML2.isWrapper(node) else { return }
            let element = LibXML2.name(of: node)
            guard let rules = allowList.elements[element] else {
                return report(.elementNotAllowed, "element <\(element)> is not allowed")
            }
            var attribute = node.pointee.properties
            while let current = attribute {
                let name = String(cString: current.pointee.name)
                if let rule = rules[name] {
                    if let violation = rule.violation(of: LibXML2.value(of: current), attribute: name, element: element) {
                        report(violation.kind, violation.message)
                    }
                } else {
                    report(.attributeNotAllowed, "attribute \(name) is not allowed on <\(element)>")
                }
                attribute = current.pointee.next
            }
        case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
            return
        case XML_COMMENT_NODE:
            report(.commentNotAllowed, "comments are not allowed")
        case XML_PI_NODE:
            report(.processingInstructionNotAllowed, "processing instruction <?\(LibXML2.name(of: node))?> is not allowed")
        case XML_DTD_NODE:
            report(.nodeNotAllowed, "DOCTYPE declaration is not allowed")
        default:
            report(.nodeNotAllowed, "node of libxml2 type \(node.pointee.type.rawValue) is not allowed")
        }
    }
}
