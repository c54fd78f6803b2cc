import Herald

/// A readable terminal view of what a service will show: each message's document, with ANSI styles for bold,
/// italic, strikethrough, monospace, colors and links when the terminal shows them.
struct TerminalPreview {
    /// Whether to use ANSI escape sequences.
    var styled: Bool

    /// A titled section for one service.
    func section(for service: Service, _ rendering: Rendering) -> String {
        let title = "── \(service.displayName) "
        let rule = title + String(repeating: "─", count: max(0, 60 - title.count))
        let messages = rendering.messages
        guard messages.count > 1 else { return paint(rule, "2") + "\n" + body(messages[0].document) }
        return paint(rule, "2") + "\n" + messages.enumerated().map { index, message in
            paint("· message \(index + 1) of \(messages.count)", "2") + "\n" + body(message.document)
        }.joined(separator: "\n")
    }

    private func body(_ document: Document) -> String {
        var blocks: [String] = []
        for block in document.blocks {
            switch block {
            case .heading(_, let content):
                blocks.append(paint(inline(content), "1;4"))
            case .paragraph(let content):
                blocks.append(inline(content))
            case .table(let table, _):
                let caption = table.title.map { paint($0, "1") + "\n" } ?? ""
                blocks.append(caption + table.alignedText.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n"))
            case .codeBlock(let code, _):
                let label = code.language.map { paint("  [\($0)]", "2") + "\n" } ?? ""
                blocks.append(label + code.source.split(separator: "\n", omittingEmptySubsequences: false).map { paint("  │ ", "2") + $0 }.joined(separator: "\n"))
            case .attachment(let attachment, _):
                var size = ""
                if let width = attachment.width { size += ", width \(width)" }
                if let height = attachment.height { size += ", height \(height)" }
                blocks.append(paint("[attachment] \(attachment.filename) (\(attachment.mimeType), \(attachment.data.count) bytes\(size))", "2"))
            case .sticker(let sticker, _):
                blocks.append(paint("[sticker \(sticker.id)]", "2"))
            }
        }
        if !document.tags.isEmpty {
            blocks.append(paint("tags: " + document.tags.joined(separator: ", "), "2"))
        }
        return blocks.map { $0 + "\n" }.joined(separator: "\n")
    }

    /// The runs line by line, so that no style spans a line break.
    private func inline(_ content: [TextRun]) -> String {
        content.lines.map { line in
            line.map { run in
                var codes: [String] = []
                if run.style.bold { codes.append("1") }
                if run.style.italic { codes.append("3") }
                if run.style.strikethrough { codes.append("9") }
                if run.style.monospace { codes.append("7") }
                if let color = run.style.color { codes.append(Self.colorCode(color)) }
                if run.style.link != nil { codes.append("4") }
                let text = paint(run.text, codes.joined(separator: ";"))
                return text + (run.style.link.map { paint(" <\($0.url)>", "2") } ?? "")
            }.joined()
        }.joined(separator: "\n")
    }

    private func paint(_ text: String, _ codes: String) -> String {
        guard styled, !codes.isEmpty else { return text }
        return "\u{1B}[\(codes)m" + text + "\u{1B}[0m"
    }

    private static func colorCode(_ color: TextColor) -> String {
        switch color {
        case .red: "31"
        case .green: "32"
        case .black: "39"
        case .yellow: "33"
        case .pink: "95"
        case .blue: "34"
        }
    }
}
