import Foundation  // memchr

/// A set of byte values, for scanning UTF-8 text fast: escaping and splitting look for a few special bytes and
/// copy the long stretches between them whole.
///
/// ``firstIndex(in:from:)`` skips eight bytes at a time while none of them is a member, and looks at single bytes
/// only near a member. Membership is a table lookup, and eight lookups are combined without a branch between
/// them. A set of bytes below a bound and a few exact values can instead be tested on eight bytes at once with a
/// handful of word operations (see ``init(below:values:_:)``), which is cheaper still.
package struct ByteSet: Sendable {
    /// One flag per byte value: 1 for a member, 0 for the others (numbers, so that flags combine with `|`).
    private let members: [UInt8]
    /// The word test's bound: every byte below it is a candidate (at most 0x80).
    private let candidatesBelow: UInt8
    /// The word test's exact candidates, each repeated in all eight bytes of a word.
    private let candidateWords: [UInt64]
    /// Whether the word test describes a superset of the members; otherwise eight table lookups are combined.
    private let hasWordTest: Bool

    /// The bytes for which `isMember` is true.
    package init(_ isMember: (UInt8) -> Bool) {
        members = (0...255).map { isMember(UInt8($0)) ? 1 : 0 }
        candidatesBelow = 0
        candidateWords = []
        hasWordTest = false
    }

    /// The bytes for which `isMember` is true, each of which must be below `bound` (at most 0x80) or one of
    /// `values`: eight bytes that hold none of those are skipped after a few word operations.
    package init(below bound: UInt8, values: [UInt8] = [], _ isMember: (UInt8) -> Bool) {
        precondition(bound <= 0x80, "the word test finds bytes below at most 0x80")
        for byte in UInt8.min...UInt8.max where isMember(byte) {
            precondition(byte < bound || values.contains(byte), "\(byte) escapes the word test")
        }
        members = (0...255).map { isMember(UInt8($0)) ? 1 : 0 }
        candidatesBelow = bound
        candidateWords = values.map { Self.repeated($0) }
        hasWordTest = true
    }

    /// Whether `byte` is in the set.
    package func contains(_ byte: UInt8) -> Bool {
        members[Int(byte)] != 0
    }

    /// The offset of the first byte of `bytes` at or after `start` that is in the set, or `bytes.count`.
    package func firstIndex(in bytes: UnsafeBufferPointer<UInt8>, from start: Int = 0) -> Int {
        guard let base = bytes.baseAddress else { return bytes.count }
        return members.withUnsafeBufferPointer { table in
            candidateWords.withUnsafeBufferPointer { candidates in
                firstIndex(in: bytes, from: start, base: base, table: table, candidates: candidates)
            }
        }
    }

    /// Appends `bytes` to `output` with `escape` before each member, in one pass without a branch per byte: each
    /// byte is written after a speculative `escape`, which the next write overwrites unless the byte is a member.
    /// For sets whose members are common in text (Markdown's punctuation), where skipping to the next member gains
    /// little.
    package func appendEscaping(_ bytes: UnsafeBufferPointer<UInt8>, with escape: UInt8, to output: inout [UInt8]) {
        let chunkSize = 256  // a scratch of 512 bytes, which stays on the stack
        members.withUnsafeBufferPointer { table in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 2 * chunkSize) { chunk in
                var start = 0
                while start < bytes.count {
                    let end = min(start + chunkSize, bytes.count)
                    var written = 0
                    // At most two bytes per byte read: `written` stays below `2 * chunkSize`.
                    for index in start..<end {
                        let byte = bytes[index]
                        chunk[written] = escape
                        written &+= Int(table[Int(byte)])
                        chunk[written] = byte
                        written &+= 1
                    }
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[..<written]))
                    start = end
                }
            }
        }
    }

    /// ``firstIndex(in:from:)`` with the tables at hand, so that the loop touches no array.
    private func firstIndex(
        in bytes: UnsafeBufferPointer<UInt8>, from start: Int, base: UnsafePointer<UInt8>, table: UnsafeBufferPointer<UInt8>,
        candidates: UnsafeBufferPointer<UInt64>
    ) -> Int {
        var index = start
        while index < bytes.count {
            // Eight bytes at a time. Every subscript is in bounds: `index + 8 <= bytes.count`, and a byte indexes
            // one of 256 flags; the load reads those same eight bytes, from any alignment.
            if index + 8 <= bytes.count {
                let noMember: Bool
                if hasWordTest {
                    let word = UnsafeRawPointer(base).loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    noMember = !mayHoldMember(word, candidates)
                } else {
                    let flags = table[Int(bytes[index])] | table[Int(bytes[index + 1])] | table[Int(bytes[index + 2])]
                        | table[Int(bytes[index + 3])] | table[Int(bytes[index + 4])] | table[Int(bytes[index + 5])]
                        | table[Int(bytes[index + 6])] | table[Int(bytes[index + 7])]
                    noMember = flags == 0
                }
                if noMember {
                    index += 8
                    continue
                }
            }
            // Near a member (or in the last few bytes): byte by byte.
            let end = min(index + 8, bytes.count)
            while index < end {
                if table[Int(bytes[index])] != 0 { return index }
                index += 1
            }
        }
        return bytes.count
    }

    /// Whether any of the eight bytes of `word` may be a member (see ``init(below:values:_:)``), with the classic
    /// tests: some byte of `w` is below `n` (at most 0x80) iff `(w - n·0x0101…) & ~w & 0x8080…` is not zero; some
    /// byte equals `v` iff some byte of `w ^ v·0x0101…` is below 1.
    private func mayHoldMember(_ word: UInt64, _ candidates: UnsafeBufferPointer<UInt64>) -> Bool {
        let highBits: UInt64 = 0x8080_8080_8080_8080
        if (word &- Self.repeated(candidatesBelow)) & ~word & highBits != 0 { return true }
        for candidate in candidates {
            let difference = word ^ candidate
            if (difference &- Self.repeated(1)) & ~difference & highBits != 0 { return true }
        }
        return false
    }

    /// `byte` in all eight bytes of a word.
    private static func repeated(_ byte: UInt8) -> UInt64 {
        UInt64(byte) &* 0x0101_0101_0101_0101
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

    /// The number of characters, as `count` gives it, counted on UTF-8 bytes where that is safe.
    ///
    /// In text made only of scalars below U+0300 (ASCII, Latin-1 and Latin Extended, all encoded with lead bytes
    /// below `CC`), no grapheme cluster rule joins two scalars but CR LF, so without carriage returns every scalar
    /// is a character, and counting the bytes that start a scalar counts the characters. Any other text is
    /// counted by the standard library's grapheme breaking, which is much slower.
    package var characterCount: Int {
        let scalarCount: Int? = withUTF8Bytes { bytes in
            var continuationBytes = 0
            var index = 0
            if let base = bytes.baseAddress {
                // Eight bytes at a time (each load reads bytes `index` ..< `index + 8`, inside `bytes`, from any
                // alignment): a continuation byte is `10xxxxxx`, so its high bit is set and the next one clear;
                // the tests for a byte above `CB` and for CR are those of `ByteSet`'s word test.
                let highBits: UInt64 = 0x8080_8080_8080_8080
                while index + 8 <= bytes.count {
                    let word = UnsafeRawPointer(base).loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    let carriageReturns = word ^ 0x0D0D_0D0D_0D0D_0D0D
                    let aboveCB = (~word &- 0x3434_3434_3434_3434) & word & highBits
                    if aboveCB != 0 || (carriageReturns &- 0x0101_0101_0101_0101) & ~carriageReturns & highBits != 0 {
                        return nil
                    }
                    continuationBytes += (word & ~(word << 1) & highBits).nonzeroBitCount
                    index += 8
                }
            }
            for byte in bytes[index...] {
                if byte >= 0xCC || byte == UInt8(ascii: "\r") { return nil }
                if byte & 0xC0 == 0x80 { continuationBytes += 1 }
            }
            return bytes.count - continuationBytes
        }
        return scalarCount ?? count
    }

    /// Whether the text holds a line feed, found on UTF-8 bytes.
    package var containsLineFeed: Bool {
        withUTF8Bytes { bytes in bytes.firstOffset(of: UInt8(ascii: "\n")) != nil }
    }

    /// The text between line feeds: one slice more than there are line feeds, empty ones included. Cut on UTF-8
    /// bytes: a line feed never occurs inside another character's encoding.
    package func lineFeedSeparated() -> [Substring] {
        withUTF8Bytes { bytes in
            var slices: [Substring] = []
            var start = 0
            while let lineFeed = bytes.firstOffset(of: UInt8(ascii: "\n"), from: start) {
                slices.append(slice(utf8Offsets: start..<lineFeed))
                start = lineFeed + 1
            }
            slices.append(slice(utf8Offsets: start..<bytes.count))
            return slices
        }
    }

    /// The text between the UTF-8 offsets of `range`, which must lie at scalar boundaries (next to an ASCII byte,
    /// say). A `String` made of it copies the bytes without validating them again, unlike `String(decoding:as:)`.
    package func slice(utf8Offsets range: Range<Int>) -> Substring {
        let start = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)  // O(1) in a native string
        let end = utf8.index(start, offsetBy: range.count)
        return self[start..<end]
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// The offset of the first `byte` at or after `start`, or `nil`: C's `memchr`, which compares many bytes at
    /// once, for a byte that is rare in text (a line feed, a carriage return).
    package func firstOffset(of byte: UInt8, from start: Int = 0) -> Int? {
        guard let base = baseAddress, start < count, let found = memchr(base + start, Int32(byte), count - start) else {
            return nil
        }
        return UnsafeRawPointer(found) - UnsafeRawPointer(base)
    }
}
