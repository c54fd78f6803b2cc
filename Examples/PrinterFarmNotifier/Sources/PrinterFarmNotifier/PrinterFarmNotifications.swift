import Foundation
import Herald

/// A print job as the farm's event hooks report it.
public struct PrintJob: Hashable, Sendable {
    /// The printer's name in the farm, e.g. `prusa-mk4-02`.
    public var printer: String
    /// The G-code file being printed.
    public var file: String
    /// The filament loaded, e.g. `PETG black`.
    public var filament: String
    /// The job's page on the farm's dashboard.
    public var page: String

    /// Creates a job.
    public init(printer: String, file: String, filament: String, page: String) {
        self.printer = printer
        self.file = file
        self.filament = filament
        self.page = page
    }
}

/// The farm's notifications, one builder per event, ready for every service Herald renders for.
public enum PrinterFarmNotifications {
    /// `PrintDone`: the job finished; the camera's last photo is attached when there is one.
    public static func printDone(
        _ job: PrintJob, minutes: Int, filamentGrams: Double, photo: Data?
    ) throws(MessageError) -> NotificationMessage {
        var message = try NotificationMessage(title: "Print done: \(job.file)", event: "PrintDone")
        try message.addText(job.printer, bold: true)
        try message.addText(" finished ")
        try message.addText(job.file, monospace: true)
        try message.addText(" in \(duration(minutes: minutes)), using \(grams(filamentGrams)) of \(job.filament). ")
        try message.addText("Ready for pickup", bold: true, color: .green)
        try message.addText(".")
        if let photo {
            try message.addAttachment(data: photo, filename: "\(job.printer)-final.png", mimeType: "image/png", width: 640)
        }
        try message.addTags(["printer-farm", job.printer])
        return message
    }

    /// `FailureAlert`: failure detection paused the job; in red, with the detector's findings and the job's page.
    public static func failureAlert(
        _ job: PrintJob, layer: Int, layers: Int, finding: String, confidence: Double
    ) throws(MessageError) -> NotificationMessage {
        var message = try NotificationMessage(title: "Failure alert: \(job.printer)", event: "FailureAlert")
        try message.addText("\(finding) detected", bold: true, color: .red)
        try message.addText(" while printing ")
        try message.addText(job.file, monospace: true)
        try message.addText(". The print is ")
        try message.addText("paused", italic: true)
        try message.addText(" at layer \(layer) of \(layers).\n\nResume or cancel it on the ")
        try message.addText("job's page", link: job.page)
        try message.addText(".")
        try message.addTable(
            columns: ["detector", "value"],
            rows: [["finding", finding], ["confidence", String(format: "%.2f", confidence)], ["layer", "\(layer)/\(layers)"]])
        try message.addTags(["printer-farm", job.printer, "failure"])
        return message
    }

    /// `2 h 14 min`, or `45 min` under an hour.
    static func duration(minutes: Int) -> String {
        minutes < 60 ? "\(minutes) min" : "\(minutes / 60) h \(minutes % 60) min"
    }

    /// `38.2 g`.
    static func grams(_ value: Double) -> String { String(format: "%.1f g", value) }
}
