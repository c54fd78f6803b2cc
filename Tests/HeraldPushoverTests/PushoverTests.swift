import Foundation
import Herald
import HeraldTestSupport
import HeraldValidation
import Testing

/// Pushover's fields, read back by ``PushoverReader`` (libxml2), must show the fitted document within Pushover's
/// documented limits, for the golden corpus, the hostile corpus and random messages.
@Suite("Pushover")
struct PushoverTests {
    /// The fields Pushover documents that the renderer may set.
    static let knownFields: Set<String> = ["attachment", "html", "message", "priority", "title", "url", "url_title"]

    /// Every problem with `rendering`'s push.
    static func problems(in rendering: Rendering) throws -> [String] {
        guard rendering.messages.count == 1 else { return ["\(rendering.messages.count) pushes; one notification is one push"] }
        let message = rendering.messages[0]
        guard case .object(let object) = try JSONReader().read(message.payload.body) else { return ["not an object"] }
        var fields: [String: String] = [:]
        for (key, value) in object {
            guard case .string(let text) = value else { return ["\(key) is not a string"] }
            fields[key] = text
        }
        var problems: [String] = []
        if let unknown = Set(fields.keys).subtracting(knownFields).first { problems.append("unknown field \(unknown)") }
        if fields["html"] != "1" { problems.append("html is not 1") }
        let limits = ["message": 1024, "title": 250, "url": 512, "url_title": 100]
        for (field, limit) in limits where (fields[field]?.unicodeScalars.count ?? 0) > limit {
            problems.append("\(field) has \(fields[field]!.unicodeScalars.count) characters; Pushover takes \(limit)")
        }
        if let priority = fields["priority"], !["-2", "-1", "1", "2"].contains(priority) { problems.append("priority \(priority)") }
        let html = fields["message"] ?? ""
        let findings = HTMLValidator(allowList: PushoverReader.allowList).validate(html)
        if !findings.isEmpty { problems.append("message HTML: \(findings.prefix(3))") }
        let shown = message.document
        let read = PushoverReader.spans(of: html)
        let expected = PushoverReader.expectedSpans(for: shown)
        if read != expected { problems.append("message reads back as \(read)\nexpected \(expected)") }
        let title: String? = if case .heading(1, let content)? = shown.blocks.first { content.plainText } else { nil }
        if fields["title"] != title { problems.append("title \(String(describing: fields["title"])), expected \(String(describing: title))") }
        let links = Set(shown.blocks.flatMap(\.runs).compactMap(\.style.link?.url))
        if let url = fields["url"], links != [url] { problems.append("url \(url) but the message links to \(links)") }
        let images = shown.blocks.compactMap { block -> String? in if case .attachment(let file, _) = block { file.filename } else { nil } }
        if images.count > 1 || fields["attachment"] != images.first { problems.append("attachment \(String(describing: fields["attachment"])) for images \(images)") }
        return problems
    }

    @Test("every golden case: fields within Pushover's limits, the message HTML in its tag set and read back as the fitted document", arguments: GoldenCase.all)
    func golden(_ golden: GoldenCase) throws {
        let problems = try Self.problems(in: PushoverRenderer().render(golden.message()))
        #expect(problems.isEmpty, "\(golden.name): \(problems.joined(separator: "\n"))")
    }

    @Test("every hostile string, in every place a sender can put text, reads back literally", arguments: HostileCorpus.entries)
    func hostile(_ entry: HostileCorpus.Entry) throws {
        let problems = try Self.problems(in: PushoverRenderer().render(HostileCorpus.message(carrying: entry.text).message))
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test("random messages and long random messages, cut to one push, read back", arguments: [UInt64(1), 2, 3, 4])
    func random(seed: UInt64) throws {
        var random = RandomMessages(seed: seed)
        var cut = 0
        for index in 0..<80 {
            let rendering = try PushoverRenderer().render(index % 4 == 3 ? random.longMessage() : random.message())
            if rendering.degradations.contains(where: { $0.kind == .truncated && $0.path != "title" }) { cut += 1 }
            let problems = try Self.problems(in: rendering)
            #expect(problems.isEmpty, "seed \(seed) message \(index): \(problems.joined(separator: "\n"))")
        }
        #expect(cut >= 15, "too few random messages reach the limit")
    }

    static func fields(_ message: NotificationMessage) throws -> [String: JSONValue] {
        guard case .object(let object) = try PushoverRenderer().render(message).payload.json else { return [:] }
        return object
    }

    @Test("a message of 1024 characters goes whole; one more is cut with the marker, reported; an emoji counts as its code points")
    func messageLimit() throws {
        var exact = try NotificationMessage()
        exact.addText(String(repeating: "x", count: 1024), style: .plain)
        #expect(try Self.fields(exact)["message"] == .string(String(repeating: "x", count: 1024)))
        var over = try NotificationMessage()
        over.addText(String(repeating: "x", count: 1025), style: .plain)
        let rendering = try PushoverRenderer().render(over)
        guard case .string(let message)? = try Self.fields(over)["message"] else { Issue.record("no message"); return }
        #expect(message.unicodeScalars.count <= 1024)
        #expect(message.hasSuffix("\n\n<i>… (truncated: \(1025 - message.prefix { $0 == "x" }.count) characters not shown)</i>"))
        #expect(rendering.degradations.map(\.kind) == [.truncated])
        var family = try NotificationMessage()
        family.addText(String(repeating: "👨‍👩‍👧", count: 205), style: .plain)  // 205 characters, 1025 code points
        #expect(try PushoverRenderer().render(family).degradations.map(\.kind) == [.truncated])
    }

    @Test("a title of 250 characters goes whole; a longer one is cut to 250 with …, reported")
    func titleLimit() throws {
        let exact = try NotificationMessage(title: String(repeating: "t", count: 250))
        var withText = exact
        withText.addText("body", style: .plain)
        #expect(try Self.fields(withText)["title"] == .string(String(repeating: "t", count: 250)))
        var long = try NotificationMessage(title: String(repeating: "é", count: 300))
        long.addText("body", style: .plain)
        #expect(try Self.fields(long)["title"] == .string(String(repeating: "é", count: 249) + "…"))
        let report = try PushoverRenderer().render(long).degradations
        #expect(report.map(\.description) == ["title \"\(String(repeating: "é", count: 39))…\": title cut to 250 characters, Pushover's limit: 51 characters not shown"])
    }

    @Test("a title alone is sent as the message, which Pushover requires; reported")
    func titleOnly() throws {
        let message = try NotificationMessage(title: "Shutter closed", event: "alarm_minor")
        #expect(try Self.fields(message) == ["html": "1", "message": "Shutter closed"])
        #expect(try PushoverRenderer().render(message).degradations.map(\.kind) == [.headingShownAsText])
    }

    @Test("failure alerts and major alarms are high priority; other events normal", arguments: [
        ("FailureAlert", "1"), ("alarm_major", "1"), ("scan_interlock", "1"), ("PrintDone", nil), ("alarm_minor", nil),
    ] as [(String, String?)])
    func priority(_ event: String, _ priority: String?) throws {
        var message = try NotificationMessage(event: event)
        message.addText("x", style: .plain)
        #expect(try Self.fields(message)["priority"] == priority.map(JSONValue.string))
    }

    @Test("the only link is the push's url, its text the url_title; two links, a URL over 512 or a text over 100 characters are not")
    func onlyLink() throws {
        func message(_ links: [(String, String)]) throws -> NotificationMessage {
            var message = try NotificationMessage()
            for (text, url) in links {
                try message.addText("see ")
                try message.addText(text, link: url)
            }
            return message
        }
        let one = try Self.fields(message([("the log", "https://farm.example/log?a=1&b=2"), ("again", "https://farm.example/log?a=1&b=2")]))
        #expect(one["url"] == "https://farm.example/log?a=1&b=2" && one["url_title"] == "the log")
        #expect(one["message"] == #"see <a href="https://farm.example/log?a=1&amp;b=2">the log</a>see <a href="https://farm.example/log?a=1&amp;b=2">again</a>"#)
        #expect(try Self.fields(message([("a", "https://a.example"), ("b", "https://b.example")]))["url"] == nil)
        #expect(try Self.fields(message([("a", "https://a.example/" + String(repeating: "p", count: 600))]))["url"] == nil)
        let longTitle = try Self.fields(message([(String(repeating: "w", count: 101), "https://a.example")]))
        #expect(longTitle["url"] == "https://a.example" && longTitle["url_title"] == nil)
    }

    @Test("styles, colors and escaping: b, i, font color, a href; strikethrough and monospace reported")
    func markup() throws {
        var message = try NotificationMessage()
        try message.addText("<Hot> & \"bed\"", bold: true, italic: true, color: .red)
        try message.addText(" struck", strikethrough: true)
        try message.addText(" mono", monospace: true)
        let rendering = try PushoverRenderer().render(message)
        #expect(try Self.fields(message)["message"] == ##"<font color="#d32f2f"><b><i>&lt;Hot&gt; &amp; "bed"</i></b></font> struck mono"##)
        #expect(rendering.degradations.map(\.kind) == [.styleNotShown, .styleNotShown])
    }

    @Test("one image goes with the push; a second image, a file and an image over 5,242,880 bytes are named instead")
    func attachments() throws {
        var message = try NotificationMessage()
        try message.addText("frames")
        try message.addAttachment(data: Data([1, 2, 3]), filename: "a.png", mimeType: "image/png")
        try message.addAttachment(data: Data([4]), filename: "b.png", mimeType: "image/png")
        try message.addAttachment(data: Data([5]), filename: "log.txt", mimeType: "text/plain")
        let rendering = try PushoverRenderer().render(message)
        #expect(try Self.fields(message)["attachment"] == "a.png")
        #expect(rendering.degradations.map(\.kind) == [.attachmentNotDelivered, .attachmentNotDelivered])
        var large = try NotificationMessage()
        try large.addAttachment(data: Data(count: 5_242_881), filename: "big.png", mimeType: "image/png", maximumBytes: 6_000_000)
        try large.addAttachment(data: Data([1]), filename: "small.png", mimeType: "image/png")
        #expect(try Self.fields(large)["attachment"] == "small.png")
        #expect(try PushoverRenderer().render(large).degradations.map(\.message) == ["image over Pushover's 5242880 bytes; its name is shown instead"])
    }
}
