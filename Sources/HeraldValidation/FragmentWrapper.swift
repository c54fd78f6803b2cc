/// How a fragment is embedded in a complete document for parsing, and how positions map back to the fragment.
///
/// The prefix holds no line break, so lines in the document are lines in the fragment; only columns on the first
/// line shift by the prefix's width.
struct FragmentWrapper: Sendable {
    /// Markup placed before the fragment.
    let prefix: String
    /// Markup placed after the fragment.
    let suffix: String

    /// A single root element, which XML requires.
    static let xml = FragmentWrapper(prefix: "<herald-fragment>", suffix: "</herald-fragment>")

    /// Explicit `html` and `body` elements. libxml2 2.9's HTML parser with `HTML_PARSE_NOIMPLIED` nests every
    /// top-level element after the first inside it, and without a `body` it wraps top-level text in an implied `p`;
    /// inside an explicit `body` the fragment's tree is parsed as written.
    static let html = FragmentWrapper(prefix: "<html><body>", suffix: "</body></html>")

    /// The complete document to parse.
    func wrapping(_ fragment: String) -> String {
        prefix + fragment + suffix
    }

    /// `diagnostic` with its column moved from the document to the fragment (0 when it points into the prefix).
    func fragmentPosition(of diagnostic: ParserDiagnostic) -> ParserDiagnostic {
        guard diagnostic.line == 1 else { return diagnostic }
        let width = prefix.unicodeScalars.count
        var moved = diagnostic
        moved.column = diagnostic.column > width ? diagnostic.column - width : 0
        return moved
    }
}
