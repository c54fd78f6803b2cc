import Foundation
import HeraldTesting
import PrinterFarmNotifier
import Testing

/// What each service receives for the farm's notifications, pinned in `Snapshots/PrinterFarmNotificationTests/`.
///
/// Record new or changed references with `SNAPSHOT_TESTING_RECORD=all swift test`, read them, commit them;
/// CI runs with `SNAPSHOT_TESTING_RECORD=never`, so a missing reference fails there.
@Suite("Printer farm notifications")
struct PrinterFarmNotificationTests {
    static let job = PrintJob(
        printer: "prusa-mk4-02", file: "bracket_v3.gcode", filament: "PETG black",
        page: "https://farm.example.org/jobs/8812")

    /// A 4 × 3 PNG standing in for the camera's photo.
    static let photo = Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAQAAAADCAIAAAA7ljmRAAAAE0lEQVR42mPQQAIMJyo04AiFAwDUVw0hMxUEmwAAAABJRU5ErkJggg==")!

    @Test("PrintDone with the camera's photo, for every service")
    func printDone() throws {
        let message = try PrinterFarmNotifications.printDone(Self.job, minutes: 134, filamentGrams: 38.2, photo: Self.photo)
        assertHeraldSnapshots(of: message)
    }

    @Test("PrintDone without a photo: what Teams and Signal receive, and what each service loses")
    func printDoneWithoutPhoto() throws {
        let message = try PrinterFarmNotifications.printDone(Self.job, minutes: 45, filamentGrams: 12.0, photo: nil)
        assertHeraldSnapshot(of: message, as: .teams)
        assertHeraldSnapshot(of: message, as: .signal)
        assertHeraldSnapshot(of: message, as: .report)
    }

    @Test("FailureAlert in red, for every service")
    func failureAlert() throws {
        let message = try PrinterFarmNotifications.failureAlert(
            Self.job, layer: 112, layers: 240, finding: "Spaghetti", confidence: 0.93)
        assertHeraldSnapshots(of: message)
    }
}
