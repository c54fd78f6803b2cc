import Foundation
import Testing

/// What some suites need beyond Swift and the machine image, and whether this run has it.
///
/// A suite that needs one is disabled with a one-line reason when it is missing, so `swift test` passes on a fresh
/// clone with nothing beside it. CI sets `HERALD_REQUIRE_PREREQUISITES=1` (in `.ci/run`): then every such suite
/// runs, and a missing prerequisite fails it with a clear message instead of skipping it.
public enum Prerequisite: Sendable, CaseIterable {
    /// The reference specifications in the folder `HERALD_SPECS` names (official schemas, parser vectors).
    case specs
    /// Debian's `cmark-gfm`, which reads Markdown back.
    case cmarkGFM
    /// `python3` with the `jsonschema` package, which checks JSON Schemas.
    case pythonJSONSchema

    /// Whether this run has it (cached per process; probing runs a program).
    public var isAvailable: Bool { Self.availability[self] ?? false }

    /// Why the suites that need it are disabled, and how to enable them.
    public var missingReason: String {
        switch self {
        case .specs:
            "HERALD_SPECS is not set to the reference specifications (scripts/fetch-specs.sh fetches them): disabled"
        case .cmarkGFM: "cmark-gfm is not installed (apt-get install cmark-gfm): disabled"
        case .pythonJSONSchema:
            "python3 with jsonschema is missing (python3 -m pip install jsonschema): disabled"
        }
    }

    /// Whether a missing prerequisite fails the suites instead of disabling them (`HERALD_REQUIRE_PREREQUISITES=1`).
    public static var isRequired: Bool { ProcessInfo.processInfo.environment["HERALD_REQUIRE_PREREQUISITES"] == "1" }

    private static let availability: [Prerequisite: Bool] = Dictionary(
        uniqueKeysWithValues: allCases.map { ($0, $0.probe()) })

    private func probe() -> Bool {
        switch self {
        case .specs: RepositoryPaths.specs != nil
        case .cmarkGFM: (try? ExternalCommand.run("cmark-gfm", ["--version"]))?.status == 0
        case .pythonJSONSchema: (try? ExternalCommand.run("python3", ["-c", "import jsonschema"]))?.status == 0
        }
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test or suite only when `prerequisites` are available (always when they are required, so that a
    /// missing one fails), with the first missing one's reason as the comment.
    public static func requires(_ prerequisites: Prerequisite...) -> Self {
        let missing = prerequisites.first { !$0.isAvailable }
        return .enabled(
            if: Prerequisite.isRequired || missing == nil, Comment(rawValue: missing?.missingReason ?? "prerequisites present"))
    }
}
