import Foundation
import Herald
import HeraldCLI
import HeraldTestSupport
import Testing

@Suite("herald render and notify: input caps and where attachments may come from")
struct InputLimitsCLITests {
    static let limit = MessageDecodingOptions.defaultMaximumMessageBytes

    /// A fresh directory, its path resolved, removed after `body`.
    func withDirectory(_ body: (URL) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("herald-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await body(directory.resolvingSymlinksInPath())
    }

    /// Asserts one `error:` line equal to `error`, the status, and nothing on standard output.
    func expectRefused(_ result: CapturedCommand, _ status: HeraldExitStatus, _ error: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == status, sourceLocation: sourceLocation)
        #expect(result.output.isEmpty, sourceLocation: sourceLocation)
        #expect(result.error == "error: \(error)\n", sourceLocation: sourceLocation)
    }

    @Test("standard input over the cap is refused with exit 65, at the cap it is read")
    func standardInputCap() async {
        let message = #"{"parts": [{"type": "text", "text": "x"}]}"#
        let atCap = message + String(repeating: " ", count: Self.limit - message.utf8.count)
        let accepted = await CapturedCommand.run(["render", "--service", "markdown", "--payload", "-"], input: atCap)
        #expect(accepted.status == .success)
        #expect(accepted.outputText == "x\n")
        let refused = await CapturedCommand.run(["render", "--service", "markdown", "--payload", "-"], input: atCap + " ")
        expectRefused(refused, .invalidInput, "<stdin>: the message is larger than the limit of \(Self.limit) bytes")
    }

    @Test("a message file over the cap is refused by its size before it is read, exit 66; so is an endless one")
    func fileCap() async throws {
        try await withDirectory { directory in
            let big = directory.appendingPathComponent("big.json")
            #expect(FileManager.default.createFile(atPath: big.path, contents: nil))
            let handle = try FileHandle(forWritingTo: big)
            try handle.truncate(atOffset: UInt64(Self.limit + 1))  // sparse: no disk space, no bytes to read
            try handle.close()
            let refused = await CapturedCommand.run(["render", "big.json"], in: directory)
            expectRefused(refused, .unreadableInput, "big.json: the message file is larger than the limit of \(Self.limit) bytes")
        }
        let endless = await CapturedCommand.run(["render", "/dev/zero"])
        expectRefused(endless, .unreadableInput, "/dev/zero: the message file is larger than the limit of \(Self.limit) bytes")
    }

    @Test("an attachment path outside the message's directory is refused, naming the part, exit 65")
    func attachmentOutside() async throws {
        try await withDirectory { directory in
            let messages = directory.appendingPathComponent("messages")
            try FileManager.default.createDirectory(at: messages, withIntermediateDirectories: true)
            try Data("SECRET".utf8).write(to: directory.appendingPathComponent("secret.txt"))
            try FileManager.default.createSymbolicLink(
                atPath: messages.appendingPathComponent("env.txt").path, withDestinationPath: "/proc/self/environ")
            for path in ["../secret.txt", "/proc/self/environ", "env.txt"] {
                try #"{"parts": [{"type": "attachment", "path": "\#(path)"}]}"#.write(
                    to: messages.appendingPathComponent("message.json"), atomically: true, encoding: .utf8)
                let result = await CapturedCommand.run(["render", "messages/message.json"], in: directory)
                expectRefused(
                    result, .invalidInput,
                    "messages/message.json: parts[0].path: attachment file \"\(path)\" is outside the directories attachments may come from (the message's directory and the attachment roots)")
            }
            // From standard input, the current directory is the message's directory.
            let fromStandardInput = await CapturedCommand.run(
                ["render", "--service", "signal", "--payload", "-"], input: #"{"parts": [{"type": "attachment", "path": "secret.txt"}]}"#,
                in: directory)
            #expect(fromStandardInput.status == .success)
            #expect(fromStandardInput.outputText.contains("U0VDUkVU"))  // "SECRET" in base64
        }
    }

    @Test("herald notify also takes attachments from the destinations file's attachment_roots, relative to it")
    func notifyAttachmentRoots() async throws {
        try await withDirectory { directory in
            for name in ["plots", "private", "messages"] {
                try FileManager.default.createDirectory(at: directory.appendingPathComponent(name), withIntermediateDirectories: true)
            }
            try Data("PLOT".utf8).write(to: directory.appendingPathComponent("plots/scan.png"))
            try Data("KEY".utf8).write(to: directory.appendingPathComponent("private/key.txt"))
            let configuration = """
                outbox: outbox.sqlite
                attachment_roots: [plots]
                services:
                  markdown:
                    scopes:
                      chat: {url_env: INPUT_LIMITS_HOOK}
                """
            try configuration.write(to: directory.appendingPathComponent("herald.yaml"), atomically: true, encoding: .utf8)
            let variables = ["INPUT_LIMITS_HOOK": "http://127.0.0.1:9/hook"]
            func herald(_ arguments: [String], input: String = "") async -> CapturedCommand {
                await CapturedCommand.run(arguments, input: input, in: directory, variables: variables)
            }
            #expect(await herald(["routes", "set", "PrintDone", "markdown", "chat"]).status == .success)
            let inRoot = await herald(
                ["notify", "--queue-only", "PrintDone", "-"], input: #"{"parts": [{"type": "attachment", "path": "plots/scan.png"}]}"#)
            #expect(inRoot.status == .success, "\(inRoot.error)")
            let outside = await herald(
                ["notify", "--queue-only", "PrintDone", "-"], input: #"{"parts": [{"type": "attachment", "path": "private/key.txt"}]}"#)
            #expect(outside.status == .success, "the current directory is standard input's message directory")
            try Data(#"{"parts": [{"type": "attachment", "path": "../private/key.txt"}]}"#.utf8)
                .write(to: directory.appendingPathComponent("messages/message.json"))
            let refused = await herald(["notify", "--queue-only", "PrintDone", "messages/message.json"])
            expectRefused(
                refused, .invalidInput,
                "messages/message.json: parts[0].path: attachment file \"../private/key.txt\" is outside the directories attachments may come from (the message's directory and the attachment roots)")
            try Data(#"{"parts": [{"type": "attachment", "path": "../plots/scan.png"}]}"#.utf8)
                .write(to: directory.appendingPathComponent("messages/message.json"))
            #expect(await herald(["notify", "--queue-only", "PrintDone", "messages/message.json"]).status == .success)

            try (configuration.replacingOccurrences(of: "[plots]", with: "[missing]"))
                .write(to: directory.appendingPathComponent("herald.yaml"), atomically: true, encoding: .utf8)
            let missingRoot = await herald(["notify", "--queue-only", "PrintDone", "messages/message.json"])
            #expect(missingRoot.status == .configurationError)
            #expect(missingRoot.error.contains("attachment_roots[0]: \"\(directory.path)/missing\" is not a directory"))
        }
    }

    @Test("a 100,000-character value makes a short error line")
    func shortErrorLine() async {
        let sticker = String(repeating: "f", count: 100_000)
        let result = await CapturedCommand.run(["render", "-"], input: #"{"parts": [{"type": "sticker", "sticker_id": "\#(sticker)"}]}"#)
        #expect(result.status == .invalidInput)
        #expect(result.error.hasPrefix("error: <stdin>: parts[0].sticker_id: \"" + String(repeating: "f", count: 80) + "… (99920 more characters)\" is not a sticker reference"))
        #expect(result.error.utf8.count < 300)
    }
}
