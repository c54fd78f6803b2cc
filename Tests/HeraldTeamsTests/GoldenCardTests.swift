import Foundation
import Herald
import HeraldTeams
import HeraldTestSupport
import Testing

/// The golden corpus as Teams receives it: valid cards that show exactly the fitted document, literally.
@Suite("Teams golden cards")
struct GoldenCardTests {
    @Test("every golden teams.json passes scripts/validate_teams.py with no finding", .requires(.pythonJSONSchema, .specs))
    func validatorAcceptsEveryGolden() throws {
        let cases = GoldenCase.all
        let result = try ValidatorScript.run(cases.map { $0.file("teams.json").path })
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output == "\(cases.count) passed, 0 failed\n")
    }

    @Test("the cards show the fitted document: read back and joined, they give the same blocks, text, styles and tags", arguments: GoldenCase.all)
    func cardShowsFittedDocument(_ golden: GoldenCase) throws {
        let message = try golden.message()
        let rendering = try TeamsRenderer().render(message)
        let shown = try SizeLimitTests.readBack(rendering, of: message).joined
        #expect(shown == TeamsPayloadReader.expectedDocument(for: rendering.fittedDocument))
    }

    @Test("no user text lands where Teams reads Markdown or expands dates", arguments: GoldenCase.all)
    func textIsNeverInterpreted(_ golden: GoldenCase) throws {
        let payload = try JSONReader().read(TeamsRenderer().render(golden.message()).payload.body)
        for object in objects(in: payload) {
            // TextBlock.text and Fact title and value are Markdown in Teams.
            #expect(object["type"] != "TextBlock" && object["type"] != "FactSet" && object["facts"] == nil)
            // A TextRun expands {{DATE(…)}} and {{TIME(…)}}, which need two braces in one run.
            if object["type"] == "TextRun", case .string(let text)? = object["text"] {
                #expect(!text.contains("{{"), "\(text)")
            }
        }
    }

    @Test("hostile text comes out character for character")
    func hostileTextIsLiteral() throws {
        let cases = ["21-hostile-html", "22-hostile-markdown", "25-template-and-mention-syntax"]
        for name in cases {
            let golden = try #require(GoldenCase.all.first { $0.name == name })
            let message = try golden.message()
            let shown = try TeamsPayloadReader.document(fromPayload: TeamsRenderer().render(message).payload.body)
            let sentText = message.parts.compactMap { part -> String? in
                if case .text(let text, _) = part { return text }
                return nil
            }.joined()
            let shownText = shown.blocks.compactMap { block -> String? in
                guard case .paragraph(let content) = block else { return nil }
                return content.plainText
            }.joined(separator: "\n")
            // Lowering turns a trailing line feed into nothing and "\n\n" into a paragraph break.
            #expect(shownText == sentText.trimmingCharacters(in: .newlines), "\(name)")
        }
    }
}
