extension String {
    /// The text escaped for HTML (and XML): `&`, `<` and `>` as `&amp;`, `&lt;` and `&gt;`, and with `quotes`
    /// also `"` and `'` as `&quot;` and `&#39;`, which an attribute value needs. No other character changes, so a
    /// parser gives the text back exactly.
    package func htmlEscaped(quotes: Bool = true) -> String {
        guard utf8.contains(where: { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">")
            || (quotes && ($0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'"))) })
        else { return self }
        var escaped = ""
        escaped.reserveCapacity(utf8.count + 16)
        for scalar in unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"" where quotes: escaped += "&quot;"
            case "'" where quotes: escaped += "&#39;"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}
