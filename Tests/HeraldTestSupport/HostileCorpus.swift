import Foundation
import Herald

/// The hostile strings of `Tests/Resources/hostile-strings.txt`, grouped by their comment headers.
public enum HostileCorpus {
    /// One string and the group it belongs to.
    public struct Entry: Sendable, CustomStringConvertible {
        /// The group header, e.g. `HTML and XSS vectors`.
        public let group: String
        /// The string, escapes resolved.
        public let text: String
        /// The line in the file.
        public let line: Int
        /// `line N: "text"`.
        public var description: String { "line \(line): \(text.debugDescription)" }
    }

    /// Every entry, in file order.
    public static let entries: [Entry] = {
        let url = RepositoryPaths.root.appendingPathComponent("Tests/Resources/hostile-strings.txt")
        guard let contents = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        var group = ""
        var entries: [Entry] = []
        for (index, line) in contents.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.hasPrefix("# ") {
                group = String(line.dropFirst(2))
            } else if !line.isEmpty {
                entries.append(Entry(group: group, text: unescaped(line), line: index + 1))
            }
        }
        return entries
    }()

    /// Resolves `\n`, `\r`, `\t`, `\\` and `\u{HEX}`; any other backslash stays as written.
    static func unescaped(_ line: Substring) -> String {
        var result = String.UnicodeScalarView()
        var scalars = line.unicodeScalars[...]
        while let scalar = scalars.popFirst() {
            guard scalar == "\\", let next = scalars.first else {
                result.append(scalar)
                continue
            }
            switch next {
            case "n": result.append("\n"); scalars.removeFirst()
            case "r": result.append("\r"); scalars.removeFirst()
            case "t": result.append("\t"); scalars.removeFirst()
            case "\\": result.append("\\"); scalars.removeFirst()
            case "u":
                let rest = String(String.UnicodeScalarView(scalars))
                if rest.hasPrefix("u{"), let close = rest.firstIndex(of: "}"),
                    let value = UInt32(rest[rest.index(rest.startIndex, offsetBy: 2)..<close], radix: 16),
                    let decoded = Unicode.Scalar(value)
                {
                    result.append(decoded)
                    scalars.removeFirst(rest.distance(from: rest.startIndex, to: close) + 1)
                } else {
                    result.append(scalar)
                }
            default:
                result.append(scalar)
            }
        }
        return String(result)
    }

    /// A message carrying `text` everywhere a sender can put text: title, a text run, a link's text, a tag, a
    /// table title, a header and a body cell (in a table of their own, as they take line breaks and the title does
    /// not), a code block and an attachment's file name. Places that refuse the string (a line
    /// break in a title, a slash in a file name) are left out; `refusals` lists them with the error Herald gave.
    public static func message(carrying text: String) -> (message: NotificationMessage, refusals: [MessageError]) {
        var refusals: [MessageError] = []
        func attempt(_ body: () throws(MessageError) -> Void) {
            do throws(MessageError) { try body() } catch { refusals.append(error) }
        }
        var message = try! NotificationMessage()
        attempt { () throws(MessageError) in try message.setTitle(text) }
        attempt { () throws(MessageError) in try message.addText(text) }
        attempt { () throws(MessageError) in try message.addText(" | ") }
        attempt { () throws(MessageError) in try message.addText(text, link: "https://example.org/x") }
        attempt { () throws(MessageError) in try message.addTags([text]) }
        attempt { () throws(MessageError) in try message.addTable(title: text, columns: ["value"], rows: [["x"]]) }
        attempt { () throws(MessageError) in try message.addTable(columns: ["value", text], rows: [[text, "x"]]) }
        attempt { () throws(MessageError) in try message.addCode(text) }
        attempt { () throws(MessageError) in try message.addAttachment(data: Data([1]), filename: text, mimeType: "application/octet-stream") }
        return (message, refusals)
    }
}
