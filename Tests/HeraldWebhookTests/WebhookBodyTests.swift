import Foundation
import Herald
import HeraldTestSupport
import HeraldValidation
import Testing

/// The webhook body carries the whole notification: its `message` read back (Herald's own decoder, on JSON the
/// schema checker also reads) is the fitted document, its `html` passes libxml2 and reads back to the same text and
/// styles, and nothing is ever reported lost beyond what lowering replaces.
@Suite("Webhook body")
struct WebhookBodyTests {
    /// The markup the `html` member may hold: exactly what docs/services.md lists.
    static let allowList = HTMLAllowList(elements: {
        var elements = Dictionary(uniqueKeysWithValues: ["h1", "p", "br", "strong", "em", "s", "table", "caption", "thead", "tbody", "tr", "th", "td", "pre"]
            .map { ($0, [String: HTMLAllowList.AttributeRule]()) })
        elements["code"] = ["class": .anyValue]  // language-X, where X may hold a "." (vb.net)
        elements["a"] = ["href": .url(schemes: ["http", "https", "mailto"])]
        elements["span"] = ["style": .oneOf(Set(TextColor.allCases.map { "color: \($0.rawValue)" }))]
        return elements
    }())

    /// Checks one rendering; returns a failure description per problem.
    static func problems(in rendering: Rendering, of message: NotificationMessage) throws -> [String] {
        var problems: [String] = []
        guard rendering.messages.count == 1 else { return ["\(rendering.messages.count) messages; the webhook sends one"] }
        let lowered = Document.lowering(message)
        if rendering.degradations != lowered.degradations { problems.append("degradations beyond lowering: \(rendering.degradations)") }
        let body = try JSONReader().read(rendering.payload.body)
        guard case .object(let object) = body, case .object? = object["message"] else { return ["no message object"] }
        let readBack = Document.lowering(try NotificationMessage(jsonValue: object["message"]!)).document
        if readBack.withoutOrigins != rendering.fittedDocument.withoutOrigins {
            problems.append("message reads back as \(readBack.treeDump)\nexpected \(rendering.fittedDocument.treeDump)")
        }
        if object["event"] != (rendering.fittedDocument.event.map(JSONValue.string) ?? .null) { problems.append("event \(String(describing: object["event"]))") }
        if object["tags"] != .array(rendering.fittedDocument.tags.map(JSONValue.string)) { problems.append("tags \(String(describing: object["tags"]))") }
        guard case .string(let html)? = object["html"] else { return problems + ["no html"] }
        let findings = HTMLValidator(allowList: allowList).validate(html)
        if !findings.isEmpty { problems.append("html: \(findings.prefix(3))") }
        let shown = rendering.fittedDocument.fitted(to: WebhookBodyTests.htmlCapabilities).document
        let expected = shown.blocks.compactMap { block -> [ReadSpan]? in
            switch block {
            case .heading(_, let content), .paragraph(let content): ReadSpan.expected(for: content)
            default: nil
            }
        }
        if WebhookHTMLReader.paragraphs(of: html) != expected {
            problems.append("html paragraphs read back as \(WebhookHTMLReader.paragraphs(of: html))\nexpected \(expected)")
        }
        guard case .array(let attachments)? = object["attachments"] else { return problems + ["no attachments"] }
        let files = rendering.fittedDocument.blocks.compactMap { block -> HeraldCore.Attachment? in
            if case .attachment(let attachment, _) = block { attachment } else { nil }
        }
        // The hashes are checked by scripts/check_webhook.py (Python's hashlib).
        let summaries = attachments.map { summary -> JSONValue in
            guard case .object(var object) = summary else { return summary }
            object["sha256"] = nil
            return .object(object)
        }
        let described = files.map { file -> JSONValue in
            ["filename": .string(file.filename), "mime_type": .string(file.mimeType), "size": .integer(file.data.count)]
        }
        if summaries != described { problems.append("attachments \(attachments), expected \(described)") }
        return problems
    }

    /// What `html` shows, as the renderer documents it (a copy: the test does not read the renderer's value).
    static let htmlCapabilities = Capabilities(
        serviceName: "Webhook HTML", styles: Set(StyleFeature.allCases),
        colors: Dictionary(uniqueKeysWithValues: TextColor.allCases.map { ($0, .exact) }), links: .native, headings: .native,
        tables: .native, codeLanguages: true, attachments: .nameOnly, maximumStickers: 0, tags: .hashtagParagraph)

    @Test("every golden case: the body reads back as the fitted document, its html passes libxml2", arguments: GoldenCase.all)
    func golden(_ golden: GoldenCase) throws {
        let message = try golden.message()
        let problems = try Self.problems(in: WebhookRenderer().render(message), of: message)
        #expect(problems.isEmpty, "\(golden.name): \(problems.joined(separator: "\n"))")
    }

    @Test("every hostile string, in every place a sender can put text, reads back literally", arguments: HostileCorpus.entries)
    func hostile(_ entry: HostileCorpus.Entry) throws {
        let message = HostileCorpus.message(carrying: entry.text).message
        let problems = try Self.problems(in: WebhookRenderer().render(message), of: message)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test("random and long random messages read back", arguments: [UInt64(1), 2, 3, 4])
    func random(seed: UInt64) throws {
        var random = RandomMessages(seed: seed)
        for index in 0..<60 {
            let message = index % 10 == 9 ? random.longMessage() : random.message()
            let problems = try Self.problems(in: WebhookRenderer().render(message), of: message)
            #expect(problems.isEmpty, "seed \(seed) message \(index): \(problems.joined(separator: "\n"))")
        }
    }

    @Test("the body of a small notification, byte for byte")
    func smallBody() throws {
        var message = try NotificationMessage(title: "Print done", event: "PrintDone")
        try message.addText("Benchy <v2> & co", bold: true, color: .green)
        try message.addText(" see ")
        try message.addText("log", link: "https://farm.example/p/1?a=1&b=2")
        try message.addTags(["farm"])
        let body = String(decoding: try WebhookRenderer().render(message).payload.body, as: UTF8.self)
        #expect(body == #"""
            {"attachments":[],"event":"PrintDone","format":"herald.webhook/v1","html":"<h1>Print done</h1>\n<p><span style=\"color: green\"><strong>Benchy &lt;v2&gt; &amp; co</strong></span> see <a href=\"https://farm.example/p/1?a=1&amp;b=2\">log</a></p>\n<p>#farm</p>","message":{"event":"PrintDone","format":"herald.message/v1","parts":[{"bold":true,"color":"green","text":"Benchy <v2> & co","type":"text"},{"text":" see ","type":"text"},{"link":"https://farm.example/p/1?a=1&b=2","text":"log","type":"text"},{"tags":["farm"],"type":"tags"}],"title":"Print done"},"tags":["farm"],"text":"Print done\n\nBenchy <v2> & co see log (https://farm.example/p/1?a=1&b=2)\n\n#farm","title":"Print done"}
            """#)
    }
}

/// Reads the paragraphs and headings of a webhook's `html` back into spans with libxml2 (``HTMLFragment``), knowing
/// only the markup docs/services.md documents; anything else makes the paragraph read as one `"<unexpected>"` span.
enum WebhookHTMLReader {
    static func paragraphs(of html: String) -> [[ReadSpan]] {
        HTMLFragment(parsing: html).nodes.compactMap { node -> [ReadSpan]? in
            guard case .element(let element) = node, ["p", "h1"].contains(element.name) else { return nil }
            let spans = ReadSpan.reading(element.children, lineBreaks: true) { element, span in
                switch (element.name, element.attributes) {
                case ("strong", [:]): span.bold = true
                case ("em", [:]): span.italic = true
                case ("s", [:]): span.strikethrough = true
                case ("code", [:]): span.code = true
                case ("a", let attributes) where attributes.count == 1 && attributes["href"] != nil: span.link = attributes["href"]
                case ("span", let attributes) where attributes.count == 1:
                    guard let value = attributes["style"], value.hasPrefix("color: "),
                        let color = TextColor(rawValue: String(value.dropFirst("color: ".count)))
                    else { return false }
                    span.color = color == .black ? nil : color
                default: return false
                }
                return true
            }
            return spans ?? [ReadSpan(text: "<unexpected>")]
        }
    }
}
