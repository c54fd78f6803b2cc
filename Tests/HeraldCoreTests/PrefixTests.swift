import HeraldCore
import Testing

/// Cutting tables short, as a size limit needs.
@Suite("Table prefixes")
struct PrefixTests {
    @Test("a table prefix keeps the title, the header and the first rows")
    func tablePrefix() throws {
        let table = try Table(title: "Positions", columns: ["device", "readback"], rows: [["samx", "1.02"], ["samy", "0.98"]])
        #expect(table.prefix(rows: 1) == (try Table(title: "Positions", columns: ["device", "readback"], rows: [["samx", "1.02"]])))
        #expect(table.prefix(rows: 0).rows.isEmpty)
        #expect(table.prefix(rows: 5) == table)
    }
}
