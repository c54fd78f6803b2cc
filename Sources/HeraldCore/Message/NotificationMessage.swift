import Foundation

/// One notification as a sender writes it: a sequence of parts, plus an optional title and event name.
///
/// Text runs are inline: consecutive ``addText(_:bold:italic:strikethrough:monospace:color:link:)`` calls form
/// one paragraph, `"\n"` inside text is a line break and `"\n\n"` starts a new paragraph. Every `add` method
/// validates its input and throws a ``MessageError`` whose path (`parts[3].link`) names the offending value.
///
/// ```swift
/// var message = NotificationMessage(title: "Sample mount failed", event: "sample_mount_failed")
/// try message.addText("Robot arm stopped", bold: true, color: .red)
/// try message.addText(" Please check the robot.")
/// try message.addTags(["sample-exchange", "robot"])
/// ```
public struct NotificationMessage: Hashable, Sendable {
    /// One element of a message.
    public enum Part: Hashable, Sendable {
        /// A styled text run.
        case text(String, TextStyle)
        /// Tags for the whole message (order kept; duplicates are removed when rendering).
        case tags([String])
        /// A file.
        case attachment(Attachment)
        /// A table.
        case table(Table)
        /// A code block.
        case code(CodeSnippet)
        /// A Signal sticker.
        case sticker(Sticker)
    }

    /// The headline, shown as a heading where the service has one.
    public private(set) var title: String?
    /// The event this message reports (`scan_completed`), used for routing.
    public private(set) var event: String?
    /// The parts, in order.
    public private(set) var parts: [Part] = []

    /// Creates an empty message.
    public init(title: String? = nil, event: String? = nil) throws(MessageError) {
        try setTitle(title)
        try setEvent(event)
    }

    /// Sets or clears the title; it is one line of text.
    public mutating func setTitle(_ title: String?) throws(MessageError) {
        if let title { try requireSingleLine(title, at: "title", allowEmpty: false) }
        self.title = title
    }

    /// Sets or clears the event name: one line, not empty, no surrounding white space.
    public mutating func setEvent(_ event: String?) throws(MessageError) {
        if let event {
            try requireSingleLine(event, at: "event", allowEmpty: false)
            guard event.trimmingCharacters(in: .whitespaces) == event else {
                throw MessageError(path: "event", reason: "\(quoted(event, limit: echoedValueLimit)) has leading or trailing white space")
            }
        }
        self.event = event
    }

    /// Appends a text run. `link` must be an `http`, `https` or `mailto` URL.
    public mutating func addText(
        _ text: String, bold: Bool = false, italic: Bool = false, strikethrough: Bool = false,
        monospace: Bool = false, color: TextColor? = nil, link: String? = nil
    ) throws(MessageError) {
        var validatedLink: Link?
        if let link {
            do throws(MessageError) { validatedLink = try Link(validating: link) } catch {
                throw error.nested(under: "\(nextPath).link")
            }
        }
        let style = TextStyle(
            bold: bold, italic: italic, strikethrough: strikethrough, monospace: monospace, color: color,
            link: validatedLink)
        parts.append(.text(text, style))
    }

    /// Appends a text run with a ready-made style.
    public mutating func addText(_ text: String, style: TextStyle) {
        parts.append(.text(text, style))
    }

    /// Adds tags: each one line, not empty.
    public mutating func addTags(_ tags: [String]) throws(MessageError) {
        for (index, tag) in tags.enumerated() {
            try requireSingleLine(tag, at: "\(nextPath).tags[\(index)]", allowEmpty: false)
            if let bad = tag.unicodeScalars.first(where: \.isForbiddenInName) {
                throw MessageError(path: "\(nextPath).tags[\(index)]", reason: "\(quoted(tag, limit: echoedValueLimit)) contains \(describe(bad)), a control character or noncharacter")
            }
        }
        parts.append(.tags(tags))
    }

    /// Attaches data under a file name with a MIME type; `width` and `height` are display sizes in pixels.
    public mutating func addAttachment(
        data: Data, filename: String, mimeType: String, width: Int? = nil, height: Int? = nil,
        maximumBytes: Int = Attachment.defaultMaximumBytes
    ) throws(MessageError) {
        let attachment = try within(nextPath) { () throws(MessageError) in
            try Attachment(
                filename: filename, mimeType: mimeType, data: data, width: width, height: height,
                maximumBytes: maximumBytes)
        }
        parts.append(.attachment(attachment))
    }

    /// Attaches base64 `data` (padded, no line breaks) under a file name with a MIME type; a string too long to
    /// decode to at most `maximumBytes` is refused before it is decoded.
    public mutating func addAttachment(
        base64 data: String, filename: String, mimeType: String, width: Int? = nil, height: Int? = nil,
        maximumBytes: Int = Attachment.defaultMaximumBytes
    ) throws(MessageError) {
        let attachment = try within(nextPath) { () throws(MessageError) in
            try Attachment(
                base64: data, filename: filename, mimeType: mimeType, width: width, height: height, maximumBytes: maximumBytes)
        }
        parts.append(.attachment(attachment))
    }

    /// Attaches the file at `path`; its MIME type comes from the extension.
    public mutating func addAttachment(
        path: String, width: Int? = nil, height: Int? = nil, maximumBytes: Int = Attachment.defaultMaximumBytes
    ) throws(MessageError) {
        try addAttachment(path: path, as: path, insideAnyOf: nil, width: width, height: height, maximumBytes: maximumBytes)
    }

    /// Attaches the file at `path`, named `written` in errors, which must lie inside one of `directories` when
    /// they are given (see ``Attachment/init(contentsOf:as:insideAnyOf:width:height:maximumBytes:)``).
    mutating func addAttachment(
        path: String, as written: String, insideAnyOf directories: [String]?, width: Int?, height: Int?, maximumBytes: Int
    ) throws(MessageError) {
        let attachment = try within(nextPath) { () throws(MessageError) in
            try Attachment(
                contentsOf: path, as: written, insideAnyOf: directories, width: width, height: height, maximumBytes: maximumBytes)
        }
        parts.append(.attachment(attachment))
    }

    /// Appends a ready-made attachment.
    public mutating func addAttachment(_ attachment: Attachment) {
        parts.append(.attachment(attachment))
    }

    /// Appends a table; every row has one cell per column.
    public mutating func addTable(title: String? = nil, columns: [String], rows: [[String]]) throws(MessageError) {
        let table = try within(nextPath) { () throws(MessageError) in try Table(title: title, columns: columns, rows: rows) }
        parts.append(.table(table))
    }

    /// Appends a code block.
    public mutating func addCode(_ source: String, language: String? = nil) throws(MessageError) {
        let code = try within(nextPath) { () throws(MessageError) in try CodeSnippet(language: language, source: source) }
        parts.append(.code(code))
    }

    /// Appends a Signal sticker (`packId:stickerId`).
    public mutating func addSticker(_ stickerID: String) throws(MessageError) {
        let sticker = try within(nextPath) { () throws(MessageError) in try Sticker(id: stickerID) }
        parts.append(.sticker(sticker))
    }

    /// The path the next part will have.
    private var nextPath: String { "parts[\(parts.count)]" }
}

/// Runs `body`, placing any error it throws under `prefix`.
func within<T>(_ prefix: String, _ body: () throws(MessageError) -> T) throws(MessageError) -> T {
    do throws(MessageError) { return try body() } catch { throw error.nested(under: prefix) }
}
