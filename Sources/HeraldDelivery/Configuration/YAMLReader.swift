import HeraldCore
import Yams

/// Reads a YAML document into a ``JSONValue`` tree: mappings with string keys, sequences, strings, numbers,
/// booleans and null. Anchors and aliases are resolved; duplicate keys and non-string keys are errors.
///
/// Every cap is checked before the work it bounds: the document's size and its number of aliases before parsing, and
/// the number of values while the tree is made, since an alias repeats what it names and a few of them nested (a
/// "billion laughs" document) name more values than memory holds.
enum YAMLReader {
    /// The largest document read, in UTF-8 bytes (1 MiB).
    static let maximumBytes = 1 << 20
    /// The most aliases (`*name`) a document may use.
    static let maximumAliases = 32
    /// The most values (mappings, sequences and scalars, keys not counted) a document may make, aliases expanded.
    static let maximumValues = 100_000

    /// Why a document over ``maximumBytes`` is refused.
    static let tooLargeReason = "is larger than \(maximumBytes) bytes (1 MiB), the most a destinations file may hold"

    /// Parses `text`; an empty document is an empty mapping.
    static func read(_ text: String) throws(ConfigurationError) -> JSONValue {
        guard text.utf8.count <= maximumBytes else {
            throw ConfigurationError(path: "", reason: tooLargeReason)
        }
        guard aliasCount(in: text) <= maximumAliases else {
            throw ConfigurationError(path: "", reason: "uses more than \(maximumAliases) aliases (*name), the most a destinations file may use")
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigurationError(path: "", reason: "malformed YAML: \(Self.describe(error))")
        } catch {
            throw ConfigurationError(path: "", reason: "malformed YAML")
        }
        guard let root else { return .object([:]) }
        var budget = maximumValues
        return try value(of: root, path: "", budget: &budget)
    }

    /// The value of `node`, taking one from `budget` for it and each value inside it.
    private static func value(of node: Node, path: String, budget: inout Int) throws(ConfigurationError) -> JSONValue {
        guard budget > 0 else {
            throw ConfigurationError(
                path: path, reason: "the document makes more than \(maximumValues) values (aliases repeat what they name)")
        }
        budget -= 1
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
            for (index, item) in sequence.enumerated() { items.append(try value(of: item, path: "\(path)[\(index)]", budget: &budget)) }
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
                object[key] = try value(of: valueNode, path: childPath, budget: &budget)
            }
            return .object(object)
        }
    }

    /// The number of aliases in `text`, counted on the text because Yams hashes every mapping key while it composes:
    /// one alias of a large node used as a key costs its whole expansion before the tree can be walked. A `*` that
    /// starts a token (at a line's start or after a space, `[`, `{` or `,`, and followed by a name) counts; one inside
    /// a quoted string or a comment counts too, which can only err towards refusing.
    private static func aliasCount(in text: String) -> Int {
        var count = 0
        var previous: UInt8 = UInt8(ascii: "\n")
        var starPending = false
        for byte in text.utf8 {
            if starPending, !" \t\r\n,]}".utf8.contains(byte) { count += 1 }
            starPending = byte == UInt8(ascii: "*") && " \t\r\n[{,".utf8.contains(previous)
            previous = byte
        }
        return count
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
