import HeraldCore

extension TeamsRenderer {
    /// The card of `document` shrunk to ``byteLimit`` as ``renderFitted(_:)`` describes, and what shrinking changed.
    func limitedCard(for document: Document) throws(RenderError) -> (EncodedCard, [Degradation]) {
        if let card = cardIfItFits(document) { return (card, []) }
        var degradations: [Degradation] = []
        var document = document
        for (index, attachment, origin) in Self.imagesLargestFirst(in: document) {
            document.blocks[index] = .attachmentNotice(for: attachment, origin: origin)
            degradations.append(Degradation(
                kind: .inlineDataDropped, origin: origin, subject: attachment.filename,
                message: "image not sent: with it the card exceeds \(limitDescription); its name is shown instead"))
            if let card = cardIfItFits(document) { return (card, degradations) }
        }
        let truncation = try truncatedCard(for: document)
        return (truncation.card, degradations + [truncation.degradation])
    }

    /// The card with the content after the title cut after as many characters as fit.
    private func truncatedCard(for document: Document) throws(RenderError) -> (card: EncodedCard, degradation: Degradation) {
        let total = document.truncatableCharacterCount
        func candidate(keeping count: Int) -> (card: EncodedCard, cut: Document.Cut, removed: Int) {
            let cut = document.keepingContent(count)
            let removed = total - cut.document.truncatableCharacterCount
            var shown = cut.document
            let marker = "… (truncated: \(Self.characters(removed)) not shown)"
            shown.blocks.append(.paragraph([TextRun(marker, style: TextStyle(italic: true))]))
            return (EncodedCard(shown), cut, removed)
        }
        var best = candidate(keeping: 0)
        guard fits(best.card) else {
            throw RenderError(reason: """
                the card needs \(best.card.body.count) bytes even with every image left out and all text after the \
                title cut (the title and the tags are never cut); \(capabilities.serviceName) accepts at most \(byteLimit)
                """)
        }
        // Every kept character takes at least one byte, so no more than `byteLimit` of them fit; and not all of
        // them, or there would be nothing to cut.
        var low = 0
        var high = min(total - 1, byteLimit)
        while low < high {
            let middle = (low + high + 1) / 2
            let attempt = candidate(keeping: middle)
            if fits(attempt.card) {
                low = middle
                best = attempt
            } else {
                high = middle - 1
            }
        }
        let degradation = Degradation(
            kind: .truncated, origin: best.cut.origin, subject: best.cut.removedText,
            message: "text cut to fit \(limitDescription): \(Self.characters(best.removed)) not shown")
        return (best.card, degradation)
    }

    /// `1 character`, `12 characters`.
    private static func characters(_ count: Int) -> String { count == 1 ? "1 character" : "\(count) characters" }

    private func fits(_ card: EncodedCard) -> Bool { card.body.count <= byteLimit }

    /// The card of `document` if it fits in ``byteLimit``.
    ///
    /// A document whose text alone is longer than the limit is not encoded at all: a megabyte message would
    /// otherwise be turned into a megabyte card only to be found too large.
    private func cardIfItFits(_ document: Document) -> EncodedCard? {
        guard Self.carriedByteCount(of: document, exceeds: byteLimit) == false else { return nil }
        let card = EncodedCard(document)
        return fits(card) ? card : nil
    }

    /// Whether the UTF-8 bytes of the text the card of `document` carries (runs, table cells, code, tags, base64
    /// image data) exceed `limit`. The card holds each of them, escaped (which only lengthens them), and a line
    /// feed as the start of another block (longer still), so its body is at least as long.
    private static func carriedByteCount(of document: Document, exceeds limit: Int) -> Bool {
        var count = document.tags.reduce(0) { $0 + $1.utf8.count }
        for block in document.blocks {
            switch block {
            case .heading(_, let content), .paragraph(let content):
                count += content.reduce(0) { $0 + $1.text.utf8.count }
            case .table(let table, _):
                count += (table.title?.utf8.count ?? 0) + table.columns.reduce(0) { $0 + $1.utf8.count }
                count += table.rows.reduce(0) { $0 + $1.reduce(0) { $0 + $1.utf8.count } }
            case .codeBlock(let code, _):
                count += code.source.utf8.count
            case .attachment(let attachment, _):
                count += (attachment.data.count + 2) / 3 * 4
            case .sticker:
                continue
            }
            if count > limit { return true }
        }
        return count > limit
    }

    private var limitDescription: String { "\(capabilities.serviceName)' limit of \(byteLimit) bytes" }

    /// The image blocks with their indices, largest image first, the earlier block first among equals.
    private static func imagesLargestFirst(in document: Document) -> [(index: Int, image: Attachment, origin: Origin)] {
        let images = document.blocks.indices.compactMap { index -> (index: Int, image: Attachment, origin: Origin)? in
            guard case .attachment(let attachment, let origin) = document.blocks[index] else { return nil }
            return (index, attachment, origin)
        }
        return images.sorted { ($0.image.data.count, $1.index) > ($1.image.data.count, $0.index) }
    }
}
