import Herald
import HeraldTestSupport
import Testing

/// `renderFitted` writes the send parameters straight into bytes; they are the bytes `JSONWriter` writes for the
/// parameters built as a JSON value (the one piece `renderFittedSplit` gives when nothing needs splitting).
@Suite("Signal parameters written as a stream")
struct StreamedParametersTests {
    @Test("every golden case and random message", arguments: [UInt64(1), 2, 3, 4])
    func streamedBytesEqualWrittenValue(seed: UInt64) throws {
        var random = RandomMessages(seed: seed)
        var messages = (0..<150).map { _ in random.message() }
        if seed == 1 { messages += try GoldenCase.all.map { try $0.message() } }
        let renderer = SignalRenderer()
        for (index, message) in messages.enumerated() {
            let document = renderer.prepared(Document.lowering(message)).document
            guard case .array(let pieces) = renderer.renderFittedSplit(document, maximumUTF8Bytes: .max).json, pieces.count == 1 else {
                Issue.record("seed \(seed) message \(index): not one piece")
                continue
            }
            #expect(renderer.renderFitted(document).body == JSONWriter().bytes(pieces[0]), "seed \(seed) message \(index)")
        }
    }
}
