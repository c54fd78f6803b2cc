import Foundation
import HeraldCore
import HeraldTestSupport

/// Runs `scripts/validate_teams.py` (python3 with the jsonschema package, the official schemas in `HERALD_SPECS`) on
/// payload files; tests that use it say `.requires(.pythonJSONSchema, .specs)`.
enum ValidatorScript {
    /// Validates the files at `paths`.
    static func run(_ paths: [String]) throws -> ExternalCommand {
        try ExternalCommand.run("python3", ["scripts/validate_teams.py", "--specs", try RepositoryPaths.spec(".").path] + paths)
    }

    /// Writes each payload to a temporary file and validates them all.
    static func run(payloads: [[UInt8]]) throws -> ExternalCommand {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("herald-teams-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let paths = try payloads.enumerated().map { index, payload in
            let file = directory.appendingPathComponent("payload-\(index).json")
            try Data(payload).write(to: file)
            return file.path
        }
        return try run(paths)
    }
}

/// Every object in a JSON value, depth first.
func objects(in value: JSONValue) -> [[String: JSONValue]] {
    switch value {
    case .object(let members): [members] + members.keys.sorted().flatMap { objects(in: members[$0]!) }
    case .array(let elements): elements.flatMap(objects(in:))
    case .null, .bool, .integer, .double, .string: []
    }
}
