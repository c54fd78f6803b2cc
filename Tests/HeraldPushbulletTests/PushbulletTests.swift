import Foundation
import Herald
import HeraldPushbullet
import HeraldTestSupport
import Testing

/// Pushbullet's pushes: the title field and a plain-text body that is the fitted document's text, one file at most.
@Suite("Pushbullet")
struct PushbulletTests {
    /// The body a device shows for `document` (fitted to Pushbullet) after its title, as docs/services.md describes
    /// it: the text blocks in order, a blank line between two, code as its text.
    static func expectedBody(_ document: Document) -> String {
        document.blocks.compactMap { block -> String? in
            switch block {
            case .paragraph(let runs): runs.map(\.text).joined()
            case .codeBlock(let code, _): code.source
            case .heading, .table, .attachment, .sticker: nil
            }
        }.joined(separator: "\n\n")
    }

    /// Every problem with `rendering`'s push.
    static func problems(in rendering: Rendering) throws -> [String] {
        guard rendering.messages.count == 1 else { return ["\(rendering.messages.count) pushes"] }
        let document = rendering.messages[0].document
        guard case .object(let push) = try JSONReader().read(rendering.messages[0].payload.body) else { return ["not an object"] }
        var problems: [String] = []
        let files = document.blocks.compactMap { block -> HeraldCore.Attachment? in if case .attachment(let file, _) = block { file } else { nil } }
        let allowed: Set<String> = files.isEmpty ? ["type", "title", "body"] : ["type", "title", "body", "file_name", "file_type"]
        if !Set(push.keys).isSubset(of: allowed) { problems.append("fields \(push.keys.sorted())") }
        if push["type"] != (files.isEmpty ? "note" : "file") { problems.append("type \(String(describing: push["type"])) for \(files.count) files") }
        if let file = files.first, push["file_name"] != .string(file.filename) || push["file_type"] != .string(file.mimeType) {
            problems.append("file \(String(describing: push["file_name"])) for \(file.filename)")
        }
        if files.count > 1 { problems.append("\(files.count) files in one push") }
        let title: String? = if case .heading(1, let content)? = document.blocks.first { content.plainText } else { nil }
        if push["title"] != title.map(JSONValue.string) { problems.append("title \(String(describing: push["title"]))") }
        if document.blocks.dropFirst().contains(where: { if case .heading = $0 { true } else { false } }) { problems.append("a heading in the body") }
        if push["body"] != .string(Self.expectedBody(document)) { problems.append("body \(String(describing: push["body"]))\nexpected \(Self.expectedBody(document).debugDescription)") }
        if rendering.fittedDocument.blocks.flatMap(\.runs).contains(where: { !$0.style.isPlain }) { problems.append("a styled run reached the renderer") }
        return problems
    }

    @Test("every golden case: title, plain body and at most one file, as the fitted document", arguments: GoldenCase.all)
    func golden(_ golden: GoldenCase) throws {
        let problems = try Self.problems(in: PushbulletRenderer().render(golden.message()))
        #expect(problems.isEmpty, "\(golden.name): \(problems.joined(separator: "\n"))")
    }

    @Test("every hostile string, in every place a sender can put text, arrives literally", arguments: HostileCorpus.entries)
    func hostile(_ entry: HostileCorpus.Entry) throws {
        let problems = try Self.problems(in: PushbulletRenderer().render(HostileCorpus.message(carrying: entry.text).message))
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test("random and long random messages are one push each", arguments: [UInt64(1), 2, 3, 4])
    func random(seed: UInt64) throws {
        var random = RandomMessages(seed: seed)
        for index in 0..<60 {
            let problems = try Self.problems(in: PushbulletRenderer().render(index % 4 == 3 ? random.longMessage() : random.message()))
            #expect(problems.isEmpty, "seed \(seed) message \(index): \(problems.joined(separator: "\n"))")
        }
    }

    @Test("a note: title, body with links as URLs; styles reported lost")
    func note() throws {
        var message = try NotificationMessage(title: "Print done", event: "PrintDone")
        try message.addText("Benchy", bold: true)
        try message.addText(" took 1 h; ")
        try message.addText("timelapse", link: "https://farm.example/t/1")
        let rendering = try PushbulletRenderer().render(message)
        #expect(rendering.payload.json == ["type": "note", "title": "Print done", "body": "Benchy took 1 h; timelapse (https://farm.example/t/1)"])
        #expect(rendering.degradations.map(\.kind) == [.styleNotShown, .linkShownAsText])
    }

    @Test("one file per push, any type; a second file and a file over 26,214,400 bytes are named instead")
    func files() throws {
        var message = try NotificationMessage(title: "Print failed")
        try message.addText("Spaghetti")
        try message.addAttachment(data: Data([1, 2, 3]), filename: "gcode.txt", mimeType: "text/plain")
        try message.addAttachment(data: Data([4]), filename: "cam.jpg", mimeType: "image/jpeg")
        let rendering = try PushbulletRenderer().render(message)
        #expect(rendering.payload.json == [
            "type": "file", "title": "Print failed", "file_name": "gcode.txt", "file_type": "text/plain",
            "body": "Spaghetti\n\n📎 cam.jpg (image/jpeg, 1 byte)",
        ])
        #expect(rendering.degradations.map(\.message) == ["only one file per Pushbullet push; its name is shown instead"])
        var large = try NotificationMessage()
        try large.addAttachment(data: Data(count: 26_214_401), filename: "video.mp4", mimeType: "video/mp4", maximumBytes: 27_000_000)
        let largeRendering = try PushbulletRenderer().render(large)
        #expect(largeRendering.payload.json == ["type": "note", "body": "📎 video.mp4 (video/mp4, 25.0 MiB)"])
        #expect(largeRendering.degradations.map(\.message) == ["file over Pushbullet's 26214400 bytes; its name is shown instead"])
    }
}
