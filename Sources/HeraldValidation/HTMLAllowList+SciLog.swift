extension HTMLAllowList {
    /// Exactly the markup a SciLog logbook entry (`Paragraph.textcontent`) may contain: what SciLog's CKEditor 5
    /// produces and Angular's sanitizer keeps, with no `style` and no event-handler attributes anywhere.
    ///
    /// - Text: `p, br, strong, i, em, u, s, code, sub, sup, ul, ol, li, blockquote, h2, h3, h4, pre`, no attributes.
    /// - Highlights: `mark` with one class of `pen-red, pen-green, marker-yellow, marker-pink, marker-blue,
    ///   marker-green`.
    /// - Code blocks: `code` with one class `language-*`.
    /// - Links: `a` with `href` (`http`, `https`, `mailto`, or `file:HASH` for SciLog file links), `class="fileLink"`
    ///   and `target="_blank"`.
    /// - Tables: `figure class="table"` holding `table, thead, tbody, tr, th, td`, no attributes.
    /// - Images: `figure class="image"` or `"image image_resized"` holding `img` with an empty `src` (SciLog fills
    ///   it) and a `title` naming the file hash.
    public static let scilog = HTMLAllowList(elements: {
        let plain = [
            "p", "br", "strong", "i", "em", "u", "s", "sub", "sup", "ul", "ol", "li", "blockquote",
            "h2", "h3", "h4", "pre", "table", "thead", "tbody", "tr", "th", "td",
        ]
        var elements = Dictionary(uniqueKeysWithValues: plain.map { ($0, [String: AttributeRule]()) })
        let highlights = ["pen-red", "pen-green", "marker-yellow", "marker-pink", "marker-blue", "marker-green"]
        elements["mark"] = ["class": .classList(Set(highlights.map { .exactly([$0]) }))]
        elements["code"] = ["class": .classList([.prefixed("language-")])]
        elements["a"] = [
            "href": .url(schemes: ["http", "https", "mailto", "file"]),
            "class": .classList([.exactly(["fileLink"])]),
            "target": .oneOf(["_blank"]),
        ]
        elements["figure"] = [
            "class": .classList([.exactly(["table"]), .exactly(["image"]), .exactly(["image", "image_resized"])]),
        ]
        elements["img"] = ["src": .empty, "title": .anyValue]
        return elements
    }())
}
