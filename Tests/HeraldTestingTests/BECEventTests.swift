import Foundation
import HeraldTesting
import Testing

/// BEC's six built-in events as a beamline would send them, built with the public builder and pinned for every
/// service (payloads, report and tree) in `Snapshots/BECEventTests/`.
@Suite("BEC's built-in events")
struct BECEventTests {
    @Test("new_scan: a grid scan starts")
    func newScan() throws {
        var message = try NotificationMessage(title: "Scan 1235 started", event: "new_scan")
        try message.addText("Grid scan ")
        try message.addText("1235", bold: true)
        try message.addText(" started on X12SA: 41 × 41 points, 0.1 s exposure, sample ")
        try message.addText("lysozyme-07", italic: true)
        try message.addText(".\nData will be written to ")
        try message.addText("/sls/X12SA/data/e12345/raw/S01235", monospace: true)
        try message.addTable(
            title: "Scan range", columns: ["motor", "start", "stop", "steps"],
            rows: [["samx", "-2.0", "2.0", "41"], ["samy", "-2.0", "2.0", "41"]])
        try message.addCode("scans.grid_scan(dev.samx, -2, 2, 41, dev.samy, -2, 2, 41, exp_time=0.1)", language: "python")
        try message.addTags(["scan", "x12sa", "e12345"])
        assertHeraldSnapshots(of: message)
    }

    @Test("scan_completed: a line scan finishes, with its plot")
    func scanCompleted() throws {
        var message = try NotificationMessage(title: "Scan 1234 finished", event: "scan_completed")
        try message.addText("Line scan ")
        try message.addText("1234", bold: true)
        try message.addText(" finished in 42.7 s with ")
        try message.addText("0 errors", color: .green)
        try message.addText(". Peak at samx = 1.0213 mm (FWHM 0.12 mm).\n\nLive plot: ")
        try message.addText("BEC dashboard", link: "https://bec.example.org/x12sa/scans/1234")
        try message.addAttachment(data: Fixtures.plotPNG, filename: "scan_1234.png", mimeType: "image/png", width: 800)
        try message.addTags(["scan", "x12sa"])
        assertHeraldSnapshots(of: message)
    }

    @Test("alarm_warning: the ring current is low")
    func alarmWarning() throws {
        var message = try NotificationMessage(title: "Warning: ring current low", event: "alarm_warning")
        try message.addText("Ring current 352.1 mA", bold: true, color: .yellow)
        try message.addText(" is below the 380 mA threshold. Scans continue; intensities may need normalising.")
        try message.addTags(["alarm", "warning", "machine"])
        assertHeraldSnapshots(of: message)
    }

    @Test("alarm_minor: the cryojet flow fluctuates")
    func alarmMinor() throws {
        var message = try NotificationMessage(title: "Minor alarm: cryojet flow unstable", event: "alarm_minor")
        try message.addText("Cryojet sample flow", color: .pink)
        try message.addText(" fluctuates ±8 % around 6.0 l/min (limit ±5 %). Check the ")
        try message.addText("nitrogen dewar level", italic: true)
        try message.addText(" before the next sample.\nRunbook: ")
        try message.addText("cryojet checks", link: "https://wiki.example.org/x12sa/cryojet")
        try message.addTags(["alarm", "minor", "cryojet"])
        assertHeraldSnapshots(of: message)
    }

    @Test("alarm_major: the beam is lost during a scan")
    func alarmMajor() throws {
        var message = try NotificationMessage(title: "Major alarm: beam lost", event: "alarm_major")
        try message.addText("Beam lost", bold: true, color: .red)
        try message.addText(" at 14:02:17. Scan 1236 was aborted at point 812 of 1681; ")
        try message.addText("no data after that point is valid", color: .red)
        try message.addText(".\n\nBEC's last traceback:")
        try message.addCode("""
            Traceback (most recent call last):
              File "bec_server/scan_server/scan_worker.py", line 612, in _wait_for_beam
                raise ScanAbortion("beam check failed: ring current 0.0 mA")
            bec_lib.exceptions.ScanAbortion: beam check failed: ring current 0.0 mA
            """)
        try message.addTags(["alarm", "major", "machine"])
        assertHeraldSnapshots(of: message)
    }

    @Test("scan_interlock: the hutch interlock pauses a scan")
    func scanInterlock() throws {
        var message = try NotificationMessage(title: "Scan 1237 paused: interlock", event: "scan_interlock")
        try message.addText("Interlock tripped", bold: true, color: .red)
        try message.addText(" during scan ")
        try message.addText("1237", bold: true)
        try message.addText(". ")
        try message.addText("The scan resumes by itself once every signal is back to normal.", italic: true)
        try message.addTable(
            title: "Interlock signals", columns: ["signal", "state"],
            rows: [["Hutch search", "broken"], ["Photon shutter", "closed"], ["Frontend", "open"]])
        try message.addTags(["scan", "interlock", "x12sa"])
        assertHeraldSnapshots(of: message)
    }
}
