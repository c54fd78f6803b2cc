import HeraldCore
import Testing

@Suite("JSON reader and writer")
struct JSONReaderTests {
    @Test("reads every JSON type")
    func readsValues() throws {
        let value = try JSONReader().read(#"{"a": [1, -2.5e1, true, false, null, "x\u00e9\ud83d\udc4b\n"], "b": {}}"#)
        #expect(value == ["a": [1, .double(-25), true, false, nil, "xé👋\n"], "b": .object([:])])
    }

    struct Malformed: Sendable, CustomStringConvertible {
        let input: String
        let line: Int
        let column: Int
        let reason: String
        var description: String { input.debugDescription }
    }

    static let malformed: [Malformed] = [
        Malformed(input: "", line: 1, column: 1, reason: "the input is empty"),
        Malformed(input: "{\n  \"a\": 1,\n  \"b\" 2\n}", line: 3, column: 7, reason: "expected ':'"),
        Malformed(input: "{\"a\": 1,}", line: 1, column: 9, reason: "expected a member name"),
        Malformed(input: "[1 2]", line: 1, column: 4, reason: "expected ',' or ']'"),
        Malformed(input: "{\"a\": 1, \"a\": 2}", line: 1, column: 10, reason: "duplicate member \"a\""),
        Malformed(input: "\"\\ud800\"", line: 1, column: 2, reason: "lone high surrogate"),
        Malformed(input: "\"\\udc00\"", line: 1, column: 2, reason: "lone low surrogate"),
        Malformed(input: "\"a\tb\"", line: 1, column: 3, reason: "must be escaped"),
        Malformed(input: "\"é\" x", line: 1, column: 5, reason: "after the JSON value"),
        Malformed(input: "01", line: 1, column: 1, reason: "leading zeros"),
        Malformed(input: "[tru]", line: 1, column: 2, reason: "expected a value"),
        Malformed(input: "\"abc", line: 1, column: 5, reason: "unterminated string"),
        Malformed(input: String(repeating: "[", count: 65) + String(repeating: "]", count: 65), line: 1, column: 65, reason: "nesting deeper"),
    ]

    @Test("malformed JSON is located by line and column", arguments: malformed)
    func reportsPosition(_ example: Malformed) {
        #expect {
            try JSONReader().read(example.input)
        } throws: { error in
            guard let error = error as? JSONSyntaxError else { return false }
            return error.line == example.line && error.column == example.column && error.reason.contains(example.reason)
        }
    }

    @Test("invalid UTF-8 is refused")
    func invalidUTF8() {
        #expect(throws: JSONSyntaxError.self) { try JSONReader().read([0x22, 0xC3, 0x28, 0x22]) }
        #expect(throws: JSONSyntaxError.self) { try JSONReader().read([0x22, 0xED, 0xA0, 0x80, 0x22]) }  // encoded surrogate
    }

    @Test("a 10 MB string full of escapes and non-ASCII characters reads back exactly")
    func longStringWithEscapes() throws {
        // Each line as JSON text and as the text it stands for: raw and escaped non-ASCII, surrogate pairs, and
        // every kind of escape. Reading was quadratic in these (1 MB took a second, 4 MB twenty).
        let lines: [(json: String, text: String)] = [
            (#"scan 12: samx 1.25 µm at 21.4 °C, gap 8.52 Å \"ok\"\n"#, "scan 12: samx 1.25 µm at 21.4 °C, gap 8.52 Å \"ok\"\n"),
            (#"C:\\data\\run\t\u00c5ngstr\u00f6m \ud83d\udc4b\ud83c\udffe a\/b\b\f\r\n"#, "C:\\data\\run\tÅngström 👋🏾 a/b\u{8}\u{C}\r\n"),
        ]
        var json = "\""
        var text = ""
        while json.utf8.count < 10_000_000 {
            for line in lines {
                json += line.json
                text += line.text
            }
        }
        json += "\""
        guard case .string(let decoded) = try JSONReader().read(json) else {
            Issue.record("not a string")
            return
        }
        #expect(decoded.utf8.count == text.utf8.count)
        #expect(decoded.utf8.elementsEqual(text.utf8))
    }

    @Test("the number of values is capped while reading, so that a small input cannot become a huge tree")
    func valueCap() throws {
        #expect(try JSONReader(maximumValues: 5).read("[1, [2], 3]") == [1, [2], 3])
        #expect(throws: JSONSyntaxError(line: 1, column: 13, reason: "more than 5 values in one document")) {
            try JSONReader(maximumValues: 5).read("[1, [2], 3, 4]")
        }
        #expect(JSONReader().maximumValues == 1_000_000)
        let rows = "[" + Array(repeating: "[0]", count: 500_001).joined(separator: ",") + "]"  // 1,000,003 values
        #expect(throws: JSONSyntaxError.self) { try JSONReader().read(rows) }
    }

    @Test("values quoted in syntax errors are shortened and escaped")
    func shortenedEchoes() {
        let key = #"\u001b"# + String(repeating: "k", count: 100_000)  // ESC, written as a JSON escape
        let duplicate = #"{"\#(key)": 1, "\#(key)": 2}"#
        let digits = "1" + String(repeating: "0", count: 100_000) + "e999999"
        for input in [duplicate, digits] {
            #expect {
                try JSONReader().read(input)
            } throws: { error in
                guard let error = error as? JSONSyntaxError else { return false }
                return error.reason.utf8.count < 300 && error.reason.contains("more characters") && !error.reason.contains("\u{1B}")
            }
        }
    }

    @Test("the writer sorts keys, keeps slashes and non-ASCII, escapes control characters")
    func writesDeterministically() {
        let value: JSONValue = ["b": "a/b é\u{1}\"\\\n", "a": [1, .double(0.5), nil], "C": true]
        #expect(JSONWriter().string(value) == #"{"C":true,"a":[1,0.5,null],"b":"a/b é\u0001\"\\\n"}"#)
    }

    @Test("writing then reading gives the same value")
    func roundTrip() throws {
        let value: JSONValue = ["text": "👋🏾 \u{0} \u{7F} \u{2028}", "nested": ["deep": [[], .object([:])]]]
        #expect(try JSONReader().read(JSONWriter().bytes(value)) == value)
        #expect(try JSONReader().read(JSONWriter(prettyPrinted: true).bytes(value)) == value)
    }
}
