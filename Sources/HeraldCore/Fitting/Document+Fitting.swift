extension Document {
    /// Adapts the document to what a service can show, recording every change as a ``Degradation``.
    ///
    /// The result contains only what the service shows, so a renderer can encode it without further loss.
    public func fitted(to capabilities: Capabilities) -> FittingResult {
        var fitter = Fitter(capabilities: capabilities)
        var blocks: [Block] = []
        var stickers = 0
        for block in self.blocks {
            switch block {
            case .heading(let level, let content):
                switch capabilities.headings {
                case .native:
                    blocks.append(.heading(level: level, content: fitter.fit(content)))
                case .boldParagraph:
                    let bolded = content.map { run in
                        var run = run
                        run.style.bold = true
                        return run
                    }
                    fitter.report(.headingShownAsText, content.first?.origin ?? .title, subject: content.plainText,
                                  "title shown as bold text on \(capabilities.serviceName)")
                    blocks.append(.paragraph(fitter.fit(bolded)))
                }
            case .paragraph(let content):
                blocks.append(.paragraph(fitter.fit(content)))
            case .table(let table, let origin):
                switch capabilities.tables {
                case .native:
                    blocks.append(block)
                case .singleLineCells(let separator):
                    blocks.append(.table(fitter.joiningCellLines(of: table, origin: origin, with: separator), origin: origin))
                case .alignedText:
                    fitter.report(.tableShownAsText, origin, subject: table.title,
                                  "table shown as aligned monospace text on \(capabilities.serviceName)")
                    if let title = table.title {
                        blocks.append(.paragraph(fitter.fit([TextRun(title, style: TextStyle(bold: true), origin: origin)])))
                    }
                    blocks.append(.codeBlock(CodeSnippet(validatedLanguage: nil, source: table.alignedText), origin: origin))
                }
            case .codeBlock(let code, let origin):
                if let language = code.language, !capabilities.codeLanguages {
                    fitter.report(.codeLanguageNotShown, origin, subject: nil,
                                  "code language \(language) not passed to \(capabilities.serviceName); shown as plain monospace text")
                    blocks.append(.codeBlock(CodeSnippet(validatedLanguage: nil, source: code.source), origin: origin))
                } else {
                    blocks.append(block)
                }
            case .attachment(let attachment, let origin):
                let delivered = switch capabilities.attachments {
                case .native: true
                case .nameOnly: false
                case .inlineImagesOnly: attachment.isInlineImage
                }
                if delivered {
                    blocks.append(block)
                } else {
                    fitter.report(.attachmentNotDelivered, origin, subject: attachment.filename,
                                  "attachment not delivered with \(capabilities.serviceName); its name is shown instead")
                    blocks.append(.attachmentNotice(for: attachment, origin: origin))
                }
            case .sticker(let sticker, let origin):
                if stickers < capabilities.maximumStickers {
                    stickers += 1
                    blocks.append(block)
                } else {
                    let reason = capabilities.maximumStickers == 0
                        ? "stickers are not shown on \(capabilities.serviceName)"
                        : "only \(capabilities.maximumStickers) sticker per message on \(capabilities.serviceName); this one is not sent"
                    fitter.report(.stickerNotShown, origin, subject: sticker.id, reason)
                }
            }
        }
        var fittedDocument = Document(event: event, tags: tags, blocks: blocks)
        if capabilities.tags == .hashtagParagraph, !tags.isEmpty {
            let line = tags.map { "#\($0)" }.joined(separator: " ")
            fittedDocument.blocks.append(.paragraph([TextRun(line, origin: .generated)]))
            fittedDocument.tags = []
        }
        return FittingResult(document: fittedDocument, degradations: fitter.degradations)
    }
}

/// A document fitted to a service, with the losses that fitting recorded.
public struct FittingResult: Hashable, Sendable {
    /// What the service will show.
    public var document: Document
    /// What it will not show as written.
    public var degradations: [Degradation]

    /// Creates a result.
    public init(document: Document, degradations: [Degradation]) {
        self.document = document
        self.degradations = degradations
    }
}

extension Block {
    /// The italic line that stands in for an attachment a service does not receive:
    /// `📎 scan_1234.pdf (application/pdf, 193 bytes)`.
    public static func attachmentNotice(for attachment: Attachment, origin: Origin) -> Block {
        let line = "📎 \(attachment.filename) (\(attachment.mimeType), \(formatByteCount(attachment.data.count)))"
        return .paragraph([TextRun(line, style: TextStyle(italic: true), origin: origin)])
    }
}

extension Array where Element == TextRun {
    /// The text of the runs, line breaks included.
    public var plainText: String {
        reduce(into: "") { $0 += $1.text }
    }
}

extension Table {
    /// The table as monospace text: columns padded to equal width and separated by ` | `, a rule under the header.
    ///
    /// A cell of several lines makes its row as many lines high, each cell's lines from the top, the columns still
    /// aligned; then a rule also separates the body rows, so that a row's second line never reads as a row.
    public var alignedText: String {
        let lines = ([columns] + rows).map { $0.map { $0.split(separator: "\n", omittingEmptySubsequences: false) } }
        let widths = columns.indices.map { column in
            lines.lazy.flatMap { $0[column] }.map(\.count).max() ?? 0
        }
        func textLines(_ cells: [[Substring]]) -> [String] {
            (0..<(cells.map(\.count).max() ?? 1)).map { lineIndex in
                let padded = cells.enumerated().map { index, cellLines in
                    let text = lineIndex < cellLines.count ? cellLines[lineIndex] : ""
                    return index == cells.count - 1 ? String(text) : text + String(repeating: " ", count: widths[index] - text.count)
                }
                return padded.joined(separator: " | ")
            }
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "-+-")
        let rowsHaveSeveralLines = lines.dropFirst().contains { $0.contains { $0.count > 1 } }
        var text = textLines(lines[0]) + [rule]
        for (index, row) in lines.dropFirst().enumerated() {
            if index > 0, rowsHaveSeveralLines { text.append(rule) }
            text += textLines(row)
        }
        return text.joined(separator: "\n")
    }
}

private struct Fitter {
    let capabilities: Capabilities
    var degradations: [Degradation] = []

    mutating func report(_ kind: Degradation.Kind, _ origin: Origin, subject: String?, _ message: String) {
        degradations.append(Degradation(kind: kind, origin: origin, subject: subject, message: message))
    }

    /// `table` with the lines of each cell joined by `separator`, reported once for the table (naming the first
    /// cell of several lines); `table` itself when every cell is one line.
    mutating func joiningCellLines(of table: Table, origin: Origin, with separator: String) -> Table {
        let hasLineBreak = { (cell: String) in cell.utf8.contains(UInt8(ascii: "\n")) }
        guard let first = (table.columns + table.rows.joined()).first(where: hasLineBreak) else { return table }
        report(.cellLinesJoined, origin, subject: first,
               "line breaks in table cells shown as \(quoted(separator)) on \(capabilities.serviceName), whose table cells hold one line")
        let joined = { (cell: String) in
            hasLineBreak(cell) ? cell.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: separator) : cell
        }
        return Table(validatedTitle: table.title, columns: table.columns.map(joined), rows: table.rows.map { $0.map(joined) })
    }

    /// `content` as the service shows it, normalized; `content` itself, without a copy, when the service shows it
    /// as it is.
    mutating func fit(_ content: [TextRun]) -> [TextRun] {
        guard content.contains(where: needsFitting) else { return content }
        var result: [TextRun] = []
        // A link shown as text may add a run for its URL.
        let urlRuns = capabilities.links == .urlAfterText ? content.count { $0.style.link != nil } : 0
        result.reserveCapacity(content.count + urlRuns)
        for var run in content {
            guard needsFitting(run) else {
                result.append(run)
                continue
            }
            let service = capabilities.serviceName
            for feature in StyleFeature.allCases where feature.isSet(in: run.style) && !capabilities.styles.contains(feature) {
                run.style = feature.removed(from: run.style)
                report(.styleNotShown, run.origin, subject: run.text, "\(feature.rawValue) not shown on \(service)")
            }
            if let color = run.style.color {
                switch capabilities.colors[color] {
                case .exact?: break
                case .serviceDefault?: run.style.color = nil
                case .approximated(let substitute)?:
                    run.style.color = substitute
                    report(.colorApproximated, run.origin, subject: run.text, "color \(color.rawValue) shown as \(substitute.rawValue) on \(service)")
                case nil:
                    run.style.color = nil
                    report(.colorNotShown, run.origin, subject: run.text, "color \(color.rawValue) not shown on \(service)")
                }
            }
            if let link = run.style.link, capabilities.links == .urlAfterText {
                run.style.link = nil
                // The URL follows the link's text, before the line break that may end the run.
                let endsLine = run.text.utf8.last == UInt8(ascii: "\n")
                if endsLine { run.text.removeLast() }
                report(.linkShownAsText, run.origin, subject: run.text, "link shown as text followed by its URL on \(service)")
                let shownURL = link.url.hasPrefix("mailto:") ? String(link.url.dropFirst("mailto:".count)) : link.url
                var suffix = run
                suffix.text = run.text != link.url && run.text != shownURL ? " (\(link.url))" : ""
                if endsLine { suffix.text += "\n" }
                result.append(run)
                if !suffix.text.isEmpty { result.append(suffix) }
                continue
            }
            result.append(run)
        }
        result.normalize()
        return result
    }

    /// Whether `run` has an emphasis, a color or a link the service shows differently; plain runs never do.
    private func needsFitting(_ run: TextRun) -> Bool {
        let style = run.style
        if let color = style.color, capabilities.colors[color] != .exact { return true }
        if style.link != nil, capabilities.links == .urlAfterText { return true }
        guard style.bold || style.italic || style.strikethrough || style.monospace else { return false }
        return StyleFeature.allCases.contains { $0.isSet(in: style) && !capabilities.styles.contains($0) }
    }
}

/// `1234` as `1.2 KiB`, `512` as `512 bytes`: locale-independent, one decimal.
package func formatByteCount(_ count: Int) -> String {
    func oneDecimal(_ value: Int, _ unit: Int) -> String {
        let tenths = (value * 10 + unit / 2) / unit
        return "\(tenths / 10).\(tenths % 10)"
    }
    if count < 1024 { return count == 1 ? "1 byte" : "\(count) bytes" }
    if count < 1024 * 1024 { return "\(oneDecimal(count, 1024)) KiB" }
    return "\(oneDecimal(count, 1024 * 1024)) MiB"
}
