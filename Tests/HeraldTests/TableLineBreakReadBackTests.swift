import Foundation
import Herald
import HeraldTestSupport
import Testing

/// A table whose cells hold line breaks, through every service: each shows the break where it can, reports
/// what it cannot, and its payload reads back (with a reader written from the service's specification) as the
/// fitted document.
@Suite("Table cells with line breaks on every service")
struct TableLineBreakReadBackTests {
    static func message() throws -> NotificationMessage {
        var message = try NotificationMessage()
        try message.addText("Before", bold: true)
        try message.addTable(
            title: "Failed", columns: ["step", "contact\n(on call)"],
            rows: [["mount", "Beamline X12SA\r\nPSI, 5232 Villigen"], ["align", ""]])
        return message
    }

    @Test("Markdown joins a cell's lines with ↵ (a GFM cell holds no line break), reports it, and reads back", .requires(.cmarkGFM))
    func markdown() throws {
        let rendering = try MarkdownRenderer().render(Self.message())
        let markdown = String(decoding: rendering.payload.body, as: UTF8.self)
        #expect(markdown.contains("| step | contact ↵ \\(on call\\) |\n| --- | --- |\n| mount | Beamline X12SA ↵ PSI, 5232 Villigen |\n| align |  |"), "\(markdown)")
        #expect(rendering.degradations.map(\.kind) == [.cellLinesJoined])
        #expect(try CMarkReader.read(markdown) == CMarkReader.expectedBlocks(for: rendering.fittedDocument))
    }

    @Test("Signal lays the cells' lines out as aligned rows of several lines")
    func signal() throws {
        let rendering = try SignalRenderer().render(Self.message())
        let native = try SignalPayloadReader(rendering.payload.json)
        #expect(native.message.contains("""
            step  | contact
                  | (on call)
            ------+-------------------
            mount | Beamline X12SA
                  | PSI, 5232 Villigen
            ------+-------------------
            align |
            """), "\(native.message)")
        #expect(rendering.degradations.map(\.kind) == [.tableShownAsText])
        #expect(native.styleMap == SignalPayloadReader.expectedStyleMap(for: rendering.fittedDocument))
    }

    @Test("SciLog writes a line break in a cell as <br/> and reads back with it")
    func scilog() throws {
        let rendering = try SciLogRenderer().render(Self.message())
        guard case .object(let snippet) = rendering.payload.json, case .string(let html)? = snippet["textcontent"] else {
            Issue.record("no textcontent in \(rendering.payload.json)")
            return
        }
        #expect(html.contains("<th>contact<br/>(on call)</th>"), "\(html)")
        #expect(html.contains("<td>Beamline X12SA<br/>PSI, 5232 Villigen</td>"), "\(html)")
        #expect(rendering.degradations.isEmpty)
        #expect(SciLogHTMLReader.read(html) == SciLogHTMLReader.expectedBlocks(for: rendering.fittedDocument, fileHashes: []))
    }

    @Test("Teams shows each line of a cell as a block with no spacing, and reads back with the line breaks")
    func teams() throws {
        let rendering = try TeamsRenderer().render(Self.message())
        let shown = try TeamsPayloadReader.document(fromPayload: rendering.payload.body)
        #expect(rendering.degradations.isEmpty)
        #expect(shown == TeamsPayloadReader.expectedDocument(for: rendering.fittedDocument))
        guard case .table(let table, _)? = shown.blocks.last else {
            Issue.record("no table in \(shown.blocks)")
            return
        }
        #expect(table.columns == ["step", "contact\n(on call)"])
        #expect(table.rows == [["mount", "Beamline X12SA\nPSI, 5232 Villigen"], ["align", ""]])
    }
}
