extension String {
    /// The lowercase scheme of this attribute value read as a URL the way browsers read it, or `nil` for a
    /// relative URL.
    ///
    /// Like the WHATWG URL parser, this first trims leading and trailing C0 controls and spaces and removes every
    /// tab, line feed and carriage return, so `"  JaVa\tScRiPt:alert(1)"` has the scheme `javascript`.
    var urlScheme: String? {
        let isC0ControlOrSpace: (Unicode.Scalar) -> Bool = { $0.value <= 0x20 }
        let scalars = unicodeScalars
            .drop(while: isC0ControlOrSpace)
            .reversed().drop(while: isC0ControlOrSpace).reversed()
            .filter { $0 != "\t" && $0 != "\n" && $0 != "\r" }
        guard let colon = scalars.firstIndex(of: ":"), colon > 0 else { return nil }
        let scheme = scalars[..<colon]
        guard scheme[0].isASCIILetter, scheme.allSatisfy({ scalar in
            scalar.isASCIILetter || scalar.isASCIIDigit || scalar == "+" || scalar == "-" || scalar == "."
        }) else { return nil }
        return String(String.UnicodeScalarView(scheme)).lowercased()
    }
}
