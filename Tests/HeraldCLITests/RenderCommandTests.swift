import Foundation
import Herald
import HeraldCLI
import HeraldTestSupport
import Testing

@Suite("herald render")
struct RenderCommandTests {
    static let example = "Examples/sample_mount_failed.json"

    @Test("the default is a preview of every service, then the report as note: lines")
    func preview() async {
        let result = await CapturedCommand.run(["render", Self.example])
        #expect(result.status == .success)
        for heading in ["── Markdown", "── Signal"] { #expect(result.outputText.contains(heading)) }
        #expect(result.outputText.contains("Robot arm stopped"))
        #expect(!result.outputText.contains("\u{1B}["), "no ANSI styles when standard output is not a terminal")
        #expect(result.error.split(separator: "\n").allSatisfy { $0.hasPrefix("note: ") })
        #expect(result.error.contains(#"note: parts[0] "Robot arm stopped": color red not shown on Signal"#))
    }

    @Test("a terminal preview shows styles with ANSI escapes")
    func styledPreview() async {
        let result = await CapturedCommand.run(["render", Self.example], styledTerminal: true)
        #expect(result.outputText.contains("\u{1B}[1mRobot arm stopped\u{1B}[0m"))
        #expect(result.outputText.contains("\u{1B}[4mrobot manual, section 4\u{1B}[0m"))
    }

    @Test("--payload prints exactly the request body and nothing else")
    func payload() async throws {
        let result = await CapturedCommand.run(["render", "--service", "signal", "--payload", Self.example])
        #expect(result.status == .success)
        let body = try JSONReader().read(result.output)
        guard case .object(let params) = body else {
            Issue.record("not an object")
            return
        }
        #expect(params["message"] != nil)
        #expect(result.output.last != UInt8(ascii: "\n"))
    }

    @Test("--json wraps payload and degradations; one object for one service, an array for all")
    func json() async throws {
        let one = try JSONReader().read(await CapturedCommand.run(["render", "--service", "markdown", "--json", Self.example]).output)
        guard case .object(let object) = one, case .string(let markdown)? = object["payload"], case .array(let degradations)? = object["degradations"] else {
            Issue.record("unexpected shape \(one)")
            return
        }
        #expect(object["service"] == "markdown")
        #expect(markdown.hasPrefix("# Sample mount failed\n"))
        #expect(degradations.contains { $0 == ["kind": "color_not_shown", "path": "parts[0]", "message": #"parts[0] "Robot arm stopped": color red not shown on Markdown"#] })
        guard case .array(let all) = try JSONReader().read(await CapturedCommand.run(["render", "--json", Self.example]).output) else {
            Issue.record("--json for every service is not an array")
            return
        }
        #expect(all.count == Service.catalogue.count)
    }

    @Test("--service takes each catalogue id and all; anything else is a usage error listing them")
    func serviceValues() async throws {
        for service in Service.catalogue {
            let result = await CapturedCommand.run(["render", "--service", service.id, "--json", Self.example])
            #expect(result.status == .success)
            guard case .object(let object) = try JSONReader().read(result.output) else {
                Issue.record("--service \(service.id) --json is not one object")
                continue
            }
            #expect(object["service"] == .string(service.id))
        }
        let ids = Service.catalogue.map(\.id)
        let unknown = await CapturedCommand.run(["render", "--service", "fax", Self.example])
        #expect(unknown.status == .usage)
        #expect(unknown.error == "error: The value 'fax' is invalid for '--service <service>'. Please provide one of the following: \((ids + ["all"]).map { "'\($0)'" }.joined(separator: ", ")) (see 'herald help')\n")
        let payload = await CapturedCommand.run(["render", "--payload", Self.example])
        #expect(payload.error.contains("--payload needs one --service (\(ids.joined(separator: ", ")))"))
        let validate = await CapturedCommand.run(["render", "--validate", "--service", "teams", Self.example])
        #expect(validate.error.contains("--validate checks SciLog's and E-mail's HTML; use it with --service scilog or email or all"))
    }

    @Test("reads standard input for - and for no file")
    func standardInput() async {
        let input = #"{"parts": [{"type": "text", "text": "hi", "bold": true}]}"#
        for arguments in [["render", "--service", "markdown", "--payload", "-"], ["render", "--service", "markdown", "--payload"]] {
            let result = await CapturedCommand.run(arguments, input: input)
            #expect(result.outputText == "**hi**\n")
            #expect(result.error.isEmpty)
        }
    }

    @Test("--strict fails on any degradation, writing nothing to standard output")
    func strict() async {
        let failing = await CapturedCommand.run(["render", "--strict", Self.example])
        #expect(failing.status == .degraded)
        #expect(failing.output.isEmpty)
        let errors = failing.error.split(separator: "\n").filter { $0.hasPrefix("error: ") }
        #expect(errors.count == 1)
        let clean = await CapturedCommand.run(["render", "--strict", "--service", "markdown", "-"], input: #"{"parts": [{"type": "text", "text": "fine"}]}"#)
        #expect(clean.status == .success)
    }

    @Test("--ast prints the document tree")
    func ast() async {
        let result = await CapturedCommand.run(["render", "--ast", Self.example])
        #expect(result.outputText.hasPrefix("Document event: \"sample_mount_failed\""))
    }

    struct BadInput: Sendable, CustomStringConvertible {
        let name: String
        let json: String
        let status: HeraldExitStatus
        let error: String
        var description: String { name }
    }

    static let badInputs: [BadInput] = [
        BadInput(name: "malformed JSON", json: "{\"parts\": [\n  {\"type\": \"text\" \"text\": \"x\"}\n]}", status: .invalidInput,
                 error: "error: <stdin>:2:19: malformed JSON: unexpected character '\"'; expected ',' or '}' after an object member"),
        BadInput(name: "unknown color", json: #"{"parts": [{"type": "text", "text": "x", "color": "orange"}]}"#, status: .invalidInput,
                 error: #"error: <stdin>: parts[0].color: unknown color "orange"; expected one of red, green, black, yellow, pink, blue"#),
        BadInput(name: "javascript: link", json: #"{"parts": [{"type": "text", "text": "x", "link": "javascript:alert(1)"}]}"#, status: .invalidInput,
                 error: #"error: <stdin>: parts[0].link: link scheme "javascript" is not allowed; expected http, https or mailto"#),
        BadInput(name: "unknown part type", json: #"{"parts": [{"type": "video"}]}"#, status: .invalidInput,
                 error: #"error: <stdin>: parts[0].type: unknown part type "video"; expected one of text, tags, attachment, table, code, sticker"#),
        BadInput(name: "wrong type", json: #"{"parts": [{"type": "text", "text": 42}]}"#, status: .invalidInput,
                 error: "error: <stdin>: parts[0].text: expected a string, found a number"),
        BadInput(name: "missing attachment file", json: #"{"parts": [{"type": "attachment", "path": "no-such-file.png"}]}"#, status: .invalidInput,
                 error: "error: <stdin>: parts[0].path: cannot read attachment file"),
        BadInput(name: "invalid base64", json: #"{"parts": [{"type": "attachment", "filename": "a.png", "mime_type": "image/png", "data": "not base64!"}]}"#,
                 status: .invalidInput, error: "error: <stdin>: parts[0].data: is not valid base64"),
        BadInput(name: "empty input", json: "", status: .invalidInput, error: "error: <stdin>:1:1: malformed JSON: the input is empty; expected a JSON value"),
    ]

    @Test("bad input gives one error: line, nothing on standard output, and a non-zero exit", arguments: badInputs)
    func badInput(_ bad: BadInput) async {
        let result = await CapturedCommand.run(["render", "-"], input: bad.json)
        #expect(result.status == bad.status)
        #expect(result.output.isEmpty)
        let lines = result.error.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 1)
        #expect(lines.first.map { $0.hasPrefix(bad.error) } == true, "\(result.error)")
    }

    @Test("a missing or unreadable file, and wrong arguments, are one error: line each")
    func fileAndUsageErrors() async {
        let missing = await CapturedCommand.run(["render", "nope.json"])
        #expect(missing.status == .unreadableInput)
        #expect(missing.error == "error: nope.json: no such file\n")
        let directory = await CapturedCommand.run(["render", "Examples"])
        #expect(directory.status == .unreadableInput)
        for arguments in [["render", "--service", "fax", Self.example], ["render", "--payload", Self.example], ["render", "--payload", "--json", "--service", "signal", Self.example], ["frobnicate"]] {
            let usage = await CapturedCommand.run(arguments)
            #expect(usage.status == .usage, "\(arguments)")
            #expect(usage.output.isEmpty)
            #expect(usage.error.hasPrefix("error: ") && usage.error.filter { $0 == "\n" }.count == 1, "\(usage.error)")
        }
    }

    @Test("help goes to standard output and succeeds", arguments: [["render", "--help"], ["help", "render"]])
    func help(_ arguments: [String]) async {
        let result = await CapturedCommand.run(arguments)
        #expect(result.status == .success)
        #expect(result.outputText.contains("--payload"))
        #expect(result.error.isEmpty)
    }
}

@Suite("herald render: several messages")
struct SeveralMessagesCommandTests {
    @Test("a notification over a service's limit: --payload prints an array of messages within it, the preview shows each, the split is reported")
    func several() async throws {
        let paragraphs = (0..<8).map { "Paragraph \($0): " + String(repeating: "detector frame ok; ", count: 20) }
        let message = #"{"parts": [{"type": "text", "text": "\#(paragraphs.joined(separator: "\\n\\n"))"}]}"#
        let result = await CapturedCommand.run(["render", "--service", "signal", "--payload", "-"], input: message)
        #expect(result.status == .success)
        guard case .array(let pieces) = try JSONReader().read(result.output) else {
            Issue.record("not an array: \(result.outputText)")
            return
        }
        #expect(pieces.count == 2)
        for piece in pieces {
            guard case .object(let params) = piece, case .string(let text)? = params["message"] else { continue }
            #expect(text.utf8.count <= 2000 && text.hasPrefix("Paragraph "))
        }
        #expect(result.error == "note: document: sent as 2 Signal messages, each within 2000 UTF-8 bytes of message text, cut at paragraph, line or word boundaries; attachments go with the first, tags with the last\n")
        let preview = await CapturedCommand.run(["render", "--service", "signal", "-"], input: message)
        #expect(["· message 1 of 2", "· message 2 of 2"].allSatisfy(preview.outputText.contains))
        let json = await CapturedCommand.run(["render", "--service", "signal", "--json", "-"], input: message)
        guard case .object(let object) = try JSONReader().read(json.output), case .array(let payloads)? = object["payload"] else {
            Issue.record("--json's payload is not an array: \(json.outputText)")
            return
        }
        #expect(payloads == pieces)
    }
}
