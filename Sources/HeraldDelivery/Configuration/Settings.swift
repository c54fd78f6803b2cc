import Foundation
import HeraldCore

/// A mapping of settings read from the destinations file, with the path of every value for error messages.
///
/// Reading a key marks it used; ``finish()`` refuses keys nobody read, so a misspelt setting is an error rather
/// than silently ignored.
public struct Settings: Sendable {
    /// The path of this mapping (`services.signal`); empty at the root.
    public let path: String
    private var values: [String: JSONValue]
    private var used: Set<String> = []
    /// The path of the mapping that came from a destination created at run time (its `config`), where secrets are
    /// written inline and naming an environment variable of the server is refused; `nil` when none does.
    var runtimePath: String?

    /// Wraps `value`, which must be a mapping.
    public init(_ value: JSONValue, path: String) throws(ConfigurationError) {
        guard case .object(let values) = value else {
            throw ConfigurationError(path: path, reason: "expected a mapping, found \(value.typeDescription)")
        }
        self.path = path
        self.values = values
    }

    /// The path of `key` inside this mapping.
    public func path(of key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// Whether `key` is present.
    public func contains(_ key: String) -> Bool { values[key] != nil }

    /// The raw value of `key`, marking it used.
    public mutating func value(_ key: String) -> JSONValue? {
        used.insert(key)
        return values[key]
    }

    /// An optional string.
    public mutating func string(_ key: String) throws(ConfigurationError) -> String? {
        switch value(key) {
        case nil, .null?: return nil
        case .string(let text)?:
            guard !text.isEmpty else { throw ConfigurationError(path: path(of: key), reason: "must not be empty") }
            return text
        case let other?: throw ConfigurationError(path: path(of: key), reason: "expected a string, found \(other.typeDescription)")
        }
    }

    /// A required string.
    public mutating func requiredString(_ key: String) throws(ConfigurationError) -> String {
        guard let text = try string(key) else { throw ConfigurationError(path: path(of: key), reason: "is required") }
        return text
    }

    /// An optional list of strings.
    public mutating func strings(_ key: String) throws(ConfigurationError) -> [String]? {
        switch value(key) {
        case nil, .null?: return nil
        case .array(let items)?:
            var strings: [String] = []
            for (index, item) in items.enumerated() {
                guard case .string(let text) = item else {
                    throw ConfigurationError(path: "\(path(of: key))[\(index)]", reason: "expected a string, found \(item.typeDescription)")
                }
                strings.append(text)
            }
            return strings
        case let other?: throw ConfigurationError(path: path(of: key), reason: "expected a list of strings, found \(other.typeDescription)")
        }
    }

    /// An optional positive number of seconds.
    public mutating func seconds(_ key: String) throws(ConfigurationError) -> Duration? {
        let number: Double
        switch value(key) {
        case nil, .null?: return nil
        case .integer(let value)?: number = Double(value)
        case .double(let value)?: number = value
        case let other?: throw ConfigurationError(path: path(of: key), reason: "expected a number of seconds, found \(other.typeDescription)")
        }
        guard number.isFinite, number >= 0, number <= 86_400 * 7 else {
            throw ConfigurationError(path: path(of: key), reason: "must be a number of seconds from 0 to 604800")
        }
        return .milliseconds(Int64((number * 1000).rounded()))
    }

    /// An optional whole number in `range`.
    public mutating func integer(_ key: String, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int? {
        switch value(key) {
        case nil, .null?: return nil
        case .integer(let value)? where range.contains(value): return value
        default: throw ConfigurationError(path: path(of: key), reason: "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
    }

    /// An optional nested mapping.
    public mutating func settings(_ key: String) throws(ConfigurationError) -> Settings? {
        switch value(key) {
        case nil, .null?: return nil
        case let value?:
            var nested = try Settings(value, path: path(of: key))
            nested.runtimePath = runtimePath
            return nested
        }
    }

    /// Whether this mapping lies in a destination created at run time: see ``runtimePath``.
    var isRuntime: Bool { runtimePath.map { path == $0 || path.hasPrefix($0 + ".") } ?? false }

    /// The mapping as it was given, read or not.
    public var jsonValue: JSONValue { .object(values) }

    /// The name of an environment variable given under `key` (`token_env`), which must look like one. An invalid
    /// value is not quoted in the error: someone may have pasted the secret itself there.
    public mutating func environmentVariableName(_ key: String) throws(ConfigurationError) -> String? {
        if isRuntime, contains(key) {
            throw ConfigurationError(
                path: path(of: key),
                reason: "a destination created at run time names no environment variable of the server; give the value itself\(key.hasSuffix("_env") ? " as \(key.dropLast(4))" : "")")
        }
        switch value(key) {
        case nil, .null?: return nil
        case .string(let name)? where Self.isEnvironmentVariableName(name): return name
        default:
            throw ConfigurationError(
                path: path(of: key),
                reason: "must be the name of an environment variable (letters, digits and _, not starting with a digit)")
        }
    }

    /// Refuses a secret written inline under `key`, pointing to `key_env` instead. The value is never quoted.
    public func refuseInlineSecret(_ key: String) throws(ConfigurationError) {
        guard contains(key) else { return }
        throw ConfigurationError(
            path: path(of: key),
            reason: "secrets are never written in the destinations file; put it in an environment variable and name that variable with \(key)_env")
    }

    /// Removes `key` and returns its value: for settings Herald reads before the plugin sees the rest
    /// (`rate_limit`).
    mutating func removing(_ key: String) -> JSONValue? { values.removeValue(forKey: key) }

    /// The raw value of `key`, not marking it used.
    func peek(_ key: String) -> JSONValue? { values[key] }

    /// Sets `key` to `value`.
    mutating func replace(_ key: String, with value: JSONValue) { values[key] = value }

    /// The keys in sorted order.
    public var keys: [String] { values.keys.sorted() }

    /// Refuses any key that was not read.
    public func finish() throws(ConfigurationError) {
        if let unknown = values.keys.sorted().first(where: { !used.contains($0) }) {
            throw ConfigurationError(path: path(of: unknown), reason: "unknown setting")
        }
    }

    private static func isEnvironmentVariableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCII && ($0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0)) }
    }
}

extension Settings {
    /// The most scopes one service may have.
    public static let maximumScopes = 1000

    /// The required `scopes` mapping: each scope name (letters, digits, `.`, `_`, `-`, `+`, `@`) with its settings,
    /// made into a value by `makeScope`, which must read every setting it knows. More than ``maximumScopes`` is an
    /// error, before any is validated.
    public mutating func scopes<Scope>(
        _ makeScope: (inout Settings) throws(ConfigurationError) -> Scope
    ) throws(ConfigurationError) -> [String: Scope] {
        guard var scopes = try settings("scopes") else {
            throw ConfigurationError(path: path(of: "scopes"), reason: "is required: name at least one destination")
        }
        guard scopes.values.count <= Self.maximumScopes else {
            throw ConfigurationError(
                path: scopes.path, reason: "has \(scopes.values.count) scopes; a service may have at most \(Self.maximumScopes)")
        }
        var result: [String: Scope] = [:]
        for name in scopes.keys {
            guard Self.isScopeName(name) else {
                throw ConfigurationError(
                    path: scopes.path(of: name), reason: "a scope name uses letters, digits and . _ - + @ only")
            }
            guard var scope = try scopes.settings(name) else {
                throw ConfigurationError(path: scopes.path(of: name), reason: "expected a mapping of settings")
            }
            result[name] = try makeScope(&scope)
            try scope.finish()
        }
        guard !result.isEmpty else { throw ConfigurationError(path: scopes.path, reason: "names no destination") }
        try scopes.finish()
        return result
    }

    static func isScopeName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-+@".unicodeScalars.contains($0))
        }
    }
}
