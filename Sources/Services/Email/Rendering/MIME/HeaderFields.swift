import Foundation

/// Header fields as RFC 5322 and MIME (RFC 2045, 2047, 2231) write them: ASCII only, folded at spaces into lines
/// of at most 78 characters, any other text as encoded-words or extended parameters.
///
/// Hand-written, like the rest of the MIME writer: no Swift package in reach writes MIME, and the subset needed here
/// (one encoding of each kind, UTF-8 only) is small and pinned by the golden corpus.
struct HeaderFields {
    /// The fields written so far, each line ending in CRLF.
    private(set) var bytes: [UInt8] = []

    /// The longest line the writer makes when a field can be folded (RFC 5322 §2.1.1 recommends 78).
    static let foldedLineLength = 78
    /// The most bytes of UTF-8 in one encoded-word: `=?UTF-8?B?` and `?=` around 60 characters of base64, so that the
    /// word has at most 72 characters (RFC 2047 §2 allows 75) and fits a folded line with its leading space.
    static let encodedWordBytes = 45

    /// Appends `name: ` followed by `tokens`, separated by single spaces, starting a new line (CRLF and a space)
    /// before a token that would pass ``foldedLineLength``. A token is never split; no token is longer than a line
    /// may be (998 characters).
    mutating func append(_ name: String, _ tokens: [String]) {
        var line = name + ":"
        for token in tokens {
            if line.utf8.count + 1 + token.utf8.count > Self.foldedLineLength, line.utf8.count > name.utf8.count + 1 {
                bytes += Array(line.utf8) + [13, 10]
                line = ""
            }
            line += " " + token
        }
        bytes += Array(line.utf8) + [13, 10]
    }

    /// The words of an unstructured field (`Subject`): the text as it is when it is printable ASCII words between
    /// single spaces that no reader could take for anything else; otherwise encoded-words (RFC 2047, `B` encoding),
    /// which also keep leading, trailing and repeated white space.
    static func unstructured(_ text: String) -> [String] {
        let words = text.split(separator: " ", omittingEmptySubsequences: false)
        let isPlain = !text.isEmpty && words.allSatisfy { word in
            !word.isEmpty && word.utf8.count <= 68 && !word.contains("=?")
                && word.unicodeScalars.allSatisfy { (0x21...0x7E).contains($0.value) }
        }
        return isPlain ? words.map(String.init) : encodedWords(text)
    }

    /// `text` as UTF-8 `B` encoded-words, each holding whole characters (a character longer than
    /// ``encodedWordBytes`` is split between its scalars, never inside one, as RFC 2047 §5 requires).
    static func encodedWords(_ text: String) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        func flush() {
            guard !chunk.isEmpty else { return }
            words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=")
            chunk.removeAll(keepingCapacity: true)
        }
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > encodedWordBytes { flush() }
            if bytes.count <= encodedWordBytes {
                chunk += bytes
                continue
            }
            for scalar in character.unicodeScalars {
                let scalarBytes = Array(String(scalar).utf8)
                if chunk.count + scalarBytes.count > encodedWordBytes { flush() }
                chunk += scalarBytes
            }
        }
        flush()
        return words
    }

    /// A mailbox: the display name (as atoms, a quoted string or encoded-words), then `<address>`.
    static func mailbox(_ mailbox: EmailAddress) -> [String] {
        let address = "<\(mailbox.address)>"
        guard let name = mailbox.displayName else { return [mailbox.address] }
        let words = name.split(separator: " ", omittingEmptySubsequences: false)
        let isAtom = { (word: Substring) in
            !word.isEmpty && !word.contains("=?") && word.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "!#$%&'*+-/=?^_`{|}~".unicodeScalars.contains(scalar))
            }
        }
        if words.allSatisfy(isAtom) { return words.map(String.init) + [address] }
        let isQuotable = !name.contains("=?") && name.unicodeScalars.allSatisfy { (0x20...0x7E).contains($0.value) && $0 != "\"" && $0 != "\\" }
        if isQuotable, name.first != " ", name.last != " " { return ["\"\(name)\"", address] }
        return encodedWords(name) + [address]
    }

    /// Mailboxes separated by commas.
    static func mailboxList(_ mailboxes: [EmailAddress]) -> [String] {
        var tokens: [String] = []
        for (index, mailbox) in mailboxes.enumerated() {
            var words = Self.mailbox(mailbox)
            if index < mailboxes.count - 1 { words[words.count - 1] += "," }
            tokens += words
        }
        return tokens
    }

    /// A parameter such as `filename`: `name="value"` for printable ASCII without quotes or backslashes that fits a
    /// line; otherwise RFC 2231's extended form, UTF-8 and percent-encoded, cut into numbered sections of at most
    /// about 60 characters (`name*0*=utf-8''…; name*1*=…`), never inside a `%XX`. Each token but the last ends with
    /// `;`, ready to follow other parameters.
    static func parameter(_ name: String, _ value: String) -> [String] {
        let isQuotable = value.unicodeScalars.allSatisfy { (0x20...0x7E).contains($0.value) && $0 != "\"" && $0 != "\\" }
        if isQuotable, value.utf8.count <= 60 { return ["\(name)=\"\(value)\""] }
        var sections: [String] = []
        var section = "utf-8''"
        for byte in value.utf8 {
            let isAttributeChar = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || Array("!#$&+-.^_`|~".utf8).contains(byte)
            let encoded = isAttributeChar ? String(UnicodeScalar(byte)) : "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0x0F, radix: 16, uppercase: true)
            if section.utf8.count + encoded.utf8.count > 60 {
                sections.append(section)
                section = ""
            }
            section += encoded
        }
        sections.append(section)
        return sections.enumerated().map { index, text in
            "\(name)*\(index)*=\(text)" + (index < sections.count - 1 ? ";" : "")
        }
    }

    /// `Sat, 01 Jan 2000 00:00:00 +0000`: RFC 5322 §3.3 in UTC, in English whatever the locale.
    static func date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let two = { (value: Int?) in (value ?? 0) < 10 ? "0\(value ?? 0)" : "\(value ?? 0)" }
        return "\(days[(parts.weekday ?? 1) - 1]), \(two(parts.day)) \(months[(parts.month ?? 1) - 1]) \(parts.year ?? 2000) "
            + "\(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) +0000"
    }
}
