import HeraldCore

extension DiscordRenderer {
    /// The changes Discord needs beyond its capabilities, each reported:
    /// - a title longer than ``titleLimit`` (as written) becomes a bold first line of the description
    ///   (`heading_shown_as_text`), so that no word of it is lost;
    /// - a link Discord cannot make clickable (not `http` or `https`, or link text holding `[` or `]`) is shown as its
    ///   text followed by the URL (`link_shown_as_text`);
    /// - a style with no spelling where it stands (``DiscordMarkdown/conflicts(in:)``) is removed from those runs
    ///   (`style_not_shown`);
    /// - two or more spaces at the end of a line, which Discord reads as part of the line break, are left out
    ///   (`text_altered`);
    /// - a code block's language that Discord cannot name (`c#`) is dropped (`code_language_not_shown`); empty lines
    ///   at the start or end of the code, which Discord drops, are left out (a block of nothing else with them), and a
    ///   zero-width space goes between the second and third of three backticks in a row, which would end the block
    ///   (`text_altered`);
    /// - colors: the color covering most colored characters becomes the embed's side color (its runs keep it, and
    ///   `color_approximated` says it is not on the text); every other color is removed (`color_not_shown`); when no
    ///   color covers more than each other, none is shown;
    /// - files beyond ``maximumFilesPerMessage`` or ``uploadByteLimit`` bytes in all are named instead
    ///   (`attachment_not_delivered`).
    public func adjusted(_ document: Document) -> FittingResult {
        var adjuster = Adjuster(renderer: self)
        var blocks: [Block] = []
        for (index, block) in document.blocks.enumerated() {
            if let adjusted = adjuster.adjusted(block, isTitle: index == 0) { blocks.append(adjusted) }
        }
        adjuster.showDominantColor(in: &blocks)
        return FittingResult(document: Document(event: document.event, tags: document.tags, blocks: blocks), degradations: adjuster.degradations)
    }
}

/// The state of ``DiscordRenderer/adjusted(_:)``: the report so far and the files kept.
private struct Adjuster {
    let renderer: DiscordRenderer
    var degradations: [Degradation] = []
    var filesKept = 0
    var bytesKept = 0

    init(renderer: DiscordRenderer) { self.renderer = renderer }

    mutating func report(_ kind: Degradation.Kind, _ origin: Origin, subject: String?, _ message: String) {
        degradations.append(Degradation(kind: kind, origin: origin, subject: subject, message: message))
    }

    /// `block` as Discord shows it; `nil` when nothing of it is left.
    mutating func adjusted(_ block: Block, isTitle: Bool) -> Block? {
        switch block {
        case .heading(let level, let runs):
            let content = adjusted(runs, endingLines: false)
            guard isTitle, DiscordMarkdown.write(content, degradations: &degradations).utf16.count > DiscordRenderer.titleLimit else {
                return content.isEmpty ? nil : .heading(level: level, content: content)
            }
            report(.headingShownAsText, runs.first?.origin ?? .title, subject: runs.plainText,
                   "title shown as bold text at the top of the description on Discord, whose embed titles hold \(DiscordRenderer.titleLimit) characters")
            return .paragraph(content.map { run in
                var run = run
                run.style.bold = true
                return run
            }.normalized())
        case .paragraph(let runs):
            let content = adjusted(runs, endingLines: true)
            return content.isEmpty ? nil : .paragraph(content)
        case .codeBlock(let code, let origin):
            return adjusted(code, origin: origin).map { .codeBlock($0, origin: origin) }
        case .attachment(let attachment, let origin):
            let fits = filesKept < DiscordRenderer.maximumFilesPerMessage && bytesKept + attachment.data.count <= renderer.uploadByteLimit
            guard fits else {
                let limit = renderer.uploadByteLimit % (1 << 20) == 0 ? "\(renderer.uploadByteLimit >> 20) MiB" : "\(renderer.uploadByteLimit) bytes"
                report(.attachmentNotDelivered, origin, subject: attachment.filename,
                       "attachment not delivered: a Discord message carries at most \(DiscordRenderer.maximumFilesPerMessage) files of \(limit) in all; its name is shown instead")
                return .attachmentNotice(for: attachment, origin: origin)
            }
            filesKept += 1
            bytesKept += attachment.data.count
            return block
        case .table, .sticker:
            // Absent after fitting: tables are aligned text and Discord shows no stickers.
            return block
        }
    }

    // MARK: Text

    /// Runs with links Discord cannot make clickable shown as text, styles without a spelling removed, and, when a
    /// line feed follows each line (`endingLines`: a paragraph, which the next block follows after a blank line),
    /// spaces the line-break rule would swallow left out.
    mutating func adjusted(_ runs: [TextRun], endingLines: Bool) -> [TextRun] {
        var lines = showingUnlinkableLinks(in: runs).lines
        for index in lines.indices {
            lines[index] = removingConflicts(in: lines[index])
            if endingLines { lines[index] = trimmingSpacesBeforeBreak(lines[index]) }
        }
        return [TextRun](lines: lines)
    }

    /// Links that are not `http` or `https` (Discord makes no other link clickable), or whose text holds `[` or `]`
    /// (Discord's link rule counts brackets, escaped or not), as their text followed by ` (URL)`, unless the text is
    /// the URL or the e-mail address already.
    mutating func showingUnlinkableLinks(in runs: [TextRun]) -> [TextRun] {
        guard runs.contains(where: { run in run.style.link.map { isUnlinkable($0, text: run.text) } ?? false }) else { return runs }
        var result: [TextRun] = []
        for var run in runs {
            guard let link = run.style.link, isUnlinkable(link, text: run.text) else {
                result.append(run)
                continue
            }
            run.style.link = nil
            let endsLine = run.text.hasSuffix("\n")
            if endsLine { run.text.removeLast() }
            report(.linkShownAsText, run.origin, subject: run.text,
                   "link shown as text followed by its URL on Discord, whose links are http or https with text free of [ and ]")
            result.append(run)
            var suffix = run
            let address = link.url.hasPrefix("mailto:") ? String(link.url.dropFirst("mailto:".count)) : link.url
            suffix.text = run.text == link.url || run.text == address ? "" : " (\(link.url))"
            if endsLine { suffix.text += "\n" }
            if !suffix.text.isEmpty { result.append(suffix) }
        }
        return result.normalized()
    }

    private func isUnlinkable(_ link: Link, text: String) -> Bool {
        let url = link.url.lowercased()
        return !(url.hasPrefix("http://") || url.hasPrefix("https://")) || text.contains("[") || text.contains("]")
    }

    mutating func removingConflicts(in line: [TextRun]) -> [TextRun] {
        let resolved = DiscordMarkdown.resolvingConflicts(in: line)
        degradations += resolved.degradations
        return resolved.line
    }

    /// The line without the spaces at its end when there are two or more and nothing closes after them: Discord
    /// reads them, with the line feed that follows, as a line break.
    mutating func trimmingSpacesBeforeBreak(_ line: [TextRun]) -> [TextRun] {
        guard var last = line.last, DiscordMarkdown.Frame.frames(for: last.style).isEmpty, !last.style.monospace else { return line }
        let spaces = last.text.unicodeScalars.reversed().prefix { $0 == " " }.count
        guard spaces >= 2 else { return line }
        report(.textAltered, last.origin, subject: last.text,
               "\(spaces) spaces at the end of a line not shown on Discord, which reads two or more there as part of the line break")
        last.text = String(String.UnicodeScalarView(last.text.unicodeScalars.dropLast(spaces)))
        var line = line
        line[line.count - 1] = last
        return line.normalized()
    }

    // MARK: Code

    /// The code with a language Discord can name, no empty lines at its start or end, and no three backticks in a
    /// row; `nil` when nothing but line feeds is left (an empty table's aligned text).
    mutating func adjusted(_ code: CodeSnippet, origin: Origin) -> CodeSnippet? {
        var language = code.language
        if let name = language, !name.unicodeScalars.allSatisfy(Self.isLanguageCharacter) {
            report(.codeLanguageNotShown, origin, subject: nil,
                   "code language \(name) not passed to Discord, which names a language with letters, digits and _ + . - only; shown as plain monospace text")
            language = nil
        }
        var source = code.source.trimmingLineFeeds()
        let dropped = code.source.unicodeScalars.count - source.unicodeScalars.count
        guard !source.isEmpty else {
            report(.textAltered, origin, subject: nil, "a code block of empty lines not shown on Discord, which shows no empty code block")
            return nil
        }
        if dropped > 0 {
            report(.textAltered, origin, subject: source,
                   "\(dropped == 1 ? "an empty line" : "\(dropped) empty lines") at the start or end of a code block not shown on Discord, which drops them")
        }
        if source.contains("```") {
            var broken = String.UnicodeScalarView()
            var run = 0
            for scalar in source.unicodeScalars {
                if scalar == "`" {
                    if run > 0, run % 2 == 0 { broken.append("\u{200B}") }
                    run += 1
                } else {
                    run = 0
                }
                broken.append(scalar)
            }
            source = String(broken)
            report(.textAltered, origin, subject: code.source,
                   "a zero-width space put between backticks on Discord, whose code blocks end at the first three in a row")
        }
        // Valid: a subset of a valid language, and a source that is not empty.
        return (try? CodeSnippet(language: language, source: source)) ?? code
    }

    /// Whether Discord's code block reads `scalar` as part of a language name.
    static func isLanguageCharacter(_ scalar: Unicode.Scalar) -> Bool {
        DiscordMarkdown.isASCIILetterOrDigit(scalar) || "_+.-".unicodeScalars.contains(scalar)
    }

    // MARK: Colors

    /// Keeps the color covering the most characters (more than any other) as the side color, reporting that it is not
    /// on the text, and removes every other color, reporting it.
    mutating func showDominantColor(in blocks: inout [Block]) {
        var counts: [TextColor: Int] = [:]
        var order: [TextColor] = []
        for block in blocks {
            for run in block.runs {
                guard let color = run.style.color else { continue }
                if counts[color] == nil { order.append(color) }
                counts[color, default: 0] += run.text.unicodeScalars.count
            }
        }
        guard !counts.isEmpty else { return }
        let most = counts.values.max() ?? 0
        let leaders = order.filter { counts[$0] == most }
        let dominant = leaders.count == 1 ? leaders[0] : nil
        for index in blocks.indices {
            guard blocks[index].runs.contains(where: { $0.style.color != nil }) else { continue }
            let runs = blocks[index].runs.map { run -> TextRun in
                guard let color = run.style.color else { return run }
                var run = run
                if color == dominant {
                    report(.colorApproximated, run.origin, subject: run.text,
                           "color \(color.rawValue) shown as the embed's side color on Discord, which cannot color text")
                    return run
                }
                run.style.color = nil
                let reason = dominant.map { "the embed's side color is \($0.rawValue), the color of most colored text" }
                    ?? "no one color covers most colored text to be the embed's side color"
                report(.colorNotShown, run.origin, subject: run.text, "color \(color.rawValue) not shown on Discord: \(reason)")
                return run
            }.normalized()
            switch blocks[index] {
            case .heading(let level, _): blocks[index] = .heading(level: level, content: runs)
            default: blocks[index] = .paragraph(runs)
            }
        }
    }
}
