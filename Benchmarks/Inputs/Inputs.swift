import Herald

/// The messages the benchmarks render. Each is built once, in a benchmark's setup, outside the measurement.
public enum Inputs {
    /// The typical hot-path message: a bold red run, a plain run and two tags (`Examples/scan_interlock.json`).
    public static func typical() -> NotificationMessage {
        var message = try! NotificationMessage(event: "scan_interlock")
        try! message.addText("Interlock tripped", bold: true, color: .red)
        try! message.addText(" on X12SA: shutter closed, scan 1235 paused at point 17 of 50.")
        try! message.addTags(["x12sa", "interlock"])
        return message
    }

    /// A message of `count` text runs under a title, with two tags: the styles cycle through plain, bold, italic,
    /// colors, strikethrough, monospace and a link, so neighbouring runs never merge; every tenth run ends its
    /// line.
    public static func runs(_ count: Int) -> NotificationMessage {
        let styles: [TextStyle] = [
            .plain, TextStyle(bold: true), TextStyle(italic: true), TextStyle(color: .red),
            TextStyle(bold: true, color: .green), TextStyle(strikethrough: true), TextStyle(monospace: true),
            TextStyle(link: try! Link(validating: "https://example.org/x12sa/scans/1235")), TextStyle(color: .blue),
        ]
        var message = try! NotificationMessage(title: "Scan 1235 report", event: "scan_completed")
        for index in 0..<count {
            let ending = index % 10 == 9 ? "\n" : " "
            message.addText("point \(index): samx 1.25 mm,\(ending)", style: styles[index % styles.count])
        }
        try! message.addTags(["scan", "x12sa"])
        return message
    }

    /// One plain text part of about `bytes` UTF-8 bytes: a log of lines of at most 72 bytes, a paragraph break
    /// after every sixth line, mostly ASCII with some Latin-1 and other non-ASCII characters (`Å`, `µm`, `°C`).
    public static func plainText(bytes: Int) -> NotificationMessage {
        let words = [
            "scan", "point", "samx", "1.25", "mm", "shutter", "open", "ring", "current", "401.2", "mA", "undulator",
            "gap", "8.52", "Å", "µm", "detector", "frame", "exposure", "0.1", "s", "temperature", "21.4", "°C", "Müller",
            "(ok)", "beam", "stable;", "energy", "12.4", "keV",
        ]
        var text = ""
        text.reserveCapacity(bytes + 80)
        var line = ""
        var lines = 0
        var state: UInt32 = 12345
        while text.utf8.count + line.utf8.count < bytes {
            state = state &* 1_103_515_245 &+ 12345  // a fixed linear congruential sequence: the same text every run
            let word = words[Int(state >> 16) % words.count]
            if line.utf8.count + word.utf8.count + 1 > 72 {
                lines += 1
                text += line + (lines % 6 == 0 ? "\n\n" : "\n")
                line = ""
            }
            line += line.isEmpty ? word : " " + word
        }
        text += line
        var message = try! NotificationMessage(event: "scan_completed")
        try! message.addText(text)
        return message
    }

    /// A 4-column table of `rows` motor positions under a caption, after one line of text.
    public static func table(rows: Int) -> NotificationMessage {
        var message = try! NotificationMessage(title: "Final positions", event: "scan_completed")
        try! message.addText("Positions after scan 1235:")
        let cells = (0..<rows).map { row in
            ["motor\(row)", "\(Double(row) * 0.25 - 3.5)", "\(Double(row) * 0.25 - 3.5)", row % 3 == 0 ? "deg" : "mm"]
        }
        try! message.addTable(title: "Motors", columns: ["device", "readback", "setpoint", "unit"], rows: cells)
        return message
    }
}

extension Inputs {
    /// A `herald.message/v1` message of about `bytes` bytes of JSON, for the reading path: the log of
    /// ``plainText(bytes:)`` with quoted words and Windows paths, so that the JSON is full of escapes (`\n`, `\"`,
    /// `\\`, and `\u00c5` for every `Å`) between raw non-ASCII characters (`µm`, `°C`, `Müller`).
    public static func messageJSON(bytes: Int) -> [UInt8] {
        guard case .text(let log, _) = plainText(bytes: bytes * 7 / 8).parts[0] else { return [] }
        var message = try! NotificationMessage(event: "scan_completed")
        try! message.addText(log.replacingOccurrences(of: "(ok)", with: "\"ok\"").replacingOccurrences(of: "s ", with: "C:\\scan\\ "))
        return Array(message.jsonString().replacingOccurrences(of: "Å", with: "\\u00c5").utf8)
    }

    /// The JSON messages the reading benchmarks parse, by name.
    public static let json: [(name: String, bytes: @Sendable () -> [UInt8])] = [
        ("message JSON 1 MB", { messageJSON(bytes: 1_000_000) }),
        ("message JSON 10 MB", { messageJSON(bytes: 10_000_000) }),
    ]

    /// Every input by name, as the benchmarks and `render-profile` call them.
    public static let all: [(name: String, isLarge: Bool, message: @Sendable () -> NotificationMessage)] = [
        ("typical", false, typical),
        ("100 runs", false, { runs(100) }),
        ("table 50 rows", false, { table(rows: 50) }),
        ("styled runs 1000", false, { runs(1000) }),
        ("styled runs 10000", true, { runs(10000) }),
        ("plain text 1 MB", true, { plainText(bytes: 1_000_000) }),
        ("plain text 10 MB", true, { plainText(bytes: 10_000_000) }),
    ]
}
