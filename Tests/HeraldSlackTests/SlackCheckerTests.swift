import Foundation
import Herald
import HeraldSlack
import HeraldTestSupport
import Testing

/// The checks themselves can fail: the checker and the reader refuse what Slack would refuse or read as markup.
@Suite("Slack checks")
struct SlackCheckerTests {
    /// A body with `blocks` and `text`, as Herald writes it.
    static func body(_ blocks: [JSONValue], text: String = "x") -> [UInt8] {
        JSONWriter().bytes(["blocks": .array(blocks), "text": .string(text), "unfurl_links": false, "unfurl_media": false])
    }

    static func section(_ text: String) -> JSONValue {
        ["type": "section", "text": ["type": "mrkdwn", "text": .string(text), "verbatim": true]]
    }

    @Test("slack-sdk and the checks on top refuse what Slack refuses", .requires(.slackSDK), arguments: [
        (body([section(String(repeating: "x", count: 3_001))]), "text attribute cannot exceed 3000 characters"),
        (body([section(String(repeating: "👋", count: 1_501))]), "3002 UTF-16 code units, over 3000"),
        (body([["type": "header", "text": ["type": "plain_text", "text": .string(String(repeating: "x", count: 151)), "emoji": false]]]), "cannot exceed 150"),
        (body(Array(repeating: section("x"), count: 51)), "51 blocks, over 50"),
        (body([section("")]), "slack-sdk gives back"),
        (body([["type": "section", "text": ["type": "mrkdwn", "text": "x", "verbatim": true], "colour": "red"]]), "slack-sdk gives back"),
        (body([["type": "image", "image_url": "https://example.org/x.png", "alt_text": "x"]]), "is not a header or section block"),
        (body([section("hi <!channel>")]), "special syntax at 3"),
        (body([section("x")], text: "<@U123> hi"), "special syntax at 0"),
        (body([section("x")], text: ""), "empty, though the message has blocks"),
        (Array(#"{"blocks": [], "blocks": [], "text": "", "unfurl_links": false, "unfurl_media": false}"#.utf8), "duplicate keys"),
    ])
    func checkerRefuses(_ body: [UInt8], _ finding: String) throws {
        let result = try SlackChecker.run(bodies: [body])
        #expect(result.status == 1)
        #expect(result.output.contains(finding), "\(result.output)")
        #expect(result.output.hasSuffix("0 passed, 1 failed\n"))
    }

    @Test("the reader refuses mrkdwn that Slack would read as markup or mentions", arguments: [
        "*open", "_a_ b_", "a > b", "> quote", "<!channel>", "<@U123>", "a & b", "x :tada: y", "<https://e.org|**x**>",
        "＊x", "`code", "*a_b*_",
    ])
    func readerRefuses(_ mrkdwn: String) {
        // The block is read before the fallback text is compared: the error is the block's.
        let error = #expect(throws: ReaderError.self) { try SlackPayloadReader.document(fromPayload: Self.body([Self.section(mrkdwn)], text: "")) }
        #expect(error?.description.hasPrefix("blocks[0]: ") == true, "\(String(describing: error))")
    }

    @Test("the reader refuses a fallback text that is not what the blocks show")
    func readerChecksFallback() {
        #expect(throws: ReaderError.self) { try SlackPayloadReader.document(fromPayload: Self.body([Self.section("*x*")], text: "y")) }
        #expect(throws: ReaderError.self) { try SlackPayloadReader.document(fromPayload: Self.body([Self.section("x")], text: "*x*")) }
    }
}
