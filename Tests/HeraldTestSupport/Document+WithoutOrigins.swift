import HeraldCore

extension Document {
    /// The document with every origin `.generated`: what a reader of a payload, which carries no origins, gives.
    public var withoutOrigins: Document {
        func strip(_ content: [TextRun]) -> [TextRun] {
            content.map { TextRun($0.text, style: $0.style) }
        }
        let blocks = blocks.map { block -> Block in
            switch block {
            case .heading(let level, let content): .heading(level: level, content: strip(content))
            case .paragraph(let content): .paragraph(strip(content))
            case .table(let table, _): .table(table, origin: .generated)
            case .codeBlock(let code, _): .codeBlock(code, origin: .generated)
            case .attachment(let attachment, _): .attachment(attachment, origin: .generated)
            case .sticker(let sticker, _): .sticker(sticker, origin: .generated)
            }
        }
        return Document(event: event, tags: tags, blocks: blocks)
    }
}
