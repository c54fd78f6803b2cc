extension Character {
    /// ASCII whitespace as HTML defines it: space, tab, line feed, form feed, carriage return.
    var isHTMLWhitespace: Bool {
        self == " " || self == "\t" || self == "\n" || self == "\u{0C}" || self == "\r" || self == "\r\n"
    }
}
