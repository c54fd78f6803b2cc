/// Checks that an HTML fragment is well-formed XML, parses cleanly as HTML, and contains only allowed markup.
///
/// A validator is a value with no shared state: every call to ``validate(_:)`` uses its own libxml2 parser
/// contexts and collects their errors itself, so validators can be used from any number of tasks at once.
public struct HTMLValidator: Sendable {
    /// HTML5 elements that libxml2 2.9's HTML4 parser reports as "Tag … invalid"; that error alone is not a finding
    /// for them (whether they are allowed is up to the allow-list).
    static let html5TagsUnknownToLibXML2: Set<String> = ["mark", "figure", "figcaption"]

    /// The elements, attributes and attribute values a fragment may contain.
    public var allowList: HTMLAllowList

    /// Creates a validator for `allowList`, by default what a SciLog logbook entry may contain.
    public init(allowList: HTMLAllowList = .scilog) {
        self.allowList = allowList
    }

    /// Every problem in `html`, an HTML fragment such as SciLog's `textcontent`; empty when it is clean.
    ///
    /// Three checks run, and their findings come in this order, each in document order:
    /// 1. XML well-formedness (``ValidationFinding/Kind/notWellFormedXML``): libxml2's XML parser, without network
    ///    access, DTD loading or entity substitution, so named entities such as `&nbsp;` are errors.
    /// 2. HTML parsing (``ValidationFinding/Kind/htmlParseError``): every error of libxml2's HTML parser except its
    ///    "unknown tag" error for `mark`, `figure` and `figcaption`.
    /// 3. The allow-list: disallowed elements, attributes, attribute values, class lists, URL schemes, comments,
    ///    processing instructions and other nodes in the parsed HTML tree, then CDATA sections in the XML tree
    ///    (libxml2's HTML parser silently unwraps them).
    ///
    /// Lines and columns refer to `html` itself.
    public func validate(_ html: String) -> [ValidationFinding] {
        let walk = AllowListWalk(allowList: allowList)
        let xml = LibXML2.parse(html, as: .xml, inspecting: walk.cdataSectionFindings(inXMLDocument:))
        let parsedHTML = LibXML2.parse(html, as: .html, inspecting: walk.findings(in:))
        let xmlFindings = xml.diagnostics.map { diagnostic in
            Self.finding(.notWellFormedXML, "not well-formed XML: \(diagnostic.message)", at: diagnostic)
        }
        let htmlFindings = Self.htmlParseFindings(in: parsedHTML.diagnostics)
        return xmlFindings + htmlFindings + (parsedHTML.inspection ?? []) + (xml.inspection ?? [])
    }

    /// The HTML parser's `diagnostics` as findings, without the tolerated "unknown tag" errors.
    static func htmlParseFindings(in diagnostics: [ParserDiagnostic]) -> [ValidationFinding] {
        diagnostics
            .filter { !$0.isUnknownTag(in: html5TagsUnknownToLibXML2) }
            .map { diagnostic in finding(.htmlParseError, "HTML parse error: \(diagnostic.message)", at: diagnostic) }
    }

    private static func finding(
        _ kind: ValidationFinding.Kind, _ message: String, at diagnostic: ParserDiagnostic
    ) -> ValidationFinding {
        ValidationFinding(kind: kind, line: diagnostic.line, column: diagnostic.column, message: message)
    }
}
