import Foundation
import Herald
import HeraldTestSupport
import Testing

/// Every hostile string through every service in every place a sender can put text: rendered without error,
/// valid for the service, and read back literally.
@Suite("Hostile corpus")
struct HostileCorpusTests {
    @Test("the corpus has at least 200 strings in its groups")
    func corpusSize() {
        #expect(HostileCorpus.entries.count >= 200)
        #expect(Set(HostileCorpus.entries.map(\.group)).count >= 10)
    }

    @Test("refusals are only for places that take one line, or file names", arguments: HostileCorpus.entries)
    func refusalsAreDeliberate(_ entry: HostileCorpus.Entry) {
        for refusal in HostileCorpus.message(carrying: entry.text).refusals {
            let allowed = refusal.reason.contains("single line") || refusal.path.hasSuffix("filename")
                || refusal.reason.contains("must not be empty") || refusal.reason.contains("control character or noncharacter")
            #expect(allowed, "\(refusal)")
        }
    }

    @Test("Markdown reads back literally through cmark-gfm", .requires(.cmarkGFM), arguments: HostileCorpus.entries)
    func markdown(_ entry: HostileCorpus.Entry) throws {
        let rendering = try MarkdownRenderer().render(HostileCorpus.message(carrying: entry.text).message)
        let markdown = String(decoding: rendering.payload.body, as: UTF8.self)
        #expect(try CMarkReader.read(markdown) == CMarkReader.expectedBlocks(for: rendering.fittedDocument), "\n\(markdown)")
    }

    @Test("Signal carries the text exactly and its styled form parses back", arguments: HostileCorpus.entries)
    func signal(_ entry: HostileCorpus.Entry) throws {
        let message = HostileCorpus.message(carrying: entry.text).message
        let rendering = try SignalRenderer().render(message)
        let rest = try SignalRenderer().restRendering(of: message)
        for (nativeMessage, restMessage) in zip(rendering.messages, rest.messages) {
            let native = try SignalPayloadReader(nativeMessage.payload.json)
            #expect(native.styleMap == SignalPayloadReader.expectedStyleMap(for: nativeMessage.document))
            guard case .object(let body) = restMessage.payload.json, case .string(let text)? = body["message"] else {
                Issue.record("no REST message")
                return
            }
            if body["text_mode"] == "styled" {
                let parsed = SignalStyledTextParser.parse(text)
                #expect(parsed.message == native.message)
                #expect(SignalPayloadReader.styleMap(parsed.textStyle.compactMap(SignalStyleRange.init), length: native.message.utf16.count) == native.styleMap)
            } else {
                #expect(text == native.message)
            }
        }
        // The documented policy: control characters but tab and line endings, and noncharacters, become U+FFFD.
        let shown = entry.text.unicodeScalars.map { scalar in
            let replaced = (scalar.properties.generalCategory == .control && !["\n", "\t", "\r"].contains(scalar))
                || scalar.properties.isNoncharacterCodePoint
            return replaced ? "\u{FFFD}" : String(scalar)
        }.joined()
        let firstLine = shown.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        if !firstLine.contains("\n"), !firstLine.isEmpty, firstLine.trimmingCharacters(in: .whitespaces) == firstLine {
            // Read as one message, whatever the limit cut it into.
            let whole = try SignalPayloadReader(SignalRenderer().renderFitted(rendering.fittedDocument).json)
            #expect(whole.message.contains(firstLine), "\(whole.message.debugDescription)")
        }
    }
}
