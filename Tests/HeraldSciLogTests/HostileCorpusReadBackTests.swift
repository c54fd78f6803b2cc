import HeraldSciLog
import HeraldTestSupport
import HeraldValidation
import Testing

/// Every hostile string, in every place a sender can put text, gives clean SciLog HTML that reads back literally.
@Suite("SciLog with the hostile corpus")
struct HostileCorpusReadBackTests {
    @Test("clean for libxml2 and read back as the fitted document", arguments: HostileCorpus.entries)
    func readsBackLiterally(_ entry: HostileCorpus.Entry) throws {
        let rendering = try SciLogRenderer().render(HostileCorpus.message(carrying: entry.text).message)
        let payload = try SciLogPayload(rendering.payload)
        #expect(HTMLValidator().validate(payload.textcontent) == [], "\(payload.textcontent)")
        let expected = SciLogHTMLReader.expectedBlocks(for: rendering.fittedDocument, fileHashes: payload.fileHashes)
        #expect(SciLogHTMLReader.read(payload.textcontent) == expected, "\(payload.textcontent)")
    }
}
