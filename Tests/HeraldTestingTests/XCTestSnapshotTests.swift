import HeraldTesting
import XCTest

/// The same assertions in an XCTest test case: references in `Snapshots/XCTestSnapshotTests/`.
final class XCTestSnapshotTests: XCTestCase {
    func testPrintStarted() throws {
        var message = try NotificationMessage(title: "Print started: gear_housing", event: "PrintStarted")
        try message.addText("prusa-mk4-03", bold: true)
        try message.addText(" started ")
        try message.addText("gear_housing.gcode", monospace: true)
        try message.addText("; estimated 5 h 40 min.")
        assertHeraldSnapshot(of: message, as: .markdown)
        assertHeraldSnapshot(of: message, as: .report)

        try message.addText(" Second job queued.")
        let failure = try XCTUnwrap(verifyHeraldSnapshot(of: message, as: .markdown, record: .never))
        XCTAssertTrue(failure.hasPrefix("Snapshot \"markdown\" does not match reference."), failure)
    }
}
