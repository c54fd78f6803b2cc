extension HTMLAllowList {
    /// What values an allowed attribute may take.
    public enum AttributeRule: Hashable, Sendable {
        /// Any value.
        case anyValue
        /// Only the empty string (SciLog fills `img` `src` itself).
        case empty
        /// Exactly one of these values.
        case oneOf(Set<String>)
        /// A class list matching at least one of these patterns.
        case classList(Set<ClassPattern>)
        /// An absolute URL with one of these lowercase schemes; relative URLs are rejected.
        case url(schemes: Set<String>)
    }

    /// A pattern for a whole `class` attribute value, split into classes at ASCII whitespace.
    public enum ClassPattern: Hashable, Sendable {
        /// Exactly these classes, in any order, each once.
        case exactly(Set<String>)
        /// One class made of the prefix followed by at least one ASCII letter, digit, `-`, `_`, `+` or `#`
        /// (for example `language-python` for the prefix `language-`).
        case prefixed(String)
    }
}

extension HTMLAllowList.AttributeRule {
    /// The finding kind and message when `value` breaks this rule for `attribute` on `element`, or `nil`.
    func violation(
        of value: String, attribute: String, element: String
    ) -> (kind: ValidationFinding.Kind, message: String)? {
        switch self {
        case .anyValue:
            return nil
        case .empty:
            guard !value.isEmpty else { return nil }
            return (
                .attributeValueNotAllowed,
                "attribute \(attribute) on <\(element)> must be empty, found \(quoted(value))"
            )
        case .oneOf(let allowed):
            guard !allowed.contains(value) else { return nil }
            return (
                .attributeValueNotAllowed,
                "attribute \(attribute)=\(quoted(value)) is not allowed on <\(element)>; "
                    + "expected one of: \(listed(allowed))"
            )
        case .classList(let patterns):
            let classes = value.split(whereSeparator: \.isHTMLWhitespace).map(String.init)
            guard !patterns.contains(where: { $0.matches(classes) }) else { return nil }
            return (.classNotAllowed, "class \(quoted(value)) is not allowed on <\(element)>")
        case .url(let schemes):
            switch value.urlScheme {
            case .some(let scheme) where schemes.contains(scheme):
                return nil
            case .some(let scheme):
                return (
                    .urlSchemeNotAllowed,
                    "URL scheme \(scheme): is not allowed in \(attribute) on <\(element)>; allowed: \(listed(schemes))"
                )
            case .none:
                return (
                    .urlSchemeNotAllowed,
                    "relative URL \(quoted(value)) is not allowed in \(attribute) on <\(element)>; "
                        + "allowed schemes: \(listed(schemes))"
                )
            }
        }
    }

    private func quoted(_ value: String) -> String {
        let limit = 64
        let shown = value.count > limit ? value.prefix(limit) + "…" : value
        return shown.debugDescription
    }

    private func listed(_ values: Set<String>) -> String {
        values.sorted().joined(separator: ", ")
    }
}

extension HTMLAllowList.ClassPattern {
    /// Whether the classes of one `class` attribute, in attribute order, match this pattern.
    func matches(_ classes: [String]) -> Bool {
        switch self {
        case .exactly(let expected):
            return classes.count == expected.count && Set(classes) == expected
        case .prefixed(let prefix):
            guard classes.count == 1, let only = classes.first, only.hasPrefix(prefix) else { return false }
            let suffix = only.unicodeScalars.dropFirst(prefix.unicodeScalars.count)
            return !suffix.isEmpty && suffix.allSatisfy { scalar in
                scalar.isASCIILetter || scalar.isASCIIDigit || "-_+#".unicodeScalars.contains(scalar)
            }
        }
    }
}
