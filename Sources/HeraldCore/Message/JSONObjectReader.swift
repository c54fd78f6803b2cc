/// Typed, path-aware access to the members of one JSON object, for decoding messages.
package struct JSONObjectReader {
    package let members: [String: JSONValue]
    package let path: String

    package init(_ value: JSONValue, path: String) throws(MessageError) {
        guard case .object(let members) = value else {
            throw MessageError(path: path, reason: "expected an object, found \(value.typeDescription)")
        }
        self.members = members
        self.path = path
    }

    /// Refuses members not in `allowed`, naming the first unknown one (in sorted order, for stable errors).
    package func allowOnly(_ allowed: [String]) throws(MessageError) {
        if let unknown = members.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw MessageError(path: child(displayable(unknown, limit: echoedValueLimit)), reason: "unknown member; expected one of \(allowed.joined(separator: ", "))")
        }
    }

    package func has(_ key: String) -> Bool { members[key] != nil }

    package func string(_ key: String) throws(MessageError) -> String? {
        switch members[key] {
        case nil: return nil
        case .string(let text): return text
        case let other?: throw typeError(key, expected: "a string", found: other)
        }
    }

    package func bool(_ key: String) throws(MessageError) -> Bool {
        switch members[key] {
        case nil: return false
        case .bool(let flag): return flag
        case let other?: throw typeError(key, expected: "a boolean", found: other)
        }
    }

    package func integer(_ key: String) throws(MessageError) -> Int? {
        switch members[key] {
        case nil: return nil
        case .integer(let number): return number
        case let other?: throw typeError(key, expected: "a whole number", found: other)
        }
    }

    package func optionalArray(_ key: String) throws(MessageError) -> [JSONValue]? {
        switch members[key] {
        case nil: return nil
        case .array(let elements): return elements
        case let other?: throw typeError(key, expected: "an array", found: other)
        }
    }

    package func array(_ key: String) throws(MessageError) -> [JSONValue] {
        try optionalArray(key) ?? []
    }

    package func stringArray(_ key: String) throws(MessageError) -> [String]? {
        guard let value = members[key] else { return nil }
        return try Self.strings(value, path: child(key))
    }

    /// `value` as an array of strings.
    package static func strings(_ value: JSONValue, path: String) throws(MessageError) -> [String] {
        guard case .array(let elements) = value else {
            throw MessageError(path: path, reason: "expected an array of strings, found \(value.typeDescription)")
        }
        var strings: [String] = []
        for (index, element) in elements.enumerated() {
            guard case .string(let text) = element else {
                throw MessageError(path: "\(path)[\(index)]", reason: "expected a string, found \(element.typeDescription)")
            }
            strings.append(text)
        }
        return strings
    }

    /// `value`, or a "missing member" error for `key`.
    package func required<T>(_ value: T?, _ key: String, or reason: String? = nil) throws(MessageError) -> T {
        guard let value else { throw MessageError(path: path, reason: reason ?? "missing member \"\(key)\"") }
        return value
    }

    private func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private func typeError(_ key: String, expected: String, found: JSONValue) -> MessageError {
        MessageError(path: child(key), reason: "expected \(expected), found \(found.typeDescription)")
    }
}
