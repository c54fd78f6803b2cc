import HeraldSciLog
import HeraldTestSupport
import HeraldValidation
import Testing

/// Random messages (seeded, reproducible) always give clean SciLog HTML that reads back as the fitted document.
@Suite("SciLog with random messages")
struct RandomMessageTests {
    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func randomMessagesGiveCleanHTMLThatReadsBack(seed: UInt64) throws {
        var random = RandomMessages(seed: seed)
        for index in 0..<150 {
            let rendering = try SciLogRenderer().render(random.message())
            let payload = try SciLogPayload(rendering.payload)
            let context = "seed \(seed) message \(index): \(payload.textcontent)"
            #expect(HTMLValidator().validate(payload.textcontent) == [], "\(context)")
            let expected = SciLogHTMLReader.expectedBlocks(for: rendering.fittedDocument, fileHashes: payload.fileHashes)
            #expect(SciLogHTMLReader.read(payload.textcontent) == expected, "\(context)")
        }
    }
}
