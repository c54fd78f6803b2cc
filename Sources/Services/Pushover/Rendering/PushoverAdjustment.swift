import HeraldCore

/// The changes Pushover needs beyond fitting (``PushoverRenderer/adjusted(_:)``), each reported.
struct PushoverAdjustment {
    private(set) var result: FittingResult

    init(_ document: Document) {
        result = FittingResult(document: document, degradations: [])
        sendTitleAsMessageIfNoText()
        cutLongTitle()
        keepOneImage()
        reportMonospaceBlocks()
    }

    private mutating func report(_ kind: Degradation.Kind, _ origin: Origin, _ subject: String?, _ message: String) {
        result.degradations.append(Degradation(kind: kind, origin: origin, subject: subject, message: message))
    }

    /// Pushover refuses a push without message text: a title alone becomes the message.
    private mutating func sendTitleAsMessageIfNoText() {
        guard case .heading(1, let content)? = result.document.blocks.first,
            !result.document.blocks.dropFirst().contains(where: \.hasText)
        else { return }
        result.document.blocks[0] = .paragraph(content)
        report(.headingShownAsText, content.first?.origin ?? .title, content.plainText,
               "title sent as the message on Pushover, which needs message text")
    }

    /// A title over the limit keeps as many whole characters as fit before `…`.
    private mutating func cutLongTitle() {
        let limit = PushoverRenderer.titleCharacterLimit
        guard case .heading(1, let content)? = result.document.blocks.first else { return }
        let title = content.plainText
        guard title.unicodeScalars.count > limit else { return }
        var kept = ""
        var scalars = 0
        for character in title {
            let count = character.unicodeScalars.count
            guard scalars + count <= limit - 1 else { break }
            kept.append(character)
            scalars += count
        }
        let origin = content.first?.origin ?? .title
        result.document.blocks[0] = .heading(level: 1, content: [TextRun(kept + "…", origin: origin)])
        report(.truncated, origin, title,
               "title cut to \(limit) characters, Pushover's limit: \(title.count - kept.count) characters not shown")
    }

    /// One image per push, within the size limit; any other image is named in a line instead.
    private mutating func keepOneImage() {
        var sent = false
        for (index, block) in result.document.blocks.enumerated() {
            guard case .attachment(let attachment, let origin) = block else { continue }
            let fits = attachment.data.count <= PushoverRenderer.attachmentByteLimit
            if !sent, fits {
                sent = true
                continue
            }
            result.document.blocks[index] = .attachmentNotice(for: attachment, origin: origin)
            report(.attachmentNotDelivered, origin, attachment.filename,
                   fits ? "only one image per Pushover message; its name is shown instead"
                        : "image over Pushover's \(PushoverRenderer.attachmentByteLimit) bytes; its name is shown instead")
        }
    }

    /// Code blocks (and tables, which fitting made aligned text) are shown in Pushover's proportional font.
    private mutating func reportMonospaceBlocks() {
        result.degradations += result.document.monospaceBlocksNotShown(on: "Pushover")
    }
}

extension Block {
    /// Whether the block shows text: a heading, paragraph, table or code block.
    fileprivate var hasText: Bool {
        switch self {
        case .heading, .paragraph, .table, .codeBlock: true
        case .attachment, .sticker: false
        }
    }
}
