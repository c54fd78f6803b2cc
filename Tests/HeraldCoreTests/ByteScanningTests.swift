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

    @Test("characterCount is count")
    func characterCount() {
        for text in Self.texts + ["Müller 2.5 Å, 21.4 °C, 1.25 µm" + String(repeating: "x", count: 17), "a\r\nb"] {
            #expect(text.characterCount == text.count, "\(text.debugDescription)")
        }
    }
}
