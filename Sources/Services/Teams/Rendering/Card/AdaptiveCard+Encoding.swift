import HeraldCore

// The card's one encoder, written straight into bytes without building dictionaries and sorting their keys. Each
// object writes its keys in code-point order (`$` < upper case < lower case; a prefix before its extensions), the
// order `JSONWriter` sorts them in, so the bytes are the canonical JSON of the card; properties at their defaults
// are left out.

extension AdaptiveCard {
    /// The request body as bytes (see ``webhookMessage``).
    var webhookMessageBytes: [UInt8] {
        var stream = JSONStream()
        stream.beginObject()
        stream.key("attachments")
        stream.beginArray()
        stream.beginObject()
        stream.key("content")
        write(to: &stream)
        stream.member("contentType", Self.contentType)
        stream.key("contentUrl")
        stream.null()
        stream.endObject()
        stream.endArray()
        stream.member("type", "message")
        stream.endObject()
        return stream.bytes
    }

    /// Writes the card object (see ``jsonValue``).
    func write(to stream: inout JSONStream) {
        stream.beginObject()
        stream.member("$schema", Self.schemaURI)
        stream.key("body")
        stream.beginArray()
        for element in body { element.write(to: &stream) }
        stream.endArray()
        stream.key("msteams")
        stream.beginObject()
        stream.member("width", "Full")
        stream.endObject()
        stream.member("type", "AdaptiveCard")
        stream.member("version", Self.version)
        stream.endObject()
    }
}

extension AdaptiveCard.Element {
    /// Writes the element's JSON object.
    fileprivate func write(to stream: inout JSONStream) {
        switch self {
        case .richTextBlock(let block): block.write(to: &stream)
        case .container(let container): container.write(to: &stream)
        case .columnSet(let columnSet): columnSet.write(to: &stream)
        case .image(let image): image.write(to: &stream)
        }
    }
}

extension AdaptiveCard.RichTextBlock {
    /// Writes the element's JSON object.
    fileprivate func write(to stream: inout JSONStream) {
        stream.beginObject()
        stream.key("inlines")
        stream.beginArray()
        for run in inlines { run.write(to: &stream) }
        stream.endArray()
        writeLayout(separator: separator, spacing: spacing, to: &stream)
        stream.member("type", "RichTextBlock")
        stream.endObject()
    }
}

extension AdaptiveCard.TextRun {
    /// Writes the element's JSON object.
    fileprivate func write(to stream: inout JSONStream) {
        stream.beginObject()
        if let color { stream.member("color", color.rawValue) }
        if monospace { stream.member("fontType", "Monospace") }
        if isSubtle { stream.member("isSubtle", true) }
        if italic { stream.member("italic", true) }
        if let link {
            stream.key("selectAction")
            stream.beginObject()
            stream.member("type", "Action.OpenUrl")
            stream.member("url", link)
            stream.endObject()
        }
        if let size { stream.member("size", size.rawValue) }
        if strikethrough { stream.member("strikethrough", true) }
        stream.member("text", text)
        stream.member("type", "TextRun")
        if bold { stream.member("weight", "Bolder") }
        stream.endObject()
    }
}

extension AdaptiveCard.Container {
    /// Writes the element's JSON object.
    fileprivate func write(to stream: inout JSONStream) {
        stream.beginObject()
        stream.key("items")
        stream.beginArray()
        for item in items { item.write(to: &stream) }
        stream.endArray()
        if let style { stream.member("style", style.rawValue) }
        stream.member("type", "Container")
        stream.endObject()
    }
}

extension AdaptiveCard.ColumnSet {
    /// Writes the element's JSON object.
    fileprivate func write(to stream: inout JSONStream) {
        stream.beginObject()
        stream.key("columns")
        stream.beginArray()
        for column in columns { column.write(to: &stream) }
        stream.endArray()
        writeLayout(separator: separator, spacing: spacing, to: &stream)
        stream.member("type", "ColumnSet")
        stream.endObject()
    }
}

extension AdaptiveCard.Column {
    /// Writes the element's JSON object.
    fileprivate func write(to stream: inout JSONStream) {
        stream.beginObject()
        stream.key("items")
        stream.beginArray()
        for item in items { item.write(to: &stream) }
        stream.endArray()
        stream.member("type", "Column")
        stream.member("width", "stretch")
        stream.endObject()
    }
}

extension AdaptiveCard.Image {
    /// Writes the element's JSON object.
    fileprivate func write(to stream: inout JSONStream) {
        stream.beginObject()
        stream.member("altText", altText)
        if let height { stream.member("height", "\(height)px") }
        stream.member("type", "Image")
        stream.member("url", url)
        if let width { stream.member("width", "\(width)px") }
        stream.endObject()
    }
}

/// `separator` and `spacing`, each unless at its default (between the keys before `s` and `type`).
private func writeLayout(separator: Bool, spacing: AdaptiveCard.Spacing?, to stream: inout JSONStream) {
    if separator { stream.member("separator", true) }
    if let spacing { stream.member("spacing", spacing.rawValue) }
}
