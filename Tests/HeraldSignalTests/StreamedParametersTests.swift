import Herald
import HeraldTestSupport
import Testing

/// The send parameters are written straight into bytes; they are canonical JSON, the bytes `JSONWriter` writes for
/// the value read back from them (sorted keys, compact, the same escapes).
@Suite("Signal parameters written as a stream")
struct StreamedParametersTests {
    @Test("every golden case and random message, whole and in messages of 64 bytes", arguments: [UInt64(1), 2, 3, 4])
    func streamedBytesAreCanonicalJSON(seed: UInt64) throws {
        var random = RandomMessages(seed: seed)
        var messages = (0..<150).map { _ in random.message() }
        if seed == 1 { messages += try GoldenCase.all.map { try $0.message() } }
        for (index, message) in messages.enumerated() {
            let document = SignalRenderer().prepared(Document.lowering(message)).document
            #expect(SignalRenderer().renderFitted(document).body == JSONWriter().bytes(SignalRenderer().renderFitted(document).json))
            guard let small = try? SignalRenderer(maximumMessageBytes: 64, maximumMessages: .max).render(message) else { continue }
            for part in small.messages {
                #expect(part.payload.body == JSONWriter().bytes(part.payload.json), "seed \(seed) message \(index)")
            }
        }
    }
}
