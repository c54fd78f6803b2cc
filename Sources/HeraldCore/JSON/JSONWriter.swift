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
        // Reserving the whole output up front spares a large payload the copies (and the transient double
        // memory) of growing the array step by step.
        output.reserveCapacity(Self.estimatedByteCount(of: value))
        write(value, into: &output, depth: 0)
        return output
    }

    /// The size of `value` written compactly, plus room for some escapes; cheap, since a native string knows its
    /// UTF-8 length.
    private static func estimatedByteCount(of value: JSONValue) -> Int {
        switch value {
        case .null, .bool, .integer, .double: return 24
        case .string(let text): return text.utf8.count + text.utf8.count / 16 + 2
        case .array(let elements): return elements.reduce(2) { $0 + estimatedByteCount(of: $1) + 1 }
        case .object(let members):
            return members.reduce(2) { $0 + $1.key.utf8.count + estimatedByteCount(of: $1.value) + 4 }
        }
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
            // UTF-8 preserves code point order, and comparing bytes is cheaper than comparing scalars.
            let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (index, key) in keys.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                newline(into: &output, depth: depth + 1)
                Self.writeString(key, into: &output)
                output.append(UInt8(ascii: ":"))
                if prettyPrinted { output.append(UInt8(ascii: " ")) }
                write(members[key]!, into: &output, depth: depth + 1)
            }
            if !members.isEmpty { newline(into: &output, depth: depth) }
            output.append(UInt8(ascii: "}"))
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
        text.withUTF8Bytes { appendEscaped($0, to: &output) }
        output.append(UInt8(ascii: "\""))
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
