/// Writes ``JSONValue``s deterministically: object keys sorted by code point, no insignificant whitespace
/// (unless pretty-printed), `/` and non-ASCII characters written as they are, control characters escaped.
public struct JSONWriter: Sendable {
    /// Whether to indent nested values by two spaces and put one member per line.
    public var prettyPrinted: Bool

    /// Creates a writer.
    public init(prettyPrinted: Bool = false) {
        self.prettyPrinted = prettyPrinted
    }

    /// The UTF-8 bytes of `value`.
    public func bytes(_ value: JSONValue) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        write(value, into: &output, depth: 0)
        return output
    }

    /// `value` as a string.
    public func string(_ value: JSONValue) -> String {
        String(decoding: bytes(value), as: UTF8.self)
    }

    private func write(_ value: JSONValue, into output: inout [UInt8], depth: Int) {
        switch value {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .integer(let number): output.append(contentsOf: String(number).utf8)
        case .double(let number): output.append(contentsOf: Self.format(number).utf8)
        case .string(let text): Self.writeString(text, into: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                newline(into: &output, depth: depth + 1)
                write(element, into: &output, depth: depth + 1)
            }
            if !elements.isEmpty { newline(into: &output, depth: depth) }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            // Sorted with their values, so that no key is hashed and looked up again.
            var sorted = members.map { Member(key: $0.key, value: $0.value) }
            sorted.sort { Self.precedes($0.key, $1.key) }
            for (index, member) in sorted.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                newline(into: &output, depth: depth + 1)
                Self.writeString(member.key, into: &output)
                output.append(UInt8(ascii: ":"))
                if prettyPrinted { output.append(UInt8(ascii: " ")) }
                write(member.value, into: &output, depth: depth + 1)
            }
            if !members.isEmpty { newline(into: &output, depth: depth) }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// An object member.
    private struct Member {
        let key: String
        let value: JSONValue
    }

    /// Whether `first` comes before `second` in code point order: UTF-8 preserves it, and comparing bytes is
    /// much cheaper than comparing scalars (or `<`, which orders canonically equivalent strings together).
    private static func precedes(_ first: String, _ second: String) -> Bool {
        first.withUTF8Bytes { first in
            second.withUTF8Bytes { second in
                for index in 0..<min(first.count, second.count) where first[index] != second[index] {
                    return first[index] < second[index]
                }
                return first.count < second.count
            }
        }
    }

    private func newline(into output: inout [UInt8], depth: Int) {
        guard prettyPrinted else { return }
        output.append(UInt8(ascii: "\n"))
        output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: depth * 2))
    }

    private static func format(_ number: Double) -> String {
        if number.isFinite, number.rounded() == number, abs(number) < 1e15 {
            return String(Int(number))
        }
        return number.isFinite ? "\(number)" : "null"
    }

    /// Appends `text` as a JSON string literal.
    static func writeString(_ text: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        appendEscaped(text, into: &output)
        output.append(UInt8(ascii: "\""))
    }

    /// Appends `text` escaped for a JSON string literal, without the quotes.
    static func appendEscaped(_ text: String, into output: inout [UInt8]) {
        text.withUTF8Bytes { bytes in
            // A long string (a message of megabytes) gets room for itself and some escapes in one step, which
            // spares it the copies, and the transient double memory, of growing the output step by step; growth
            // stays geometric, so many short strings do not reallocate each time.
            let needed = output.count + bytes.count + 1
            if needed > output.capacity {
                output.reserveCapacity(max(needed + bytes.count / 16 + 256, output.capacity * 2))
            }
            appendEscaped(bytes, to: &output)
        }
    }

    /// Appends UTF-8 `bytes` with `"`, `\\` and control characters escaped: stretches that need no escape are
    /// copied whole, which is what keeps long texts fast.
    private static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        var copiedUpTo = 0
        var index = escapedBytes.firstIndex(in: bytes)
        while index < bytes.count {
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copiedUpTo..<index]))
            output.append(UInt8(ascii: "\\"))
            let byte = bytes[index]
            switch byte {
            case 0x0A: output.append(UInt8(ascii: "n"))
            case 0x0D: output.append(UInt8(ascii: "r"))
            case 0x09: output.append(UInt8(ascii: "t"))
            case 0x00..<0x20:
                output.append(contentsOf: "u00".utf8)
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0xF)])
            default: output.append(byte)  // a quote or a backslash
            }
            copiedUpTo = index + 1
            index = escapedBytes.firstIndex(in: bytes, from: copiedUpTo)
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copiedUpTo...]))
    }

    private static let escapedBytes = ByteSet(below: 0x20, values: [UInt8(ascii: "\""), UInt8(ascii: "\\")]) {
        $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\")
    }
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
