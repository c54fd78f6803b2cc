import Foundation
import Herald
import HeraldSlack
import HeraldTestSupport

/// Runs `scripts/check_slack.py` (python3 with slack-sdk) on message bodies; tests that use it say
/// `.requires(.slackSDK)`.
enum SlackChecker {
    /// Checks the files at `paths`.
    static func run(_ paths: [String]) throws -> ExternalCommand {
        try ExternalCommand.run("python3", ["scripts/check_slack.py"] + paths)
    }

    /// Writes each body to a file of a fresh temporary folder and checks them all.
    static func run(bodies: [[UInt8]]) throws -> ExternalCommand {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("herald-slack-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var paths: [String] = []
        for (index, body) in bodies.enumerated() {
            let file = folder.appendingPathComponent("\(index).json")
            try Data(body).write(to: file)
            paths.append(file.path)
        }
        return try run(paths)
    }
}

/// What Slack shows for a rendering: each message read back by ``SlackPayloadReader``, and the messages joined as
/// the limits stage says they continue each other.
struct SlackReading {
    /// Each message as read.
    var messages: [Document]
    /// The messages joined.
    var joined: Document

    /// Reads `rendering`, the rendering of `message` by `renderer`.
    init(_ rendering: Rendering, of message: NotificationMessage, renderer: SlackRenderer = SlackRenderer()) throws {
        messages = try rendering.messages.map { try SlackPayloadReader.document(fromPayload: $0.payload.body) }
        let limited = try renderer.prepared(Document.lowering(message)).document.limited(to: renderer.limits, serviceName: "Slack")
        // A message carries no origins: nor does the separator joined back in.
        let joins = limited.joins.map { join -> LimitedDocument.Join in
            guard case .withinBlock(let separator?) = join else { return join }
            return .withinBlock(separator: TextRun(separator.text, style: separator.style))
        }
        joined = LimitedDocument.joined(messages, by: joins)
    }

    /// What the reading must give: the fitted document without what a message cannot carry.
    static func expected(_ rendering: Rendering) -> Document {
        SlackPayloadReader.expectedDocument(for: rendering.fittedDocument)
    }
}

extension String {
    /// The text Slack receives for `self` in a section of its own: its one message's first section.
    func sectionText(_ renderer: SlackRenderer = SlackRenderer()) throws -> String {
        var message = try NotificationMessage()
        try message.addText(self)
        return try renderer.render(message).sectionTexts[0]
    }
}

extension Rendering {
    /// The `mrkdwn` of every section of every message, in order.
    var sectionTexts: [String] {
        messages.flatMap { message -> [String] in
            guard case .object(let body) = message.payload.json, case .array(let blocks)? = body["blocks"] else { return [] }
            return blocks.compactMap { block in
                guard case .object(let members) = block, members["type"] == "section", case .object(let text)? = members["text"],
                    case .string(let mrkdwn)? = text["text"]
                else { return nil }
                return mrkdwn
            }
        }
    }

    /// The top-level `text` of every message.
    var fallbackTexts: [String] {
        messages.map { message in
            guard case .object(let body) = message.payload.json, case .string(let text)? = body["text"] else { return "" }
            return text
        }
    }
}
