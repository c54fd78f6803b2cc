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
    /// The shared references (`../shared/specs`), kept beside the repository and never copied into it.
    public static let specs = root.deletingLastPathComponent().appendingPathComponent("shared/specs")
}
