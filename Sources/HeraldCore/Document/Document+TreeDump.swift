extension Document {
    /// A readable, deterministic tree of the document, for tests, reviews and `herald render --ast`.
    ///
    /// ```
    /// Document event: "sample_mount_failed" tags: ["robot"]
    /// ├─ Heading level: 1
    /// │  └─ Text "Sample mount failed" (title)
    /// └─ Paragraph
    ///    ├─ Text "Robot arm stopped" bold color: red (parts[0])
    ///    └─ Text " during mount.\nGripper pressure low." (parts[1])
    /// ```
    public var treeDump: String {
        var header = "Document"
        if let event { header += " event: \(quoted(event))" }
        if !tags.isEmpty { header += " tags: [\(tags.map { quoted($0) }.joined(separator: ", "))]" }
        var lines = [header]
        for (index, block) in blocks.enumerated() {
            appendTree(of: block, isLast: index == blocks.count - 1, prefix: "", into: &lines)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func appendTree(of block: Block, isLast: Bool, prefix: String, into lines: inout [String]) {
        let branch = prefix + (isLast ? "└─ " : "├─ ")
        let childPrefix = prefix + (isLast ? "   " : "│  ")
        var children: [String] = []
        switch block {
        case .heading(let level, let content):
            lines.append(branch + "Heading level: \(level)")
            children = content.map(\.treeLine)
        case .paragraph(let content):
            lines.append(branch + "Paragraph")
            children = content.map(\.treeLine)
        case .table(let table, let origin):
            lines.append(branch + "Table" + (table.title.map { " title: \(quoted($0))" } ?? "") + " (\(origin))")
            children = ["Columns [\(table.columns.map { quoted($0) }.joined(separator: ", "))]"]
                + table.rows.map { "Row [\($0.map { quoted($0) }.joined(separator: ", "))]" }
        case .codeBlock(let code, let origin):
            lines.append(branch + "CodeBlock" + (code.language.map { " language: \($0)" } ?? "") + " (\(origin))")
            children = [quoted(code.source)]
        case .attachment(let attachment, let origin):
            var line = "Attachment \(quoted(attachment.filename)) \(attachment.mimeType) \(attachment.data.count) bytes"
            if let width = attachment.width { line += " width: \(width)" }
            if let height = attachment.height { line += " height: \(height)" }
            lines.append(branch + line + " (\(origin))")
        case .sticker(let sticker, let origin):
            lines.append(branch + "Sticker \(sticker.id) (\(origin))")
        }
        for (index, child) in children.enumerated() {
            lines.append(childPrefix + (index == children.count - 1 ? "└─ " : "├─ ") + child)
        }
    }
}

extension TextRun {
    fileprivate var treeLine: String {
        var line = "Text \(quoted(text))"
        for feature in StyleFeature.allCases where feature.isSet(in: style) { line += " \(feature.rawValue)" }
        if let color = style.color { line += " color: \(color.rawValue)" }
        if let link = style.link { line += " link: \(quoted(link.url))" }
        return line + " (\(origin))"
    }
}
