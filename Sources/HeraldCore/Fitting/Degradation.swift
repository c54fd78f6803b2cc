/// Something a service will show differently from what the sender wrote: one entry of the degradation report.
public struct Degradation: Hashable, Sendable, CustomStringConvertible {
    /// The kinds of loss Herald reports.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// A control character or noncharacter was replaced by U+FFFD (no service can show it).
        case characterReplaced = "character_replaced"
        /// Bold, italic, strikethrough or monospace is not shown.
        case styleNotShown = "style_not_shown"
        /// A color is not shown.
        case colorNotShown = "color_not_shown"
        /// A color is shown as a different one.
        case colorApproximated = "color_approximated"
        /// A link is not clickable text; its URL is shown after the text.
        case linkShownAsText = "link_shown_as_text"
        /// The title is shown as ordinary (bold) text, not as a heading.
        case headingShownAsText = "heading_shown_as_text"
        /// A table is shown as aligned monospace text.
        case tableShownAsText = "table_shown_as_text"
        /// The lines of a table cell are shown on one line, joined by a visible separator.
        case cellLinesJoined = "cell_lines_joined"
        /// A code block's language (used for highlighting) is not passed on.
        case codeLanguageNotShown = "code_language_not_shown"
        /// An attachment is not delivered; its name is shown instead.
        case attachmentNotDelivered = "attachment_not_delivered"
        /// A sticker is not shown.
        case stickerNotShown = "sticker_not_shown"
        /// Styles cannot be expressed in a transport's markup, so the text goes out unstyled.
        case stylesNotExpressible = "styles_not_expressible"
        /// Content was cut to fit a size limit.
        case truncated
        /// The message goes out as several messages to fit a size limit.
        case split
        /// A paragraph or code block longer than one of the service's blocks takes is shown as several blocks, cut
        /// at line breaks or spaces (Slack's sections).
        case blockSplit = "block_split"
        /// The message is longer than the service shows inline; the rest travels as a long-text attachment.
        case longTextAttachment = "long_text_attachment"
        /// Inline data was dropped to fit a size limit.
        case inlineDataDropped = "inline_data_dropped"
        /// Characters were inserted or removed where the service's markup cannot carry the text as written (white
        /// space a line-break rule would swallow, backticks a code block cannot hold); invisible to a reader.
        case textAltered = "text_altered"
    }

    /// What kind of loss.
    public var kind: Kind
    /// Where in the message.
    public var origin: Origin
    /// An excerpt of the affected text, if any.
    public var subject: String?
    /// A sentence saying what the service shows instead, e.g. `color red not shown on Signal`.
    public var message: String

    /// Creates a degradation; a long `subject` is shortened to an excerpt.
    public init(kind: Kind, origin: Origin, subject: String? = nil, message: String) {
        self.kind = kind
        self.origin = origin
        self.subject = subject.map(Self.excerpt)
        self.message = message
    }

    /// The path of the affected message element (`parts[0]`, `title`).
    public var path: String { origin.description }

    /// One report line: `parts[0] "Robot arm stopped": color red not shown on Signal`.
    public var description: String {
        if let subject { return "\(path) \(quoted(subject)): \(message)" }
        return "\(path): \(message)"
    }

    /// `{"kind", "path", "message"}` as in `herald render --json`.
    public var jsonValue: JSONValue {
        ["kind": .string(kind.rawValue), "path": .string(path), "message": .string(description)]
    }

    private static func excerpt(_ text: String) -> String {
        let limit = 40
        // Counts at most `limit` + 1 characters, never the whole text, which may be megabytes long; a text of
        // at most `limit` UTF-8 bytes has at most `limit` characters.
        guard text.utf8.count > limit,
            let end = text.index(text.startIndex, offsetBy: limit, limitedBy: text.endIndex), end < text.endIndex
        else { return text }
        return String(text.prefix(limit - 1)) + "…"
    }
}
