import Foundation
import HeraldCore
import Testing

/// A fresh directory under the temporary directory, with its path resolved (no symbolic links).
func makeTemporaryDirectory() throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("herald-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory.resolvingSymlinksInPath()
}

@Suite("Caps on message input, and the values quoted in errors")
struct InputCapsTests {
    /// The reason a message is refused with, or `nil` if it is read.
    func refusal(_ json: String, _ options: MessageDecodingOptions = .init()) -> String? {
        do throws(MessageInputError) {
            _ = try NotificationMessage(json: Array(json.utf8), options: options)
            return nil
        } catch {
            return error.description
        }
    }

    @Test("a message over the size cap is refused before it is parsed")
    func messageSize() {
        let json = #"{"parts": [{"type": "text", "text": "0123456789"}]}"#
        let options = MessageDecodingOptions(maximumMessageBytes: json.utf8.count - 1)
        #expect(refusal(json, options) == "the message has \(json.utf8.count) bytes; the limit is \(json.utf8.count - 1)")
        #expect(refusal(json, MessageDecodingOptions(maximumMessageBytes: json.utf8.count)) == nil)
        // Not parsed: malformed JSON over the cap is refused for its size, not for its syntax.
        #expect(refusal("{" + String(repeating: " ", count: 100), MessageDecodingOptions(maximumMessageBytes: 100))?.hasPrefix("the message has") == true)
        #expect(MessageDecodingOptions().maximumMessageBytes == 32 * 1024 * 1024)
    }

    @Test("a 10 MB message of escapes and non-ASCII characters decodes to exactly what was written")
    func longMessageRoundTrip() throws {
        let line = "scan 12: samx 1.25 µm at 21.4 °C, gap 8.52 Å \"ok\" in C:\\data\t👋🏾\r\n"
        var message = try NotificationMessage(title: "Log", event: "scan_completed")
        try message.addText(String(repeating: line, count: 10_000_000 / line.utf8.count), bold: true)
        let json = Array(message.jsonString().utf8)
        #expect(json.count > 10_000_000)
        #expect(try NotificationMessage(json: json) == message)
    }

    @Test("base64 too long for the attachment cap is refused by its length, before it is decoded")
    func base64Length() {
        func attachment(_ data: String) -> String {
            #"{"parts": [{"type": "attachment", "filename": "a.bin", "mime_type": "application/octet-stream", "data": "\#(data)"}]}"#
        }
        let options = MessageDecodingOptions(maximumAttachmentBytes: 6)
        #expect(refusal(attachment("AAAAAAAA"), options) == nil)  // 6 bytes
        #expect(refusal(attachment("AAAAAAAAAA=="), options) == "parts[0].data: has 12 characters of base64, which decode to at least 7 bytes; the limit is 6")
        // Not decoded: a long string that is not base64 at all is refused for its length.
        let long = String(repeating: "!", count: 4_000)
        #expect(refusal(attachment(long), options)?.contains("has 4000 characters of base64") == true)
        #expect(refusal(attachment("AAAAAA=="), options) == nil)  // 4 bytes, padded
    }

    @Test("a long value in an error is shortened, and its control characters escaped")
    func shortenedValues() {
        let long = "\u{1B}]0;owned\u{7}" + String(repeating: "x", count: 100_000)
        let json = JSONWriter().string(.string(long))  // the value as a JSON string literal
        let png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
        let messages = [
            #"{"format": \#(json)}"#,
            #"{"event": " \#(json.dropFirst())}"#,
            #"{"\#(json.dropFirst().dropLast())": 1}"#,
            #"{"parts": [{"type": \#(json)}]}"#,
            #"{"parts": [{"type": "text", "text": "x", "color": \#(json)}]}"#,
            #"{"parts": [{"type": "text", "text": "x", "link": \#(json)}]}"#,
            #"{"parts": [{"type": "text", "text": "x", "link": "https://\#(json.dropFirst())}]}"#,
            #"{"parts": [{"type": "tags", "tags": [\#(json)]}]}"#,
            #"{"parts": [{"type": "sticker", "sticker_id": \#(json)}]}"#,
            #"{"parts": [{"type": "code", "source": "x", "language": \#(json)}]}"#,
            #"{"parts": [{"type": "attachment", "filename": "a.png", "mime_type": \#(json), "data": "\#(png)"}]}"#,
            #"{"parts": [{"type": "attachment", "path": \#(json)}]}"#,
        ]
        for message in messages {
            let reason = refusal(message, MessageDecodingOptions(baseDirectory: FileManager.default.temporaryDirectory.path))
            #expect(reason != nil, "\(message.prefix(60))")
            guard let reason else { continue }
            #expect(reason.utf8.count < 400, "\(reason.prefix(200))")
            #expect(!reason.unicodeScalars.contains { $0.properties.generalCategory == .control }, "\(reason.prefix(200))")
        }
    }

    @Test("the Swift builder shortens what it quotes too")
    func builderShortens() {
        let long = String(repeating: "y", count: 100_000)
        func reason(_ add: (inout NotificationMessage) throws(MessageError) -> Void) -> String {
            do throws(MessageError) {
                var message = try NotificationMessage()
                try add(&message)
                return ""
            } catch {
                return error.description
            }
        }
        var reasons = [
            reason { message throws(MessageError) in try message.addSticker(long) },
            reason { message throws(MessageError) in try message.addText("x", link: long) },
            reason { message throws(MessageError) in try message.addCode("x", language: long) },
            reason { message throws(MessageError) in try message.addTags([long + "\u{0}"]) },
        ]
        do throws(MessageError) { _ = try TextColor(validating: long) } catch { reasons.append(error.description) }
        for reason in reasons {
            #expect(reason.utf8.count < 300 && reason.contains("more characters)"), "\(reason.prefix(200))")
        }
    }
}

@Suite("Where attachment files may come from")
struct AttachmentFileRuleTests {
    /// A message directory with `scan.txt`, and beside it a directory `outside` with `secret.txt`.
    struct Layout {
        let root: URL
        var messageDirectory: URL { root.appendingPathComponent("message") }
        var outside: URL { root.appendingPathComponent("outside") }

        init() throws {
            root = try makeTemporaryDirectory()
            try FileManager.default.createDirectory(at: messageDirectory, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
            try Data("scan".utf8).write(to: messageDirectory.appendingPathComponent("scan.txt"))
            try Data("SECRET=1".utf8).write(to: outside.appendingPathComponent("secret.txt"))
        }

        /// Reads a message with one attachment `path`; the attachment's bytes, or the error.
        func attach(_ path: String, roots: [URL] = []) -> Result<Data, MessageInputError> {
            let json = #"{"parts": [{"type": "text", "text": "x"}, {"type": "attachment", "path": \#(JSONWriter().string(.string(path)))}]}"#
            let options = MessageDecodingOptions(baseDirectory: messageDirectory.path, attachmentRoots: roots.map(\.path))
            do throws(MessageInputError) {
                let message = try NotificationMessage(json: Array(json.utf8), options: options)
                guard case .attachment(let attachment) = message.parts.last else { return .success(Data()) }
                return .success(attachment.data)
            } catch {
                return .failure(error)
            }
        }
    }

    static let outsideReason = "is outside the directories attachments may come from (the message's directory and the attachment roots)"

    @Test("a file in the message's directory is attached, by relative or absolute path, and through a link inside it")
    func inside() throws {
        let layout = try Layout()
        defer { try? FileManager.default.removeItem(at: layout.root) }
        try FileManager.default.createDirectory(at: layout.messageDirectory.appendingPathComponent("plots"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: layout.messageDirectory.appendingPathComponent("plots/latest.txt").path, withDestinationPath: "../scan.txt")
        for path in ["scan.txt", "./plots/../scan.txt", layout.messageDirectory.appendingPathComponent("scan.txt").path, "plots/latest.txt"] {
            #expect(try layout.attach(path).get() == Data("scan".utf8), "\(path)")
        }
    }

    @Test("an absolute path, .. or a symbolic link leading out of the message's directory is refused, naming the part")
    func outside() throws {
        let layout = try Layout()
        defer { try? FileManager.default.removeItem(at: layout.root) }
        try FileManager.default.createSymbolicLink(
            atPath: layout.messageDirectory.appendingPathComponent("link.txt").path, withDestinationPath: "../outside/secret.txt")
        try FileManager.default.createSymbolicLink(
            atPath: layout.messageDirectory.appendingPathComponent("environ").path, withDestinationPath: "/proc/self/environ")
        let paths = [
            layout.outside.appendingPathComponent("secret.txt").path, "../outside/secret.txt", "link.txt", "/proc/self/environ",
            "environ", "/etc/passwd",
        ]
        for path in paths {
            #expect(throws: MessageInputError.invalidMessage(MessageError(path: "parts[1].path", reason: "attachment file \"\(path)\" \(Self.outsideReason)"))) {
                try layout.attach(path).get()
            }
        }
    }

    @Test("a directory the operator allows is a root: files in it are attached, links out of it are not")
    func roots() throws {
        let layout = try Layout()
        defer { try? FileManager.default.removeItem(at: layout.root) }
        let secret = layout.outside.appendingPathComponent("secret.txt").path
        #expect(try layout.attach(secret, roots: [layout.outside]).get() == Data("SECRET=1".utf8))
        #expect(try layout.attach("../outside/secret.txt", roots: [layout.outside]).get() == Data("SECRET=1".utf8))
        try FileManager.default.createSymbolicLink(
            atPath: layout.outside.appendingPathComponent("passwd").path, withDestinationPath: "/etc/passwd")
        #expect(throws: MessageInputError.self) { try layout.attach(layout.outside.appendingPathComponent("passwd").path, roots: [layout.outside]).get() }
    }

    @Test("a FIFO or a device is refused as not a regular file, without waiting on it")
    func notRegular() throws {
        let layout = try Layout()
        defer { try? FileManager.default.removeItem(at: layout.root) }
        let fifo = layout.messageDirectory.appendingPathComponent("pipe.txt").path
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(throws: MessageInputError.invalidMessage(MessageError(path: "parts[1].path", reason: "attachment \"pipe.txt\" is not a regular file (a device, FIFO or socket)"))) {
            try layout.attach("pipe.txt").get()
        }
        #expect(throws: MessageInputError.invalidMessage(MessageError(path: "parts[1].path", reason: "attachment \"/dev\" is a directory, not a file"))) {
            try layout.attach("/dev", roots: [URL(fileURLWithPath: "/")]).get()
        }
        #expect(throws: MessageInputError.invalidMessage(MessageError(path: "parts[1].path", reason: "attachment \"/dev/zero\" is not a regular file (a device, FIFO or socket)"))) {
            try layout.attach("/dev/zero", roots: [URL(fileURLWithPath: "/dev")]).get()
        }
    }

    @Test("the library's own path attachment reads a regular file within the cap, and nothing else")
    func libraryPath() throws {
        let layout = try Layout()
        defer { try? FileManager.default.removeItem(at: layout.root) }
        #expect(try Attachment(contentsOf: layout.outside.appendingPathComponent("secret.txt").path).data == Data("SECRET=1".utf8))
        #expect(throws: MessageError(path: "path", reason: "attachment \"/dev/zero\" is not a regular file (a device, FIFO or socket)")) {
            try Attachment(contentsOf: "/dev/zero")
        }
        #expect {
            try Attachment(contentsOf: layout.messageDirectory.appendingPathComponent("scan.txt").path, maximumBytes: 3)
        } throws: { error in
            (error as? MessageError)?.reason.hasSuffix("has 4 bytes; the limit is 3") == true
        }
    }
}
