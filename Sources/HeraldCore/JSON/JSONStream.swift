/// Writes compact JSON straight into bytes, exactly as ``JSONWriter`` writes the equivalent ``JSONValue``, for an
/// encoder that knows its keys: it skips building a tree of dictionaries only to sort and write it.
///
/// The encoder must give each object's keys in code-point order, as ``JSONWriter`` sorts them (debug builds
/// check it). Commas are placed automatically.
package struct JSONStream {
    /// The bytes written so far.
    package private(set) var bytes: [UInt8] = []
    /// For each open array or object, whether nothing has been written in it yet.
    private var isEmpty: [Bool] = []
    #if DEBUG
    /// For each open object, the last key written, to check the order.
    private var lastKeys: [String] = []
    #endif

    /// An empty stream.
    package init() {
        bytes.reserveCapacity(512)
    }

    /// Makes room for `count` bytes in all, so that a long payload grows in one step.
    package mutating func reserveCapacity(_ count: Int) {
        bytes.reserveCapacity(count)
    }

    /// Starts an object (as a value: after a key, in an array, or at the top).
    package mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        isEmpty.append(true)
        #if DEBUG
        lastKeys.append("")
        #endif
    }

    /// Ends the innermost object.
    package mutating func endObject() {
        isEmpty.removeLast()
        #if DEBUG
        lastKeys.removeLast()
        #endif
        bytes.append(UInt8(ascii: "}"))
    }

    /// Starts an array.
    package mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        isEmpty.append(true)
    }

    /// Ends the innermost array.
    package mutating func endArray() {
        isEmpty.removeLast()
        bytes.append(UInt8(ascii: "]"))
    }

    /// Writes a member's key; its value follows.
    package mutating func key(_ key: String) {
        #if DEBUG
        precondition(lastKeys.last!.utf8.lexicographicallyPrecedes(key.utf8), "JSONStream: key \(key) after \(lastKeys.last!)")
        lastKeys[lastKeys.count - 1] = key
        #endif
        separate()
        JSONWriter.writeString(key, into: &bytes)
        bytes.append(UInt8(ascii: ":"))
        isEmpty[isEmpty.count - 1] = true  // the value needs no comma before it
    }

    /// Writes a string value.
    package mutating func string(_ text: String) {
        separate()
        JSONWriter.writeString(text, into: &bytes)
    }

    /// Starts a string value written in pieces (``appendToString(_:)``).
    package mutating func beginString() {
        separate()
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends `text`, escaped, to the string begun with ``beginString()``.
    package mutating func appendToString(_ text: String) {
        JSONWriter.appendEscaped(text, into: &bytes)
    }

    /// Ends the string begun with ``beginString()``.
    package mutating func endString() {
        bytes.append(UInt8(ascii: "\""))
    }

    /// Writes `true` or `false`.
    package mutating func bool(_ flag: Bool) {
        separate()
        bytes.append(contentsOf: (flag ? "true" : "false").utf8)
    }

    /// Writes `null`.
    package mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
    }

    /// Writes a member whose value is a string.
    package mutating func member(_ key: String, _ text: String) {
        self.key(key)
        string(text)
    }

    /// Writes a member whose value is `true` or `false`.
    package mutating func member(_ key: String, _ flag: Bool) {
        self.key(key)
        bool(flag)
    }

    /// A comma before every value but the first of its array or object; marks the container as not empty.
    private mutating func separate() {
        guard let last = isEmpty.indices.last else { return }
        if isEmpty[last] {
            isEmpty[last] = false
        } else {
            bytes.append(UInt8(ascii: ","))
        }
    }
}
