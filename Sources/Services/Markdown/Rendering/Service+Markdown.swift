import HeraldCore

extension Service {
    /// Markdown (CommonMark with GFM tables and strikethrough) for chat tools and webhooks that take Markdown.
    public static let markdown = Service(id: "markdown", renderer: MarkdownRenderer(), payloadFileExtension: "md")
}
