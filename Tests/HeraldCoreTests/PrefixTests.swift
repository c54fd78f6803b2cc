import HeraldCore
import Testing

/// Cutting tables and code short, as a size limit needs.
@Suite("Table and code prefixes")
struct PrefixTests {
    @Test("a table prefix keeps the title, the header and the first rows")
    func tablePrefix() throws {
        let table = try Table(title: "Positions", columns: ["device", "readback"], rows: [["samx", "1.02"], ["samy", "0.98"]])
        #expect(table.prefix(rows: 1) == (try Table(title: "Positions", columns: ["device", "readback"], rows: [["samx", "1.02"]])))
        #expect(table.prefix(rows: 0).rows.isEmpty)
        #expect(table.prefix(rows: 5) == table)
    }

    @Test("a code prefix counts characters, drops the line feeds it would end with, and is nil when empty")
    func codePrefix() throws {
        let code = try CodeSnippet(language: "python", source: "a = 1\n\nb = \"é\"")
        #expect(code.prefix(characters: 3) == (try CodeSnippet(language: "python", source: "a =")))
        #expect(code.prefix(characters: 7) == (try CodeSnippet(language: "python", source: "a = 1")))
        #expect(code.prefix(characters: 13)?.source == "a = 1\n\nb = \"é")
        #expect(code.prefix(characters: 100) == code)
        #expect(code.prefix(characters: 0) == nil)
    }
}
