import HeraldCore
import Testing

/// The word-at-a-time scans agree with the obvious byte-by-byte and character-by-character answers.
@Suite("Byte scanning")
struct ByteScanningTests {
    /// Texts of every length around the eight-byte words, with members and candidates at every position.
    static let texts: [String] = {
        let pieces = ["a", "é", "µ", "\n", "\r\n", "\"", "\\", "\u{7F}", "\u{1}", "{", "Å", "e\u{301}", "👋", "🇨🇭", "\u{FFFE}", "x"]
        var texts: [String] = [""]
        var generator = SystemRandomNumberGenerator()
        for length in 0..<40 {
            for _ in 0..<8 {
                texts.append((0..<length).map { _ in pieces.randomElement(using: &generator)! }.joined())
            }
            texts.append(String(repeating: "abcdefgh", count: length))
        }
        return texts
    }()

    @Test("firstIndex finds the first member, with and without the word test")
    func firstIndex() {
        let isMember = { (byte: UInt8) in byte < 0x20 || byte == UInt8(ascii: "\"") || byte == 0xEF }
        let sets = [ByteSet(isMember), ByteSet(below: 0x20, values: [UInt8(ascii: "\""), 0xEF], isMember)]
        for text in Self.texts {
            let bytes = Array(text.utf8)
            for set in sets {
                for start in 0...bytes.count {
                    let expected = bytes[start...].firstIndex(where: isMember) ?? bytes.count
                    #expect(bytes.withUnsafeBufferPointer { set.firstIndex(in: $0, from: start) } == expected, "\(text.debugDescription) from \(start)")
                }
            }
        }
    }

    @Test("appendEscaping writes the escape before exactly the members, across chunk boundaries")
    func appendEscaping() {
        let isMember = { (byte: UInt8) in byte < 0x20 || byte == UInt8(ascii: "\"") || byte == 0xEF }
        let set = ByteSet(isMember)
        // Longer than the 1,024-byte chunks the escaping works in, with members on both sides of each boundary.
        let long = String(repeating: "\"abc\n", count: 700)
        for text in Self.texts + [long, String(repeating: "\"", count: 2049)] {
            var output: [UInt8] = [0x2A]  // appended to, not replaced
            Array(text.utf8).withUnsafeBufferPointer { set.appendEscaping($0, with: UInt8(ascii: "\\"), to: &output) }
            let expected: [UInt8] = [0x2A] + text.utf8.flatMap { byte -> [UInt8] in isMember(byte) ? [UInt8(ascii: "\\"), byte] : [byte] }
            #expect(output == expected, "\(text.debugDescription)")
        }
    }

    @Test("lineFeedSeparated and containsLineFeed agree with splitting on characters")
    func lineFeeds() {
        for text in Self.texts {
            // `split` on the character "\n" would keep CR LF together, as one character: compare on scalars.
            let expected = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { String(String.UnicodeScalarView($0)) }
            #expect(text.lineFeedSeparated().map(String.init) == expected, "\(text.debugDescription)")
            #expect(text.containsLineFeed == text.unicodeScalars.contains("\n"), "\(text.debugDescription)")
        }
    }

    @Test("characterCount is count")
    func characterCount() {
        for text in Self.texts + ["Müller 2.5 Å, 21.4 °C, 1.25 µm" + String(repeating: "x", count: 17), "a\r\nb"] {
            #expect(text.characterCount == text.count, "\(text.debugDescription)")
        }
    }
}
