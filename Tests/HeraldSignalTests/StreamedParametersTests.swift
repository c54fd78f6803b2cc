import Herald
import HeraldTestSupport
import Testing

/// The send parameters, whole or split, are written straight into bytes; they are canonical JSON, the bytes
/// `JSONWriter` writes for the value read back from them (sorted keys, compact, the same escapes).
@Suite("Signal parameters written as a stream")
struct StreamedParametersTests {
    @Test("every golden case and random message, whole and split", arguments: [UInt64(1), 2, 3, 4])
    func streamedBytesAreCanonicalJSON(seed: UInt64) throws {
        var random = RandomMessages(seed: seed)
        var messages = (0..<150).map { _ in random.message() }
        if seed == 1 { messages += try GoldenCase.all.map { try $0.message() } }
        let renderer = SignalRenderer()
        for (index, message) in messages.enumerated() {
            let document = renderer.prepared(Document.lowering(message)).document
            for payload in [renderer.renderFitted(document), renderer.renderFittedSplit(document, maximumUTF8Bytes: 64)] {
                #expect(payload.body == JSONWriter().bytes(payload.json), "seed \(seed) message \(index)")
            }
            guard case .array(let pieces) = renderer.renderFittedSplit(document, maximumUTF8Bytes: .max).json, pieces.count == 1 else {
                Issue.record("seed \(seed) message \(index): not one piece")
                continue
            }
            #expect(pieces[0] == renderer.renderFitted(document).json, "seed \(seed) message \(index)")
        }
    }
}
