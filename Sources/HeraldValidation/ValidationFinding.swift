/// One problem found in an HTML fragment, located by line and column in that fragment.
public struct ValidationFinding: Hashable, Sendable, CustomStringConvertible {
    /// The kind of problem a finding reports.
    public enum Kind: Hashable, Sendable, CaseIterable {
        /// libxml2's XML parser rejected the fragment (unclosed or mismatched tags, named entities other than the
        /// five XML ones, bad characters, ...).
        case notWellFormedXML
        /// libxml2's HTML parser reported an error other than the tolerated unknown HTML5 tags.
        case htmlParseError
        /// An element outside the allow-list.
        case elementNotAllowed
        /// An attribute that the allow-list does not permit on its element.
        case attributeNotAllowed
        /// A permitted attribute with a value its rule rejects (for example a non-empty `img` `src`).
        case attributeValueNotAllowed
        /// A URL attribute whose scheme is not allowed, or a relative URL.
        case urlSchemeNotAllowed
        /// A `class` attribute whose class list the allow-list does not permit on its element.
        case classNotAllowed
        /// An HTML comment.
        case commentNotAllowed
        /// A processing instruction (`<?name ...?>`).
        case processingInstructionNotAllowed
        /// Any other node that is neither an element, text, comment nor processing instruction (such as a DOCTYPE).
        case nodeNotAllowed
    }

    /// What is wrong.
    public let kind: Kind
    /// The 1-based line in the validated fragment, or 0 when libxml2 does not know it.
    public let line: Int
    /// The 1-based column, counted in Unicode scalars, or 0 when libxml2 does not know it (allow-list findings).
    public let column: Int
    /// A human-readable explanation, without the position.
    public let message: String

    /// Creates a finding.
    public init(kind: Kind, line: Int, column: Int, message: String) {
        self.kind = kind
        self.line = line
        self.column = column
        self.message = message
    }

    /// `line:column: message`, or `line: message` when the column is unknown.
    public var description: String {
        column > 0 ? "\(line):\(column): \(message)" : "\(line): \(message)"
    }
}
