import HeraldCore

/// One message's document with the white space Telegram would remove kept as no-break spaces, and a report of each
/// change.
///
/// TDLib trims spaces and line feeds at both ends of a message's text and moves the start of every entity but a
/// link past spaces and line feeds (`fix_formatted_text`, `remove_invalid_entities`). So, in the message as it is
/// encoded: a space that begins or ends the text, or begins a style or a code block, is written as U+00A0 (only
/// the first or last one: the rest then no longer stands at an edge); a code block that begins with a line break,
/// or ends the text with one, gets a U+00A0 before or after it. Which spaces stand at a message's ends depends on
/// where the limits stage cut, so this is done per message, and reported with the message's payload
/// (`character_replaced`). A message whose text shows nothing goes without it.
struct TelegramEdges {
    /// The document as it is encoded.
    private(set) var document: Document
    /// One degradation per changed block.
    private(set) var degradations: [Degradation] = []

    /// Keeps the edges of `document`, one message; text that shows nothing, which Telegram refuses, is left out
    /// (`truncated`), the attachments still sent.
    init(_ document: Document) {
        self.document = document
        let texts = document.blocks.indices.filter { TelegramText.isText(document.blocks[$0]) }
        guard let first = texts.first, let last = texts.last else { return }
        guard !TelegramText.showsNothing(document) else {
            let origin = switch document.blocks[first] {
            case .codeBlock(_, let origin), .table(_, let origin): origin
            case let block: block.runs.first?.origin ?? .generated
            }
            degradations.append(Degradation(
                kind: .truncated, origin: origin,
                message: "text of only white space or invisible characters not sent: Telegram refuses a message that shows nothing"))
            self.document.blocks.removeAll(where: TelegramText.isText)
            return
        }
        for index in texts {
            switch document.blocks[index] {
            case .heading(let level, let runs):
                self.document.blocks[index] = .heading(level: level, content: kept(runs, first: index == first, last: index == last))
            case .paragraph(let runs):
                self.document.blocks[index] = .paragraph(kept(runs, first: index == first, last: index == last))
            case .codeBlock(let code, let origin):
                self.document.blocks[index] = .codeBlock(kept(code, origin: origin, last: index == last), origin: origin)
            case .table, .attachment, .sticker:
                continue
            }
        }
    }

    /// A paragraph's runs with the space at the start of the text (`first`), at its end (`last`) and at the start of
    /// each style kept.
    private mutating func kept(_ runs: [TextRun], first: Bool, last: Bool) -> [TextRun] {
        var runs = runs
        var changed: (origin: Origin, subject: String)?
        var stack = TelegramTagStack()
        for index in runs.indices {
            let (closed, opened) = stack.move(to: runs[index].style)
            // Telegram joins a bold, italic or strikethrough entity with one that ends where it starts.
            let startsEntity = opened.contains { $0.isShrunkPastLeadingSpace && !($0.mergesWithNeighbour && closed.contains($0)) }
            if (first && index == 0) || startsEntity, runs[index].text.unicodeScalars.first == " " {
                changed = changed ?? (runs[index].origin, runs[index].text)
                runs[index].text = runs[index].text.replacingScalar(atStart: true)
            }
        }
        if last, let end = runs.indices.last, runs[end].text.unicodeScalars.last == " " {
            changed = changed ?? (runs[end].origin, runs[end].text)
            runs[end].text = runs[end].text.replacingScalar(atStart: false)
        }
        if let changed { report(changed.origin, changed.subject, "space") }
        return runs
    }

    /// A code block with the white space at its start, and at its end when it ends the text, kept.
    private mutating func kept(_ code: CodeSnippet, origin: Origin, last: Bool) -> CodeSnippet {
        var source = code.source
        switch source.unicodeScalars.first {
        case " ": source = source.replacingScalar(atStart: true)
        case "\n": source = "\u{A0}" + source
        default: break
        }
        switch last ? source.unicodeScalars.last : nil {
        case " ": source = source.replacingScalar(atStart: false)
        case "\n": source += "\u{A0}"
        default: break
        }
        guard !source.unicodeScalars.elementsEqual(code.source.unicodeScalars),
            let kept = try? CodeSnippet(language: code.language, source: source)
        else { return code }
        report(origin, code.source, "space or line break")
        return kept
    }

    private mutating func report(_ origin: Origin, _ subject: String, _ what: String) {
        degradations.append(Degradation(
            kind: .characterReplaced, origin: origin, subject: subject,
            message: "\(what) at the start or end of the message, a style or a code block kept with a no-break space (U+00A0) on Telegram, which removes such white space"))
    }
}
