import HeraldCore
import Testing

/// Table cells that hold line breaks: accepted, normalized by lowering, and fitted for each way a service shows
/// tables.
@Suite("Table cells with line breaks")
struct TableLineBreakTests {
    static let trace = "Traceback (most recent call last):\n  File \"robot.py\", line 42\nRobotError: low pressure"

    /// A service that shows tables but only one line per cell, like Markdown.
    static let oneLineCells = Capabilities(
        serviceName: "Pager", styles: [], colors: [:], links: .native, headings: .native,
        tables: .singleLineCells(lineSeparator: " / "), codeLanguages: false, attachments: .nameOnly, maximumStickers: 0,
        tags: .metadata)

    @Test("a message whose header and body cells hold line breaks is accepted, from JSON and from Swift")
    func accepted() throws {
        let json = #"{"parts": [{"type": "table", "columns": ["step", "contact\n(on call)"], "rows": [["mount", "X12SA\nVilligen"]]}]}"#
        let message = try NotificationMessage(json: Array(json.utf8))
        #expect(message.parts == [.table(try Table(columns: ["step", "contact\n(on call)"], rows: [["mount", "X12SA\nVilligen"]]))])
        #expect(try NotificationMessage(json: Array(message.jsonString().utf8)) == message)
    }

    @Test("lowering takes CR LF and CR as LF and drops blank lines and line breaks at either end of a cell")
    func lowered() throws {
        var message = try NotificationMessage()
        try message.addTable(columns: ["\na\r\nb\n", "c"], rows: [["d\r\re\n\n\nf", "\n"], ["g h", ""]])
        guard case .table(let table, _)? = Document.lowering(message).document.blocks.first else {
            Issue.record("no table")
            return
        }
        #expect(table.columns == ["a\nb", "c"])
        #expect(table.rows == [["d\ne\nf", ""], ["g h", ""]])
    }

    @Test("aligned text makes a row as many lines high as its tallest cell, aligned, with a rule between rows")
    func alignedText() throws {
        let table = try Table(columns: ["step", "error"], rows: [["mount", Self.trace], ["align", "ok"]])
        #expect(table.alignedText == """
            step  | error
            ------+-----------------------------------
            mount | Traceback (most recent call last):
                  |   File "robot.py", line 42
                  | RobotError: low pressure
            ------+-----------------------------------
            align | ok
            """)
        let header = try Table(columns: ["a", "contact\n(on call)"], rows: [["1", "x"], ["2", "y"]])
        #expect(header.alignedText == "a | contact\n  | (on call)\n--+----------\n1 | x\n2 | y", "no rule between rows of one line")
    }

    @Test("a service whose cells hold one line shows the lines joined by its separator, reported once per table")
    func joined() throws {
        var message = try NotificationMessage()
        try message.addTable(title: "Failed", columns: ["step", "error"], rows: [["mount", Self.trace], ["align", "ok"]])
        try message.addTable(columns: ["plain"], rows: [["one line"]])
        let fitting = Document.lowering(message).document.fitted(to: Self.oneLineCells)
        #expect(fitting.document.blocks == [
            .table(try Table(title: "Failed", columns: ["step", "error"], rows: [
                ["mount", "Traceback (most recent call last): /   File \"robot.py\", line 42 / RobotError: low pressure"],
                ["align", "ok"],
            ]), origin: .part(0)),
            .table(try Table(columns: ["plain"], rows: [["one line"]]), origin: .part(1)),
        ])
        #expect(fitting.degradations.map(\.kind) == [.cellLinesJoined])
        #expect(fitting.degradations.map(\.description) == [
            #"parts[0] "Traceback (most recent call last):\n  Fi…": line breaks in table cells shown as " / " on Pager, whose table cells hold one line"#,
        ])
    }
}
