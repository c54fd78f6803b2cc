import Foundation
import Herald
import HeraldTestSupport
import Testing

/// Checks every golden case's Signal payloads against each other and against what the message meant.
@Suite("Signal payloads of the golden corpus")
struct SignalGoldenTests {
    @Test("styled REST text parses back to exactly the native message and styles", arguments: GoldenCase.all)
    func styledFormParsesBack(_ golden: GoldenCase) throws {
        let message = try golden.message()
        let native = try SignalPayloadReader(SignalRenderer().render(message).payload.json)
        let rest = SignalRenderer().restRendering(of: message)
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

    @Test("native style ranges lie inside the message and cover what the fitted document styles", arguments: GoldenCase.all)
    func nativeRangesMatchDocument(_ golden: GoldenCase) throws {
        let rendering = try SignalRenderer().render(golden.message())
        let native = try SignalPayloadReader(rendering.payload.json)
        let length = native.message.utf16.count
        for range in native.ranges {
            #expect(range.start >= 0 && range.length > 0 && range.start + range.length <= length, "\(range) outside \(length) units")
        }
        #expect(native.styleMap == SignalPayloadReader.expectedStyleMap(for: rendering.fittedDocument))
    }
}
