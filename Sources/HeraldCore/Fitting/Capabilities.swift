/// What a service can show, declared as data so that one shared pass (``Document/fitted(to:)``) can adapt any
/// document to it and report every loss.
public struct Capabilities: Hashable, Sendable {
    /// How a sender's color appears on the service.
    public enum ColorRendering: Hashable, Sendable {
        /// Shown as that color.
        case exact
        /// Shown in the service's default text color, which is what the sender asked for (black).
        case serviceDefault
        /// Shown as another color, which is reported.
        case approximated(by: TextColor)
    }

    /// How links appear.
    public enum LinkRendering: Hashable, Sendable {
        /// Clickable link text.
        case native
        /// The text followed by ` (URL)`; reported.
        case urlAfterText
    }

    /// How the title appears.
    public enum HeadingRendering: Hashable, Sendable {
        /// As a heading.
        case native
        /// As a paragraph in bold; reported.
        case boldParagraph
    }

    /// How tables appear.
    public enum TableRendering: Hashable, Sendable {
        /// As tables.
        case native
        /// As tables whose cells hold one line each: the lines of a cell are joined by `lineSeparator`; reported.
        case singleLineCells(lineSeparator: String)
        /// As a monospace block of aligned columns; reported.
        case alignedText
    }

    /// How attachments travel.
    public enum AttachmentRendering: Hashable, Sendable {
        /// Delivered with the message.
        case native
        /// Not delivered; a line naming the file takes its place; reported.
        case nameOnly
        /// Images the service shows inline (``Attachment/isInlineImage``) are delivered; any other file is not,
        /// and a line naming it takes its place; reported.
        case inlineImagesOnly
    }

    /// How tags appear.
    public enum TagRendering: Hashable, Sendable {
        /// As the service's own tags (metadata).
        case metadata
        /// As a last paragraph of `#tag` words.
        case hashtagParagraph
    }

    /// The service's name as users know it (`Signal`), for report sentences.
    public var serviceName: String
    /// Emphasis the service can show.
    public var styles: Set<StyleFeature>
    /// How each color is shown; a color without an entry is not shown (reported).
    public var colors: [TextColor: ColorRendering]
    /// How links are shown.
    public var links: LinkRendering
    /// How the title is shown.
    public var headings: HeadingRendering
    /// How tables are shown.
    public var tables: TableRendering
    /// Whether a code block's language reaches the service.
    public var codeLanguages: Bool
    /// How attachments travel.
    public var attachments: AttachmentRendering
    /// How many stickers one message can carry (0 if none).
    public var maximumStickers: Int
    /// How tags are shown.
    public var tags: TagRendering

    /// Creates a capability declaration.
    public init(
        serviceName: String, styles: Set<StyleFeature>, colors: [TextColor: ColorRendering], links: LinkRendering,
        headings: HeadingRendering, tables: TableRendering, codeLanguages: Bool, attachments: AttachmentRendering,
        maximumStickers: Int, tags: TagRendering
    ) {
        self.serviceName = serviceName
        self.styles = styles
        self.colors = colors
        self.links = links
        self.headings = headings
        self.tables = tables
        self.codeLanguages = codeLanguages
        self.attachments = attachments
        self.maximumStickers = maximumStickers
        self.tags = tags
    }
}

/// An emphasis a text run can carry.
public enum StyleFeature: String, Hashable, Sendable, CaseIterable {
    /// Bold.
    case bold
    /// Italic.
    case italic
    /// Strikethrough.
    case strikethrough
    /// Monospace.
    case monospace

    /// Whether `style` has this emphasis.
    public func isSet(in style: TextStyle) -> Bool {
        switch self {
        case .bold: style.bold
        case .italic: style.italic
        case .strikethrough: style.strikethrough
        case .monospace: style.monospace
        }
    }

    /// `style` without this emphasis.
    public func removed(from style: TextStyle) -> TextStyle {
        var style = style
        switch self {
        case .bold: style.bold = false
        case .italic: style.italic = false
        case .strikethrough: style.strikethrough = false
        case .monospace: style.monospace = false
        }
        return style
    }
}
