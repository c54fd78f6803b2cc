import HeraldCore

extension Document {
    /// The message this document shows, as a sender would write it in `herald.message/v1`: lowering it again gives
    /// this document, but for where each node came from (`parts[3]` counts the parts of the new message).
    ///
    /// A leading level-1 heading is the title; paragraphs are text parts, two neighbours separated by a `"\n\n"`
    /// part; tables, code blocks, attachments and stickers are parts of their own; the tags are one last part. A
    /// later heading (lowering makes none) becomes a paragraph of bold text.
    func heraldMessage() throws(RenderError) -> NotificationMessage {
        do throws(MessageError) {
            var message = try NotificationMessage(event: event)
            var previousWasParagraph = false
            for (index, block) in blocks.enumerated() {
                let isParagraph: Bool
                switch block {
                case .heading(let level, let content) where index == 0 && level == 1:
                    try message.setTitle(content.plainText)
                    isParagraph = false
                case .heading(_, let content):
                    if previousWasParagraph { message.addText("\n\n", style: .plain) }
                    for run in content {
                        var style = run.style
                        style.bold = true
                        message.addText(run.text, style: style)
                    }
                    isParagraph = true
                case .paragraph(let content):
                    if previousWasParagraph { message.addText("\n\n", style: .plain) }
                    for run in content { message.addText(run.text, style: run.style) }
                    isParagraph = true
                case .table(let table, _):
                    try message.addTable(title: table.title, columns: table.columns, rows: table.rows)
                    isParagraph = false
                case .codeBlock(let code, _):
                    try message.addCode(code.source, language: code.language)
                    isParagraph = false
                case .attachment(let attachment, _):
                    message.addAttachment(attachment)
                    isParagraph = false
                case .sticker(let sticker, _):
                    try message.addSticker(sticker.id)
                    isParagraph = false
                }
                previousWasParagraph = isParagraph
            }
            if !tags.isEmpty { try message.addTags(tags) }
            return message
        } catch {
            throw RenderError(reason: "the document cannot be written as herald.message/v1: \(error)")
        }
    }
}
