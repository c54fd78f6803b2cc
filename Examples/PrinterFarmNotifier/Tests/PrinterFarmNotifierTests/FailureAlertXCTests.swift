import HeraldTesting
import PrinterFarmNotifier
import XCTest

/// The same assertions from XCTest: references in `Snapshots/FailureAlertXCTests/`.
final class FailureAlertXCTests: XCTestCase {
    func testNozzleClogInTeams() throws {
        let job = PrintJob(
            printer: "prusa-mk4-05", file: "gear_housing.gcode", filament: "PLA orange",
            page: "https://farm.example.org/jobs/8820")
        let message = try PrinterFarmNotifications.failureAlert(
            job, layer: 37, layers: 410, finding: "Nozzle clog", confidence: 0.81)
        assertHeraldSnapshot(of: message, as: .teams)
        assertHeraldSnapshot(of: message, as: .report)
    }
}
