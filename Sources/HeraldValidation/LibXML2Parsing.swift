import CLibXML2

/// Runs libxml2's XML and HTML parsers on wrapped fragments, collecting each call's diagnostics in that call.
///
/// libxml2 2.9 has no per-context error API and its `xmlSetStructuredErrorFunc` / `xmlSetGenericErrorFunc` handlers
/// are process-wide. Every context made here gets its own SAX `serror` callback instead, which appends to the array
/// that the context's `_private` field points at for the duration of one parse. Nothing reaches libxml2's default
/// handler, which would print to standard error.
enum LibXML2 {
    /// One of libxml2's two parsers, with the options HeraldValidation uses.
    enum Parser {
        /// The XML parser with `XML_PARSE_NONET`, without DTD loading or entity substitution, so the only
        /// references that parse are numeric character references and the five predefined XML entities.
        case xml
        /// The HTML parser with `HTML_PARSE_NONET` and `HTML_PARSE_NODEFDTD`. `HTML_PARSE_NOIMPLIED` is not needed:
        /// the wrapper provides `html` and `body`.
        case html

        var wrapper: FragmentWrapper {
            switch self {
            case .xml: .xml
            case .html: .html
            }
        }
    }

    /// Runs `xmlInitParser()` once, before this module creates its first parser context.
    ///
    /// libxml2 2.9 sets up process-wide tables (dictionary seeds, encoding handlers) there, and creating contexts on
    /// several threads before that is a race. A `static let` initializer runs exactly once under `swift_once`, and
    /// concurrent first readers wait for it, so every thread sees an initialized libxml2. (`xmlInitParser` is itself
    /// idempotent; calling it again elsewhere in the process is harmless.)
    private static let initialization: Void = xmlInitParser()

    /// Parses `fragment` (wrapped as `parser` needs) and returns libxml2's diagnostics, positioned in the fragment,
    /// and what `inspect` makes of the document (`nil` when libxml2 built none, as for XML that is not well-formed).
    ///
    /// The document is freed when `inspect` returns; nothing may keep pointers into it.
    static func parse<Inspection>(
        _ fragment: String,
        as parser: Parser,
        inspecting inspect: (xmlDocPtr) -> Inspection
    ) -> (diagnostics: [ParserDiagnostic], inspection: Inspection?) {
        _ = initialization
        let wrapper = parser.wrapper
        let document = wrapper.wrapping(fragment)
        guard let count = Int32(exactly: document.utf8.count) else {
            let tooLarge = "fragment of \(fragment.utf8.count) bytes exceeds libxml2's 2 GiB input limit"
            return ([ParserDiagnostic(failure: tooLarge)], nil)
        }
        let madeContext: xmlParserCtxtPtr? = switch parser {
        case .xml: xmlNewParserCtxt()
        case .html: htmlNewParserCtxt()
        }
        guard let context = madeContext else {
            return ([ParserDiagnostic(failure: "libxml2 could not allocate a parser context")], nil)
        }
        defer {
            switch parser {
            case .xml: xmlFreeParserCtxt(context)
            case .html: htmlFreeParserCtxt(context)
            }
        }
        routeErrorsToPrivateSink(of: context)

        var diagnostics: [ParserDiagnostic] = []
        let inspection = withUnsafeMutablePointer(to: &diagnostics) { sink in
            context.pointee._private = UnsafeMutableRawPointer(sink)
            defer { context.pointee._private = nil }
            let parsed = document.withCString { bytes in
                switch parser {
                case .xml:
                    xmlCtxtReadMemory(context, bytes, count, nil, "UTF-8", Int32(XML_PARSE_NONET.rawValue))
                case .html:
                    htmlCtxtReadMemory(
                        context, bytes, count, nil, "UTF-8",
                        Int32(HTML_PARSE_NONET.rawValue | HTML_PARSE_NODEFDTD.rawValue)
                    )
                }
            }
            return parsed.map { parsed in
                defer { xmlFreeDoc(parsed) }
                return inspect(parsed)
            }
        }
        return (diagnostics.map(wrapper.fragmentPosition(of:)), inspection)
    }

    /// Installs the structured-error callback on the context's own SAX handler.
    ///
    /// Each context owns a heap copy of its SAX handler, so this changes no other context. libxml2 2.9 sends a
    /// parser error to `sax->serror` (passing `ctxt->userData`, which is the context itself) only when the handler
    /// is marked `XML_SAX2_MAGIC`; the HTML parser's handler starts as a SAX1 one, whose errors would otherwise go
    /// to the process-wide generic handler. The SAX2-only element callbacks stay `NULL`, so the HTML parser keeps
    /// building its tree with the SAX1 ones.
    private static func routeErrorsToPrivateSink(of context: xmlParserCtxtPtr) {
        context.pointee.sax.pointee.initialized = UInt32(XML_SAX2_MAGIC)
        context.pointee.sax.pointee.serror = { userData, error in
            guard let error,
                  let context = userData?.assumingMemoryBound(to: xmlParserCtxt.self),
                  let sink = context.pointee._private?.assumingMemoryBound(to: [ParserDiagnostic].self)
            else { return }
            sink.pointee.append(ParserDiagnostic(error.pointee))
        }
    }
}
