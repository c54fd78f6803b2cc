/// A set of byte values, for scanning UTF-8 text fast: escaping and splitting look for a few special bytes and
/// copy the long stretches between them whole.
///
/// Membership is one table lookup, so ``firstIndex(in:from:)`` is a tight loop of a few instructions per byte.
package struct ByteSet: Sendable {
    /// One flag per byte value.
    private let members: [Bool]

    /// The bytes for which `isMember` is true.
    package init(_ isMember: (UInt8) -> Bool) {
        members = (0...255).map { isMember(UInt8($0)) }
    }

    /// Whether `byte` is in the set.
    package func contains(_ byte: UInt8) -> Bool {
        members[Int(byte)]
    }

    /// The offset of the first byte of `bytes` at or after `start` that is in the set, or `bytes.count`.
    package func firstIndex(in bytes: UnsafeBufferPointer<UInt8>, from start: Int = 0) -> Int {
        members.withUnsafeBufferPointer { table in
            var index = start
            // Both subscripts are in bounds: `index < bytes.count`, and a byte indexes one of 256 flags.
            while index < bytes.count, !table[Int(bytes[index])] { index += 1 }
            return index
        }
    }
}

extension String {
    /// Calls `body` with the string's UTF-8 bytes, without copying a native string.
    ///
    /// `withUTF8` is mutating (it first makes a bridged string contiguous), so this works on a copy, which
    /// shares the native string's storage.
    package func withUTF8Bytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        var text = self
        return try text.withUTF8(body)
    }

    /// The text between UTF-8 offsets `start` and `end`, which must lie at character (scalar) boundaries, such
    /// as next to an ASCII byte; copied without validating the bytes again, unlike `String(decoding:as:)`.
    package func slice(utf8Offsets range: Range<Int>) -> Substring {
        let start = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)  // O(1) in a native string
        let end = utf8.index(start, offsetBy: range.count)
        return self[start..<end]
    }
}
