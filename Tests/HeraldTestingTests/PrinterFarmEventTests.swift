import HeraldTesting
import Testing

/// A printer farm's event hooks as they would notify, built with the public builder and pinned for every
/// service in `Snapshots/PrinterFarmEventTests/`.
@Suite("Printer farm events")
struct PrinterFarmEventTests {
    @Test("PrintDone: a job finishes, with the camera's photo")
    func printDone() throws {
        var message = try NotificationMessage(title: "Print done: bracket_v3", event: "PrintDone")
        try message.addText("prusa-mk4-02", bold: true)
        try message.addText(" finished ")
        try message.addText("bracket_v3.gcode", monospace: true)
        try message.addText(" in 2 h 14 min. ")
        try message.addText("Ready for pickup", bold: true, color: .green)
        try message.addText(".")
        try message.addAttachment(data: Fixtures.cameraPNG, filename: "prusa-mk4-02_final.png", mimeType: "image/png", width: 640)
        try message.addTable(
            title: "Job", columns: ["filament", "used", "cost"], rows: [["PETG black", "38.2 g", "CHF 1.15"]])
        try message.addTags(["printer-farm", "prusa-mk4-02"])
        assertHeraldSnapshots(of: message)
    }

    @Test("FailureAlert: failure detection pauses a print")
    func failureAlert() throws {
        var message = try NotificationMessage(title: "Failure alert: prusa-mk4-05", event: "FailureAlert")
        try message.addText("Spaghetti detected", bold: true, color: .red)
        try message.addText(" on ")
        try message.addText("prusa-mk4-05", bold: true)
        try message.addText(" at layer 112 of 240 (confidence 0.93). The print is ")
        try message.addText("paused", italic: true)
        try message.addText("; the nozzle is held at 230 °C for 30 min.\n\nResume or cancel it on the ")
        try message.addText("printer's page", link: "https://farm.example.org/printers/prusa-mk4-05")
        try message.addText(".")
        try message.addTags(["printer-farm", "prusa-mk4-05", "failure"])
        assertHeraldSnapshots(of: message)
    }
}
