import HeraldCore

/// The changes only Slack needs beyond its capabilities (``SlackRenderer/adjusted(_:)``), each reported.
enum SlackAdjustment {
    /// `document` as Slack can show it.
    static func adjusted(_ document: Document) -> FittingResult {
        var degradations: [Degradation] = []
        var adjusted = document
        adjusted.blocks = document.blocks.map { block in
            switch block {
            case .heading(_, let content) where content.plainText.utf16.count > SlackLimits.headerText:
                // A title is never cut: it becomes a paragraph, which the limits stage can split like any other.
                degradations.append(Degradation(
                    kind: .headingShownAsText, origin: content.first?.origin ?? .title, subject: content.plainText,
                    message: "title longer than a Slack header (\(SlackLimits.headerText) characters); shown as bold text"))
                return .paragraph(adjustedRuns(content.map(\.bolded), reporting: &degradations))
            case .paragraph(let runs):
                return .paragraph(adjustedRuns(runs, reporting: &degradations))
            case .heading, .table, .codeBlock, .attachment, .sticker:
                return block
            }
        }
        return FittingResult(document: adjusted, degradations: degradations)
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
