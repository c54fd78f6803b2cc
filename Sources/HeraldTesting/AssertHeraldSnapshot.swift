import Foundation
import Herald
import SnapshotTesting
import XCTest

#if canImport(Testing)
    import Testing
#endif

/// Asserts that what `snapshot` pins of a message matches its reference in the package's `Snapshots/` folder.
///
/// The reference is `<package>/Snapshots/<TestFile>/<test>.<snapshot>.<ext>`, e.g.
/// `Snapshots/PrintJobTests/printDone.teams.json` for `assertHeraldSnapshot(of: message, as: .teams)` in the test
/// function `printDone()` of `Tests/…/PrintJobTests.swift` (see ``HeraldSnapshot/referenceFile(named:filePath:testName:)``).
/// Recording follows swift-snapshot-testing: a missing reference is written and the assertion fails once, unless
/// `record` or `SNAPSHOT_TESTING_RECORD` (`all`, `missing`, `failed`, `never`) or `withSnapshotTesting(record:)`
/// says otherwise. Works in Swift Testing and XCTest tests.
///
/// - Parameters:
///   - message: The message; an error it throws fails the assertion.
///   - snapshot: What to compare: `.markdown`, `.signal`, `.scilog`, `.teams`, `.payload(service)`, `.report` or
///     `.ast`.
///   - name: Distinguishes several messages pinned by one test (`named: "withPhoto"` gives
///     `printDone-withPhoto.teams.json`); parameterised tests need one per argument.
///   - record: The record mode for this assertion; by default the configured one.
///   - fileID: The test file's ID, for the failure's location.
///   - filePath: The test file's path: its name names the reference folder, and the package root is the nearest
///     folder above it holding `Package.swift`.
///   - testName: The test's name (the function's, without arguments, names the reference).
///   - line: The line to report a failure on.
///   - column: The column to report a failure on.
public func assertHeraldSnapshot(
    of message: @autoclosure () throws -> NotificationMessage,
    as snapshot: HeraldSnapshot,
    named name: String? = nil,
    record: SnapshotTestingConfiguration.Record? = nil,
    fileID: StaticString = #fileID,
    filePath: StaticString = #filePath,
    testName: String = #function,
    line: UInt = #line,
    column: UInt = #column
) {
    let failure = verifyHeraldSnapshot(
        of: try message(), as: snapshot, named: name, record: record, fileID: fileID, filePath: filePath,
        testName: testName, line: line, column: column)
    guard let failure else { return }
    recordFailure(failure, fileID: fileID, filePath: filePath, line: line, column: column)
}

/// Asserts every snapshot in `snapshots` (by default ``HeraldSnapshot/all``: the payloads of the four services of
/// Herald 1, ``HeraldSnapshot/defaultServices``, their report and the tree) of one message, each against its own reference in `Snapshots/`; see
/// ``assertHeraldSnapshot(of:as:named:record:fileID:filePath:testName:line:column:)``.
///
/// - Parameters:
///   - message: The message, built once; an error it throws fails the assertion.
///   - snapshots: What to compare.
///   - name: Distinguishes several messages pinned by one test.
///   - record: The record mode for these assertions; by default the configured one.
///   - fileID: The test file's ID, for the failures' location.
///   - filePath: The test file's path, which locates the references.
///   - testName: The test's name, which names the references.
///   - line: The line to report failures on.
///   - column: The column to report failures on.
public func assertHeraldSnapshots(
    of message: @autoclosure () throws -> NotificationMessage,
    as snapshots: [HeraldSnapshot] = HeraldSnapshot.all,
    named name: String? = nil,
    record: SnapshotTestingConfiguration.Record? = nil,
    fileID: StaticString = #fileID,
    filePath: StaticString = #filePath,
    testName: String = #function,
    line: UInt = #line,
    column: UInt = #column
) {
    let built: NotificationMessage
    do {
        built = try message()
    } catch {
        recordFailure(buildFailure(error), fileID: fileID, filePath: filePath, line: line, column: column)
        return
    }
    for snapshot in snapshots {
        assertHeraldSnapshot(
            of: built, as: snapshot, named: name, record: record, fileID: fileID, filePath: filePath,
            testName: testName, line: line, column: column)
    }
}

/// Asserts the payload of each of `services`, their report and the tree of one message (``HeraldSnapshot/all(for:)``),
/// each against its own reference in `Snapshots/`: the services a sender chose, so that a service Herald adds later
/// asks for no new reference until the sender names it here.
///
/// - Parameters:
///   - message: The message, built once; an error it throws fails the assertion.
///   - services: The services whose payloads (and report) to compare, e.g. `[.teams, .signal]`.
///   - name: Distinguishes several messages pinned by one test.
///   - record: The record mode for these assertions; by default the configured one.
///   - fileID: The test file's ID, for the failures' location.
///   - filePath: The test file's path, which locates the references.
///   - testName: The test's name, which names the references.
///   - line: The line to report failures on.
///   - column: The column to report failures on.
public func assertHeraldSnapshots(
    of message: @autoclosure () throws -> NotificationMessage,
    services: [Service],
    named name: String? = nil,
    record: SnapshotTestingConfiguration.Record? = nil,
    fileID: StaticString = #fileID,
    filePath: StaticString = #filePath,
    testName: String = #function,
    line: UInt = #line,
    column: UInt = #column
) {
    assertHeraldSnapshots(
        of: try message(), as: HeraldSnapshot.all(for: services), named: name, record: record, fileID: fileID,
        filePath: filePath, testName: testName, line: line, column: column)
}

/// Compares what `snapshot` pins of a message with its reference in `Snapshots/` and returns the failure
/// message, or `nil` when it matches; records nothing itself. For helpers built on top of Herald's snapshots,
/// like swift-snapshot-testing's `verifySnapshot`.
///
/// - Parameters:
///   - message: The message; an error it throws is returned as the failure.
///   - snapshot: What to compare.
///   - name: Distinguishes several messages pinned by one test.
///   - record: The record mode for this comparison; by default the configured one.
///   - fileID: The test file's ID.
///   - filePath: The test file's path, which locates the reference.
///   - testName: The test's name, which names the reference.
///   - line: The line a failure would be reported on.
///   - column: The column a failure would be reported on.
/// - Returns: Why the snapshot does not match (with a diff), or `nil`.
public func verifyHeraldSnapshot(
    of message: @autoclosure () throws -> NotificationMessage,
    as snapshot: HeraldSnapshot,
    named name: String? = nil,
    record: SnapshotTestingConfiguration.Record? = nil,
    fileID: StaticString = #fileID,
    filePath: StaticString = #filePath,
    testName: String = #function,
    line: UInt = #line,
    column: UInt = #column
) -> String? {
    guard let location = ReferenceLocation(filePath: "\(filePath)", testName: testName, name: name) else {
        return """
            No Package.swift in any folder above \(filePath), so there is no package Snapshots/ folder for its \
            references. Use assertSnapshot(of:as:) with the strategy's snapshotting, which keeps references \
            beside the test file.
            """
    }
    let built: NotificationMessage
    do {
        built = try message()
    } catch {
        return buildFailure(error)
    }
    return verifySnapshot(
        of: built, as: snapshot.snapshotting, named: snapshot.name, record: record,
        snapshotDirectory: location.directory.path, fileID: fileID, file: filePath, testName: location.stem,
        line: line, column: column)
}

extension HeraldSnapshot {
    /// The reference file the assertions compare with, `<package>/Snapshots/<TestFile>/<test>[-<name>].<snapshot>.<ext>`,
    /// or `nil` when no folder above `filePath` holds a `Package.swift`.
    ///
    /// `<TestFile>` is the test file's name without `.swift`; `<test>` and `<name>` are the test's name and the
    /// `named:` argument with every run of characters other than letters, digits and `_` turned into `-`
    /// (`scanCompleted()` becomes `scanCompleted`); `<snapshot>` and `<ext>` are ``name`` and ``pathExtension``.
    ///
    /// - Parameters:
    ///   - name: The `named:` argument of the assertion, if any.
    ///   - filePath: The test file's path.
    ///   - testName: The test's name.
    public func referenceFile(
        named name: String? = nil, filePath: StaticString = #filePath, testName: String = #function
    ) -> URL? {
        ReferenceLocation(filePath: "\(filePath)", testName: testName, name: name).map {
            $0.directory.appendingPathComponent("\($0.stem).\(self.name).\(pathExtension)")
        }
    }
}

/// Where a test's references live: the folder and the file names' common start.
struct ReferenceLocation {
    /// `<package>/Snapshots/<TestFile>`.
    let directory: URL
    /// `<test>` or `<test>-<name>`, already in the form swift-snapshot-testing leaves unchanged.
    let stem: String

    init?(filePath: String, testName: String, name: String?) {
        let testFile = URL(fileURLWithPath: filePath, isDirectory: false)
        guard let root = Self.packageRoot(above: testFile) else { return nil }
        directory = root.appendingPathComponent("Snapshots", isDirectory: true)
            .appendingPathComponent(testFile.deletingPathExtension().lastPathComponent, isDirectory: true)
        stem = ([testName] + (name.map { [$0] } ?? [])).map(Self.pathComponent).filter { !$0.isEmpty }.joined(separator: "-")
    }

    /// The nearest folder above `file` that holds a `Package.swift`.
    static func packageRoot(above file: URL) -> URL? {
        var directory = file.deletingLastPathComponent().standardizedFileURL
        while true {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                return directory
            }
            let parent = directory.deletingLastPathComponent().standardizedFileURL
            if parent.path == directory.path { return nil }
            directory = parent
        }
    }

    /// `text` as swift-snapshot-testing writes a test name in a file name: runs of non-word characters become
    /// `-`, and none is left at either end.
    static func pathComponent(_ text: String) -> String {
        text.replacingOccurrences(of: "\\W+", with: "-", options: .regularExpression)
            .replacingOccurrences(of: "^-|-$", with: "", options: .regularExpression)
    }
}

/// The failure for a message whose builder threw, with the error's own description (its path and reason).
private func buildFailure(_ error: any Error) -> String { "The message could not be built: \(error)" }

/// Fails the running test: a Swift Testing issue inside a Swift Testing test, an XCTest failure otherwise.
private func recordFailure(_ message: String, fileID: StaticString, filePath: StaticString, line: UInt, column: UInt) {
    #if canImport(Testing)
        if Test.current != nil {
            Issue.record(
                Comment(rawValue: message),
                sourceLocation: SourceLocation(
                    fileID: "\(fileID)", filePath: "\(filePath)", line: Int(line), column: Int(column)))
            return
        }
    #endif
    XCTFail(message, file: filePath, line: line)
}
