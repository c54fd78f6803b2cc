import CLibXML2

/// One error or warning that libxml2's XML or HTML parser reported.
struct ParserDiagnostic: Sendable {
    /// The 1-based line, or 0 when unknown.
    var line: Int
    /// The 1-based column in Unicode scalars, or 0 when unknown.
    var column: Int
    /// libxml2's error code (an `xmlParserErrors` value).
    var code: Int32
    /// The name libxml2 blamed (`xmlError.str1`), such as the tag of an `XML_HTML_UNKNOWN_TAG` error.
    var subject: String?
    /// libxml2's message, without its trailing newline.
    var message: String

    /// Copies what HeraldValidation needs out of a libxml2 error, which is only valid during its callback.
    init(_ error: xmlError) {
        line = max(Int(error.line), 0)
        column = max(Int(error.int2), 0)
        code = error.code
        subject = error.str1.map { String(cString: $0) }
        var message = error.message.map { String(cString: $0) } ?? "unknown libxml2 error"
        while message.last?.isWhitespace == true {
            message.removeLast()
        }
        self.message = message
    }

    /// A diagnostic for a fragment that could not be handed to libxml2 at all.
    init(failure message: String) {
        line = 0
        column = 0
        code = Int32(XML_ERR_INTERNAL_ERROR.rawValue)
        subject = nil
        self.message = message
    }

    /// Whether this is libxml2's HTML4 "Tag … invalid" error for one of `tags`.
    func isUnknownTag(in tags: Set<String>) -> Bool {
        code == Int32(XML_HTML_UNKNOWN_TAG.rawValue) && subject.map(tags.contains) == true
    }
}
