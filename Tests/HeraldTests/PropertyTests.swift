import Foundation
import Herald
import HeraldTestSupport
import Testing

/// Random messages (seeded, reproducible) through every renderer: nothing crashes, and what each service's
/// payload reads back as is exactly the fitted document.
@Suite("Properties of random messages")
struct PropertyTests {
    /// Seeds are fixed so a failure reproduces; `HERALD_PROPERTY_SEED` adds one more for exploration.
    static let seeds: [UInt64] = [1, 2, 3, 4] + (ProcessInfo.processInfo.environment["HERALD_PROPERTY_SEED"].flatMap(UInt64.init).map { [$0] } ?? [])
    static let messagesPerSeed = 150

    @Test("every service renders every random message, and its JSON payload reads back as JSON", arguments: seeds)
    func rendersEverything(seed: UInt64) throws {
        var random = RandomMessages(seed: seed)
        for index in 0..<Self.messagesPerSeed {
            let message = random.message()
            for service in Service.catalogue {
                let rendering = try service.renderer.render(message)
                if case .string = rendering.payload.json { continue }
                #expect(try JSONReader().read(rendering.payload.body) == rendering.payload.json, "seed \(seed) message \(index) \(service)")
            }
            #expect(try NotificationMessage(json: Array(message.jsonString().utf8)) == message, "seed \(seed) message \(index)")
        }
    }

    @Test("Markdown reads back through cmark-gfm as the fitted document", .requires(.cmarkGFM), arguments: seeds)
    func markdownReadsBack(seed: UInt64) throws {
        var random = RandomMessages(seed: seed)
        for index in 0..<Self.messagesPerSeed {
            let rendering = try MarkdownRenderer().render(random.message())
            let markdown = String(decoding: rendering.payload.body, as: UTF8.self)
            #expect(try CMarkReader.read(markdown) == CMarkReader.expectedBlocks(for: rendering.fittedDocument), "seed \(seed) message \(index):\n\(markdown)")
        }
    }

    @Test("Signal ranges lie inside the message, match the fitted document, and the styled form parses back", arguments: seeds)
    func signalReadsBack(seed: UInt64) throws {
        var random = RandomMessages(seed: seed)
        for index in 0..<Self.messagesPerSeed {
            let message = random.message()
            let rendering = try SignalRenderer().render(message)
            let native = try SignalPayloadReader(rendering.payload.json)
            #expect(native.styleMap == SignalPayloadReader.expectedStyleMap(for: rendering.fittedDocument), "seed \(seed) message \(index)")
            let rest = try SignalRenderer().restRendering(of: message)
            guard case .object(let body) = rest.payload.json, case .string(let text)? = body["message"] else { continue }
            if body["text_mode"] == "styled" {
                let parsed = SignalStyledTextParser.parse(text)
                #expect(parsed.message == native.message, "seed \(seed) message \(index): \(text.debugDescription)")
                let ranges = parsed.textStyle.compactMap(SignalStyleRange.init)
                #expect(SignalPayloadReader.styleMap(ranges, length: native.message.utf16.count) == native.styleMap, "seed \(seed) message \(index): \(text.debugDescription)")
            } else {
                #expect(text == native.message)
            }
        }
    }
}

/// Inputs the property tests once crashed on, kept as regression tests.
@Suite("Regressions found by random messages")
struct RandomMessageRegressionTests {
    @Test("a table with an empty title renders for every service (it once crashed the Markdown writer)")
    func emptyTableTitle() throws {
        var message = try NotificationMessage()
        try message.addTable(title: "", columns: ["a", ""], rows: [["", "x"]])
        for service in Service.catalogue {
            let rendering = try service.renderer.render(message)
            #expect(!rendering.payload.body.isEmpty, "\(service)")
        }
        guard case .table(let table, _)? = Document.lowering(message).document.blocks.first else {
            Issue.record("no table")
            return
        }
        #expect(table.title == nil, "an empty title is no title")
    }
}
