import Foundation

/// Locations in the repository, found from this file's path so tests run from any directory.
public enum RepositoryPaths {
    /// The package root.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The golden corpus.
    public static let golden = root.appendingPathComponent("golden")
    /// The shipped example messages.
    public static let examples = root.appendingPathComponent("Examples")
    /// The reference specifications: the folder `HERALD_SPECS` names (relative to the package root when relative),
    /// never copied into the repository; `nil` when the variable is unset or names no folder.
    public static let specs: URL? = {
        guard let value = ProcessInfo.processInfo.environment["HERALD_SPECS"], !value.isEmpty else { return nil }
        let url = URL(fileURLWithPath: value, relativeTo: root).standardizedFileURL
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue ? url : nil
    }()

    /// The reference specification file `name`, or an error naming `HERALD_SPECS`.
    public static func spec(_ name: String) throws -> URL {
        guard let specs else { throw SpecsUnavailable(name: name) }
        return specs.appendingPathComponent(name)
    }

    private struct SpecsUnavailable: Error, CustomStringConvertible {
        let name: String
        var description: String { "\(name): HERALD_SPECS does not name the folder of reference specifications" }
    }
}
