extension Unicode.Scalar {
    /// Whether this is an ASCII letter, `A`-`Z` or `a`-`z`.
    var isASCIILetter: Bool {
        ("a"..."z").contains(self) || ("A"..."Z").contains(self)
    }

    /// Whether this is an ASCII digit, `0`-`9`.
    var isASCIIDigit: Bool {
        ("0"..."9").contains(self)
    }
}
