import HeraldCore

/// The changes only Slack needs beyond its capabilities (``SlackRenderer/adjusted(_:)``), each reported.
enum SlackAdjustment {
    /// `document` as Slack can show it, in messages of at most `maximumMessages`.
    static func adjusted(_ document: Document, maximumMessages: Int) -> FittingResult {
        var degradations: [Degradation] = []
        var adjusted = document
        // What the messages can show at most, and never less than ten messages show: text past it is cut by the limits
        // stage, so no block there is cut into sections.
        let (product, overflow) = max(maximumMessages, SlackLimits.maximumMessages).multipliedReportingOverflow(by: SlackLimits.fallbackText)
        var budget = overflow ? Int.max : product
        adjusted.blocks = document.blocks.flatMap { block -> [Block] in
            let shown: Block
            switch block {
            case .heading(_, let content) where content.plainText.utf16.count > SlackLimits.headerText:
                // A title is never cut: it becomes a paragraph, which is split like any other.
                degradations.append(Degradation(
                    kind: .headingShownAsText, origin: content.first?.origin ?? .title, subject: content.plainText,
                    message: "title longer than a Slack header (\(SlackLimits.headerText) characters); shown as bold text"))
                shown = .paragraph(adjustedRuns(content.map(\.bolded), reporting: &degradations))
            case .paragraph(let runs):
                shown = .paragraph(adjustedRuns(runs, reporting: &degradations))
            case .heading, .table, .codeBlock, .attachment, .sticker:
                shown = block
            }
            return sections(of: shown, within: &budget, reporting: &degradations)
        }
        return FittingResult(document: adjusted, degradations: degradations)
    }

    /// The one section text limit, applied by the shared limits stage to cut a block into sections.
    static let sectionLimit = MessageLimit(
        subject: "section text", maximum: SlackLimits.sectionText, unit: .utf16CodeUnits, measure: SlackMessage.longestSectionText)

    /// A paragraph or code block whose `mrkdwn` is longer than a section takes, as the pieces the shared limits stage
    /// cuts it into (at line breaks, else spaces, else between characters), so that one message shows it in several
    /// sections rather than several messages in one section each; the block itself otherwise.
    ///
    /// Only blocks within what the messages can show at most (`budget`, UTF-16 code units of text, which each block
    /// uses up) are cut: the limits stage cuts the text off past it, and cutting a megabyte block into sections nobody
    /// receives would only cost time (each cut copies the rest). A block that does not fit in what is left stays
    /// whole, for the limits stage to split into messages of one section and cut.
    private static func sections(of block: Block, within budget: inout Int, reporting degradations: inout [Degradation]) -> [Block] {
        let length = SlackMessage.rawTextLength(of: block)
        guard length <= budget else {
            budget = 0
            return [block]
        }
        budget -= length
        let alone = Document(blocks: [block])
        guard !sectionLimit.admits(alone),
            let limited = try? alone.limited(to: ServiceLimits(perMessage: [sectionLimit], maximumMessages: .max), serviceName: "Slack")
        else { return [block] }
        let pieces = limited.messages.flatMap(\.blocks)
        let (kind, text, origin): (String, String, Origin) =
            switch block {
            case .codeBlock(let code, let origin): ("code block", code.source, origin)
            default: ("paragraph", block.runs.plainText, block.runs.first?.origin ?? .generated)
            }
        degradations.append(Degradation(
            kind: .blockSplit, origin: origin, subject: text,
            message: "\(kind) longer than a Slack section (\(SlackLimits.sectionText) characters of mrkdwn) shown as \(pieces.count) "
                + "sections, cut at line breaks or spaces"))
        return pieces
    }

    /// The runs without monospace on links and backticks, and each link whose text Slack would read as markup
    /// shown as that text followed by ` (URL)`; the runs themselves when none of that applies.
    private static func adjustedRuns(_ runs: [TextRun], reporting degradations: inout [Degradation]) -> [TextRun] {
        guard runs.contains(where: needsAdjusting) else { return runs }
        var result: [TextRun] = []
        for var run in runs {
            guard needsAdjusting(run) else {
                result.append(run)
                continue
            }
            if run.style.link != nil, run.style.monospace {
                run.style.monospace = false
                degradations.append(Degradation(
                    kind: .styleNotShown, origin: run.origin, subject: run.text,
                    message: "monospace not shown on Slack for a link: a code span holds no link"))
            }
            if let link = run.style.link, run.text != link.url, !SlackMrkdwn.isSafeLabel(run.text) {
                degradations.append(Degradation(
                    kind: .linkShownAsText, origin: run.origin, subject: run.text,
                    message: "link shown as text followed by its URL on Slack, which would read its text as formatting"))
                result += textFollowedByURL(run, link: link)
                continue
            }
            if run.style.monospace, run.text.unicodeScalars.contains("`") {
                degradations.append(Degradation(
                    kind: .styleNotShown, origin: run.origin, subject: run.text,
                    message: "monospace not shown on Slack for a backtick: no code span can hold one"))
                result += backticksOutsideCode(run)
                continue
            }
            result.append(run)
        }
        return result.normalized()
    }

    private static func needsAdjusting(_ run: TextRun) -> Bool {
        if let link = run.style.link {
            return run.style.monospace || (run.text != link.url && !SlackMrkdwn.isSafeLabel(run.text))
        }
        return run.style.monospace && run.text.unicodeScalars.contains("`")
    }

    /// `text (URL)` in the run's style, the URL a link whose text is the URL (which Slack shows unread), before the
    /// line break that may end the run.
    private static func textFollowedByURL(_ run: TextRun, link: Link) -> [TextRun] {
        var text = run
        text.style.link = nil
        let endsLine = text.text.hasSuffix("\n")
        if endsLine { text.text.removeLast() }
        var url = run
        url.text = link.url
        var open = text, close = text
        open.text = " ("
        close.text = endsLine ? ")\n" : ")"
        return [text, open, url, close]
    }

    /// The run cut around its backticks, which lose monospace.
    private static func backticksOutsideCode(_ run: TextRun) -> [TextRun] {
        var pieces: [TextRun] = []
        var current = String.UnicodeScalarView()
        var currentIsBacktick = false
        func flush() {
            guard !current.isEmpty else { return }
            var piece = run
            piece.text = String(current)
            piece.style.monospace = !currentIsBacktick
            pieces.append(piece)
            current.removeAll()
        }
        for scalar in run.text.unicodeScalars {
            if (scalar == "`") != currentIsBacktick {
                flush()
                currentIsBacktick = scalar == "`"
            }
            current.append(scalar)
        }
        flush()
        return pieces
    }
}

extension TextRun {
    /// The run in bold.
    fileprivate var bolded: TextRun {
        var run = self
        run.style.bold = true
        return run
    }
}
