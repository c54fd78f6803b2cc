import Herald

/// A readable terminal view of what a service will show: each message's document, with ANSI styles for bold,
/// italic, strikethrough, monospace, colors and links when the terminal shows them, and every loss marked where it
/// happens (`⚠1` after the part) and listed under the section, so that it reads the same without color.
struct TerminalPreview {
    /// Whether to use ANSI escape sequences.
    var styled: Bool

    /// A titled section for one service: its messages, then its numbered losses.
    func section(for service: Service, _ rendering: Rendering) -> String {
        let title = "── \(service.displayName) "
        let rule = title + String(repeating: "─", count: max(0, 60 - title.count))
        let losses = rendering.degradations
        let messages = rendering.messages
        var text = paint(rule, "2") + "\n"
        if messages.count > 1 {
            text += messages.enumerated().map { index, message in
                paint("· message \(index + 1) of \(messages.count)", "2") + "\n" + body(message.document, losses)
            }.joined(separator: "\n")
        } else {
            text += body(messages[0].document, losses)
        }
        guard !losses.isEmpty else { return text }
        return text + "\n" + losses.enumerated().map { index, loss in marker(index) + " \(loss)\n" }.joined()
    }

    private func body(_ document: Document, _ losses: [Degradation]) -> String {
        var blocks: [String] = []
        for block in document.blocks {
            switch block {
            case .heading(_, let content):
                blocks.append(paint(inline(content, losses), "1;4"))
            case .paragraph(let content):
                blocks.append(inline(content, losses))
            case .table(let table, let origin):
                let caption = table.title.map { paint($0, "1") + "\n" } ?? ""
                blocks.append(caption + table.alignedText.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
                    + markers(origin, losses))
            case .codeBlock(let code, let origin):
                let label = code.language.map { paint("  [\($0)]", "2") + "\n" } ?? ""
                blocks.append(label + code.source.split(separator: "\n", omittingEmptySubsequences: false).map { paint("  │ ", "2") + $0 }.joined(separator: "\n")
                    + markers(origin, losses))
            case .attachment(let attachment, let origin):
                var size = ""
                if let width = attachment.width { size += ", width \(width)" }
                if let height = attachment.height { size += ", height \(height)" }
                blocks.append(paint("[attachment] \(attachment.filename) (\(attachment.mimeType), \(attachment.data.count) bytes\(size))", "2")
                    + markers(origin, losses))
            case .sticker(let sticker, let origin):
                blocks.append(paint("[sticker \(sticker.id)]", "2") + markers(origin, losses))
            }
        }
        if !document.tags.isEmpty {
            blocks.append(paint("tags: " + document.tags.joined(separator: ", "), "2"))
        }
        return blocks.map { $0 + "\n" }.joined(separator: "\n")
    }

    /// The runs line by line, so that no style spans a line break; each run followed by the markers of its losses.
    private func inline(_ content: [TextRun], _ losses: [Degradation]) -> String {
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
                return text + (run.style.link.map { paint(" <\($0.url)>", "2") } ?? "") + markers(run.origin, losses)
            }.joined()
        }.joined(separator: "\n")
    }

    /// `⚠n` for each loss (numbered from 1 in the report's order) about a part that `origin` covers.
    private func markers(_ origin: Origin, _ losses: [Degradation]) -> String {
        losses.indices.filter { Self.overlap(origin, losses[$0].origin) }.map(marker).joined()
    }

    private func marker(_ index: Int) -> String { paint("⚠\(index + 1)", "1;33") }

    /// Whether two origins name a common part (or both the title); Herald's own text names none.
    private static func overlap(_ first: Origin, _ second: Origin) -> Bool {
        switch (first, second) {
        case (.title, .title): true
        case (.parts(let one), .parts(let other)): one.overlaps(other)
        default: false
        }
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
