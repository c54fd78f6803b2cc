import Herald
import HeraldSMS
import Testing

/// GSM-7 and UCS-2 segment counts against a table of known bodies (3GPP TS 23.038's alphabet and extension table;
/// 160/153 septets, 70/67 UTF-16 code units per segment).
@Suite("SMS encoding and segments")
struct SMSEncodingTests {
    struct Row: CustomStringConvertible, Sendable {
        let name: String
        let body: String
        let alphabet: SMSEncoding.Alphabet
        let units: Int
        let segments: Int
        var description: String { name }
    }

    static let table: [Row] = [
        Row(name: "empty", body: "", alphabet: .gsm7, units: 0, segments: 1),
        Row(name: "pure GSM-7", body: "Print done: Benchy 0.2 mm @ 215°C? no: 215 C", alphabet: .ucs2, units: 44, segments: 1),  // ° is not GSM-7
        Row(name: "GSM-7 with its accents", body: "Ångström, Ñandù, Æsir: ¿què? ¡sì! §1 £5 ¥9 Øre", alphabet: .gsm7, units: 46, segments: 1),
        Row(name: "ú and í are not GSM-7 (ù and ì are)", body: "Ñandú", alphabet: .ucs2, units: 5, segments: 1),
        Row(name: "160 GSM-7 characters", body: String(repeating: "a", count: 160), alphabet: .gsm7, units: 160, segments: 1),
        Row(name: "161 GSM-7 characters", body: String(repeating: "a", count: 161), alphabet: .gsm7, units: 161, segments: 2),
        Row(name: "306 GSM-7 characters", body: String(repeating: "a", count: 306), alphabet: .gsm7, units: 306, segments: 2),
        Row(name: "307 GSM-7 characters", body: String(repeating: "a", count: 307), alphabet: .gsm7, units: 307, segments: 3),
        Row(name: "€ counts twice", body: "€" + String(repeating: "a", count: 158), alphabet: .gsm7, units: 160, segments: 1),
        Row(name: "€ counts twice, one over", body: "€" + String(repeating: "a", count: 159), alphabet: .gsm7, units: 161, segments: 2),
        Row(name: "[ ] { } \\ ~ ^ | each twice", body: "[]{}\\~^|", alphabet: .gsm7, units: 16, segments: 1),
        Row(name: "an escape is never split: [ at septet 153 moves on", body: String(repeating: "a", count: 152) + "[" + String(repeating: "b", count: 10), alphabet: .gsm7, units: 164, segments: 2),
        Row(name: "an escape is never split: [ at septets 153 and 154", body: String(repeating: "a", count: 152) + "[" + String(repeating: "b", count: 152), alphabet: .gsm7, units: 306, segments: 3),
        Row(name: "one emoji makes it UCS-2", body: "Print done 👋", alphabet: .ucs2, units: 13, segments: 1),
        Row(name: "70 UCS-2 units", body: String(repeating: "ж", count: 70), alphabet: .ucs2, units: 70, segments: 1),
        Row(name: "71 UCS-2 units", body: String(repeating: "ж", count: 71), alphabet: .ucs2, units: 71, segments: 2),
        Row(name: "134 UCS-2 units", body: String(repeating: "ж", count: 134), alphabet: .ucs2, units: 134, segments: 2),
        Row(name: "135 UCS-2 units", body: String(repeating: "ж", count: 135), alphabet: .ucs2, units: 135, segments: 3),
        Row(name: "one emoji triples the cost of 159 GSM-7 characters", body: String(repeating: "a", count: 159) + "👋", alphabet: .ucs2, units: 161, segments: 3),
        Row(name: "a surrogate pair is never split", body: String(repeating: "ж", count: 66) + "👋" + "ж", alphabet: .ucs2, units: 69, segments: 1),
        Row(name: "a surrogate pair at units 67 and 68 moves on", body: String(repeating: "ж", count: 66) + "👋" + String(repeating: "ж", count: 10), alphabet: .ucs2, units: 78, segments: 2),
        Row(name: "tab is not GSM-7", body: "a\tb", alphabet: .ucs2, units: 3, segments: 1),
        Row(name: "line feed and carriage return are", body: "a\nb\r\nc", alphabet: .gsm7, units: 6, segments: 1),
        Row(name: "lowercase ç is not (capital Ç is)", body: "ç", alphabet: .ucs2, units: 1, segments: 1),
        Row(name: "a combining accent is not", body: "e\u{301}", alphabet: .ucs2, units: 2, segments: 1),
    ]

    @Test("the known bodies", arguments: table)
    func knownBodies(_ row: Row) {
        let encoding = SMSEncoding(row.body)
        #expect(encoding.alphabet == row.alphabet)
        #expect(encoding.units == row.units)
        #expect(encoding.segments == row.segments)
    }

    @Test("the first character outside GSM-7 is named")
    func firstNonGSM() {
        #expect(SMSEncoding("ok € then ° and 👋").firstNonGSMCharacter == "°")
        #expect(SMSEncoding("all € [GSM]").firstNonGSMCharacter == nil)
    }
}
