import Foundation
import Herald
import HeraldTestSupport
import Testing

/// Checks every golden case's Signal payloads against each other and against what the message meant.
@Suite("Signal payloads of the golden corpus")
struct SignalGoldenTests {
    @Test("styled REST text parses back to exactly the native message and styles, message by message", arguments: GoldenCase.all)
    func styledFormParsesBack(_ golden: GoldenCase) throws {
        let message = try golden.message()
        let natives = try SignalRenderer().render(message).messages
        let rests = try SignalRenderer().restRendering(of: message).messages
        #expect(natives.map(\.document) == rests.map(\.document))
        for (nativeMessage, rest) in zip(natives, rests) {
            let native = try SignalPayloadReader(nativeMessage.payload.json)
            guard case .object(let body) = rest.payload.json, case .string(let text)? = body["message"],
                case .string(let mode)? = body["text_mode"]
            else {
                Issue.record("REST body lacks message or text_mode: \(rest.payload.json)")
                return
            }
            switch mode {
            case "styled":
                let parsed = SignalStyledTextParser.parse(text)
                #expect(parsed.message == native.message)
                let ranges = try parsed.textStyle.map { try #require(SignalStyleRange($0)) }
                #expect(SignalPayloadReader.styleMap(ranges, length: native.message.utf16.count) == native.styleMap)
            case "normal":
                #expect(text == native.message)
                let reported = rest.payload.degradations.contains { $0.kind == .stylesNotExpressible }
                #expect(reported == !native.ranges.isEmpty, "unstyled REST text must be reported exactly when styles are lost")
            default:
                Issue.record("unknown text_mode \(mode)")
            }
        }
    }

    @Test("native style ranges lie inside each message and cover what its document styles", arguments: GoldenCase.all)
    func nativeRangesMatchDocument(_ golden: GoldenCase) throws {
        for message in try SignalRenderer().render(golden.message()).messages {
            let native = try SignalPayloadReader(message.payload.json)
            let length = native.message.utf16.count
            for range in native.ranges {
                #expect(range.start >= 0 && range.length > 0 && range.start + range.length <= length, "\(range) outside \(length) units")
            }
            #expect(native.styleMap == SignalPayloadReader.expectedStyleMap(for: message.document))
        }
    }
}
