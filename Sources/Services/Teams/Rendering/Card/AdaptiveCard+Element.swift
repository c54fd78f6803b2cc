import HeraldCore

extension AdaptiveCard {
    /// A card element, as Herald uses them.
    public enum Element: Hashable, Sendable {
        /// Text made of runs, each with its own style.
        case richTextBlock(RichTextBlock)
        /// A group of elements, optionally set apart by a background.
        case container(Container)
        /// A row of columns.
        case columnSet(ColumnSet)
        /// An image.
        case image(Image)
    }

    /// Space above an element, instead of the host's default.
    public enum Spacing: String, Hashable, Sendable {
        /// No space (`"None"`; not named `none`, which would read as `Optional.none`): the element continues the
        /// one above, as the next line of a paragraph does.
        case zero = "None"
        /// Less space than the default (between table rows).
        case small = "Small"
    }

    /// `RichTextBlock`: a block of ``TextRun``s. Unlike `TextBlock`, its text is never read as Markdown.
    public struct RichTextBlock: Hashable, Sendable {
        /// The runs.
        public var inlines: [TextRun]
        /// Space above the block; `nil` for the default.
        public var spacing: Spacing?
        /// Whether a line is drawn above the block.
        public var separator: Bool

        /// Creates a block.
        public init(inlines: [TextRun], spacing: Spacing? = nil, separator: Bool = false) {
            self.inlines = inlines
            self.spacing = spacing
            self.separator = separator
        }
    }

    /// `Container`: elements grouped, optionally on a background.
    public struct Container: Hashable, Sendable {
        /// The background style of a container.
        public enum Style: String, Hashable, Sendable {
            /// The host's emphasis background (a light grey in Teams), used for code.
            case emphasis = "Emphasis"
        }

        /// The elements.
        public var items: [Element]
        /// The background; `nil` for none.
        public var style: Style?

        /// Creates a container.
        public init(items: [Element], style: Style? = nil) {
            self.items = items
            self.style = style
        }
    }

    /// `ColumnSet`: one row of columns.
    public struct ColumnSet: Hashable, Sendable {
        /// The columns, left to right.
        public var columns: [Column]
        /// Space above the row; `nil` for the default.
        public var spacing: Spacing?
        /// Whether a line is drawn above the row.
        public var separator: Bool

        /// Creates a row.
        public init(columns: [Column], spacing: Spacing? = nil, separator: Bool = false) {
            self.columns = columns
            self.spacing = spacing
            self.separator = separator
        }
    }

    /// `Column`: a column of a ``ColumnSet``. Every column has width `"stretch"`: the columns of a row share its
    /// width equally, so the cells of rows with the same number of columns line up.
    public struct Column: Hashable, Sendable {
        /// The elements, top to bottom; empty for an empty cell.
        public var items: [Element]

        /// Creates a column.
        public init(items: [Element]) {
            self.items = items
        }
    }

    /// `Image`: a picture, here always carried in the card as a `data:` URI.
    public struct Image: Hashable, Sendable {
        /// The image's URL.
        public var url: String
        /// The text shown to people who cannot see the image.
        public var altText: String
        /// The display width in pixels; `nil` for the image's own size, scaled down to fit.
        public var width: Int?
        /// The display height in pixels; `nil` to follow the width.
        public var height: Int?

        /// Creates an image.
        public init(url: String, altText: String, width: Int? = nil, height: Int? = nil) {
            self.url = url
            self.altText = altText
            self.width = width
            self.height = height
        }
    }
}
