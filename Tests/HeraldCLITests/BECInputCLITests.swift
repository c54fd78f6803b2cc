import Herald
import HeraldTestSupport
import Testing

@Suite("herald render with BEC notifications")
struct BECInputCLITests {
    @Test("a BEC file renders; formatted text reaches SciLog as BEC wrote it")
    func becFile() async throws {
        let result = await CapturedCommand.run(["render", "--service", "scilog", "--payload", "golden/bec-formatted-marks/message.json"])
        #expect(result.status == .success)
        #expect(result.error.isEmpty)
        guard case .object(let snippet) = try JSONReader().read(result.output), case .string(let html)? = snippet["textcontent"] else {
            Issue.record("not a snippet: \(result.outputText)")
            return
        }
        #expect(html.hasPrefix(#"<p><mark class="marker-yellow"><em><strong>Scan 12 done</strong></em></mark></p>"#))
    }

    @Test("import notes are note: lines naming the file and the JSON path")
    func importNotes() async {
        let input = #"{"metadata": {}, "event": "alarm_warning", "message": [{"content": "ok"}, {"content": "<p>T <sensor1> high</p>"}]}"#
        let result = await CapturedCommand.run(["render", "--service", "markdown", "--payload", "-"], input: input)
        #expect(result.status == .success)
        #expect(result.outputText == "ok\n\n\\<p\\>T \\<sensor1\\> high\\</p\\>\n")
        let lines = result.error.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("note: <stdin>: message[1].content: starts and ends like BEC's formatted HTML") == true)
    }

    @Test("a bad BEC part is one error: line with its JSON path, and nothing on standard output")
    func becError() async {
        let input = #"{"message": [{"content": "x"}, {"filename": "a.png", "mime_type": "image/png", "data": "%%"}]}"#
        let result = await CapturedCommand.run(["render", "-"], input: input)
        #expect(result.status == .invalidInput)
        #expect(result.output.isEmpty)
        #expect(result.error == "error: <stdin>: message[1].data: is not valid base64\n")
    }

    @Test("--ast shows BEC text parts as paragraphs")
    func ast() async {
        let input = #"{"message": [{"content": "<p><strong>a</strong></p>"}, {"content": "b < c"}]}"#
        let result = await CapturedCommand.run(["render", "--ast", "-"], input: input)
        #expect(result.status == .success)
        #expect(result.outputText == """
            Document
            ├─ Paragraph
            │  └─ Text "a" bold (parts[0])
            └─ Paragraph
               └─ Text "b < c" (parts[1])

            """)
    }
}
