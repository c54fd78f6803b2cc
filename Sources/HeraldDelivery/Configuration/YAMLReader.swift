import HeraldCore
import Yams

/// Reads a YAML document into a ``JSONValue`` tree: mappings with string keys, sequences, strings, numbers,
/// booleans and null. Anchors and aliases are resolved; duplicate keys and non-string keys are errors.
enum YAMLReader {
    /// Parses `text`; an empty document is an empty mapping.
    static func read(_ text: String) throws(ConfigurationError) -> JSONValue {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigurationError(path: "", reason: "malformed YAML: \(Self.describe(error))")
        } catch {
            throw ConfigurationError(path: "", reason: "malformed YAML")
        }
        guard let root else { return .object([:]) }
        return try value(of: root, path: "")
    }

    private static func value(of node: Node, path: String) throws(ConfigurationError) -> JSONValue {
        switch node {
        case .alias(let alias):
            throw ConfigurationError(path: path, reason: "unresolved alias *\(alias.anchor.rawValue)")
        case .scalar(let scalar):
            // An untagged plain scalar gets YAML's core-schema type; a quoted one is a string.
            let explicit = Tag.Name(rawValue: scalar.tag.rawValue)
            let name = explicit != .implicit ? explicit : scalar.style == .plain ? Resolver.default.resolveTag(of: node) : .str
            switch name {
            case .null: return .null
            case .bool: return node.bool.map(JSONValue.bool) ?? .string(scalar.string)
            case .int: return node.int.map(JSONValue.integer) ?? .string(scalar.string)
            case .float: return node.float.map(JSONValue.double) ?? .string(scalar.string)
            default: return .string(scalar.string)
            }
        case .sequence(let sequence):
            var items: [JSONValue] = []
            for (index, item) in sequence.enumerated() { items.append(try value(of: item, path: "\(path)[\(index)]")) }
            return .array(items)
        case .mapping(let mapping):
            var object: [String: JSONValue] = [:]
            for (keyNode, valueNode) in mapping {
                guard case .scalar(let keyScalar) = keyNode else {
                    throw ConfigurationError(path: path, reason: "keys must be strings")
                }
                let key = keyScalar.string
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                guard object[key] == nil else { throw ConfigurationError(path: childPath, reason: "appears twice") }
                object[key] = try value(of: valueNode, path: childPath)
            }
            return .object(object)
        }
    }

    /// The parser's problem and position, without the snippet of the document (it may hold a secret).
    private static func describe(_ error: YamlError) -> String {
        switch error {
        case .no: "unknown error"
        case .memory: "out of memory"
        case .reader(let problem, _, _, _): problem
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
            "line \(mark.line), column \(mark.column): \(problem)"
        case .composer(_, let problem, let mark, _): "line \(mark.line), column \(mark.column): \(problem)"
        case .writer(let problem), .emitter(let problem), .representer(let problem): problem
        case .dataCouldNotBeDecoded: "the file is not UTF-8"
        case .duplicatedKeysInMapping(let duplicates, _): "duplicate keys \(duplicates.sorted().joined(separator: ", "))"
        }
    }
}
