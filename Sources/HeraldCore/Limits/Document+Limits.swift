/// A fitted document as the messages a service receives: one, or several when it exceeds a limit.
public struct LimitedDocument: Hashable, Sendable {
    /// How one message ends and the next begins.
    public enum Join: Hashable, Sendable {
        /// The next message starts with the next block.
        case betweenBlocks
        /// The next message continues the block this one ends with. `separator` (a line break or a space, with the
        /// style of the text around it) stood between the pieces and is shown by neither; `nil` when the cut fell
        /// between two characters or two table rows (the next piece repeats the table's header).
        case withinBlock(separator: TextRun?)
    }

    /// The messages, in sending order; at least one. Attachments and stickers are in the first; tags in the last.
    public var messages: [Document]
    /// How each message joins the next: one fewer than ``messages``.
    public var joins: [Join]
    /// The split, dropped images and the cut, if any.
    public var degradations: [Degradation]

    /// One message: the document as it is.
    public init(_ document: Document) {
        messages = [document]
        joins = []
        degradations = []
    }

    /// Messages joined as `joins` says, with what limiting them changed.
    public init(messages: [Document], joins: [Join], degradations: [Degradation]) {
        precondition(!messages.isEmpty && joins.count == messages.count - 1, "one join between each two messages")
        self.messages = messages
        self.joins = joins
        self.degradations = degradations
    }

    /// What the service shows, read as one document: the messages joined again. It is the fitted document but for
    /// what limiting changed and reported: attachments moved into the first message, images replaced by their names,
    /// the end cut with its marker.
    public var document: Document { Self.joined(messages, by: joins) }

    /// `messages` read as one document: each continued block whole again, without the repeated table header and with
    /// its separator, the first message's event, every tag.
    public static func joined(_ messages: [Document], by joins: [Join]) -> Document {
        var document = messages[0]
        for (message, join) in zip(messages.dropFirst(), joins) {
            var blocks = message.blocks[...]
            // The piece a message ends with may be followed by the attachments the first message carries.
            if case .withinBlock(let separator) = join, let first = blocks.first,
                let index = document.blocks.lastIndex(where: \.isCuttable),
                let whole = document.blocks[index].continued(by: first, separator: separator)
            {
                document.blocks[index] = whole
                blocks = blocks.dropFirst()
            }
            document.blocks += blocks
            for tag in message.tags where !document.tags.contains(tag) { document.tags.append(tag) }
        }
        return document
    }
}

extension Document {
    /// The limits stage: the document as messages that each meet every limit of `limits`.
    ///
    /// A document within the limits is one message, unchanged. Otherwise:
    /// 1. The title (the leading headings), every attachment and sticker, and the tags must fit in one message;
    ///    while they do not, the largest image (the earlier among equals) is replaced by the line naming it
    ///    (``Degradation/Kind/inlineDataDropped``). If they still do not fit, this throws.
    /// 2. The document is split into messages: each takes as many whole blocks as fit and ends at a paragraph
    ///    break; a block too long for a message of its own is cut at its last line break that fits, else its last
    ///    space, else between characters (never inside a grapheme cluster), a table between rows with the header
    ///    repeated. Styles, links and colors stay on both sides. The title and the attachments go with the first
    ///    message, the tags with the last (``Degradation/Kind/split``).
    /// 3. Where `limits.maximumMessages` allows no further message, the last one keeps as much as fits and ends with
    ///    the italic line `… (truncated: N characters not shown)` (``Degradation/Kind/truncated``).
    ///
    /// - Parameter serviceName: The service's name, for the report.
    /// - Throws: ``RenderError`` when the title, attachments' names and tags alone exceed a limit, or one character
    ///   or table row exceeds it on its own.
    public func limited(to limits: ServiceLimits, serviceName: String) throws(RenderError) -> LimitedDocument {
        guard !limits.admit(self) else { return LimitedDocument(self) }
        var splitter = Splitter(document: self, limits: limits, serviceName: serviceName)
        return try splitter.split()
    }
}

/// The state of ``Document/limited(to:serviceName:)``: the messages made so far and the content left.
private struct Splitter {
    let event: String?
    let tags: [String]
    let limits: ServiceLimits
    let serviceName: String
    /// The leading headings, which open the first message.
    let title: [Block]
    /// The text blocks after the title (attachments and stickers taken out), in order.
    var content: [Block]
    /// The attachments and stickers, each with the number of text blocks of ``content`` before it.
    var attachments: [(block: Block, textBlocksBefore: Int)] = []
    var degradations: [Degradation] = []

    /// The first block of ``content`` not yet sent.
    var next = 0
    /// What is left of a block whose first piece went into an earlier message; it stands for `content[next]`.
    var pendingTail: Block?
    var messages: [Document] = []
    var joins: [LimitedDocument.Join] = []

    init(document: Document, limits: ServiceLimits, serviceName: String) {
        event = document.event
        tags = document.tags
        self.limits = limits
        self.serviceName = serviceName
        let titleCount = document.blocks.prefix { if case .heading = $0 { true } else { false } }.count
        title = Array(document.blocks.prefix(titleCount))
        content = []
        for block in document.blocks.dropFirst(titleCount) {
            if block.isCuttable {
                content.append(block)
            } else {
                attachments.append((block, content.count))
            }
        }
    }

    mutating func split() throws(RenderError) -> LimitedDocument {
        try makeRoomForTheFirstMessage()
        // Every round appends a message, or cuts the block it ends with shorter; the last message takes the tags.
        while true {
            let remaining = content.count - next
            if admits(blocks(taking: remaining, piece: nil), withTags: true) {
                messages.append(message(blocks(taking: remaining, piece: nil), withTags: true))
                break
            }
            if messages.count + 1 == limits.maximumMessages {
                try appendTruncatedMessage()
                break
            }
            try appendMessage()
        }
        if messages.count > 1 {
            degradations.insert(Degradation(
                kind: .split, origin: .generated,
                message: "sent as \(messages.count) \(serviceName) messages, each within \(limits.description), cut at "
                    + "paragraph, line or word boundaries; attachments go with the first, tags with the last"),
                at: 0)
        }
        return LimitedDocument(messages: messages, joins: joins, degradations: degradations)
    }

    // MARK: Messages

    /// Appends the next message without tags, as full as the limits allow, ending at a paragraph break if it holds
    /// one, else inside its last block; advances past what it holds.
    mutating func appendMessage() throws(RenderError) {
        guard next < content.count else {
            throw RenderError(reason: "the tags alone exceed the limit of \(limits.description) on \(serviceName)")
        }
        // Not every block left: the last message must have room for the tags.
        let whole = largestCount(upTo: content.count - next - 1) { admits(blocks(taking: $0, piece: nil), withTags: false) }
        if whole > 0 {
            messages.append(message(blocks(taking: whole, piece: nil), withTags: false))
            advance(by: whole)
            joins.append(.betweenBlocks)
            return
        }
        let block = currentBlock
        let units = largestCount(upTo: Int.max) { count in
            guard let head = block.head(units: count) else { return false }
            return admits(blocks(taking: 0, piece: head), withTags: false)
        }
        guard units > 0, let cut = block.cut(within: units), admits(blocks(taking: 0, piece: cut.head), withTags: false) else {
            guard messages.isEmpty, !title.isEmpty || !attachments.isEmpty else {
                throw RenderError(reason: "\(quoted(block.leadingText)) cannot be split to fit the limit of \(limits.description) on \(serviceName)")
            }
            // Not one character fits beside the title and the attachments: they go alone.
            messages.append(message(blocks(taking: 0, piece: nil), withTags: false))
            joins.append(.betweenBlocks)
            return
        }
        messages.append(message(blocks(taking: 0, piece: cut.head), withTags: false))
        pendingTail = cut.tail
        joins.append(cut.join)
    }

    /// Appends the last message the service takes: as much as fits with the tags and a marker naming how many
    /// characters are not shown, cut like ``appendMessage()`` would but without preferring a paragraph break.
    mutating func appendTruncatedMessage() throws(RenderError) {
        let total = (next..<content.count).reduce(0) { $0 + block(at: $1).characterCount }
        // The marker for every character: no shorter one is longer, so what fits with it fits with the real one.
        let longestMarker = Self.truncationMarker(notShown: total)
        func admitsWithMarker(_ blocks: [Block]) -> Bool { admits(blocks + [longestMarker], withTags: true) }
        // Not every block fits, or there would be nothing to cut.
        let whole = largestCount(upTo: content.count - next - 1) { admitsWithMarker(blocks(taking: $0, piece: nil)) }
        var kept = blocks(taking: whole, piece: nil)
        var shown = (next..<next + whole).reduce(0) { $0 + block(at: $1).characterCount }
        var firstNotShown = block(at: next + whole)
        let units = largestCount(upTo: .max) { count in
            guard let head = firstNotShown.head(units: count) else { return false }
            return admitsWithMarker(blocks(taking: whole, piece: head))
        }
        if units > 0, let cut = firstNotShown.cut(within: units), admitsWithMarker(blocks(taking: whole, piece: cut.head)) {
            kept = blocks(taking: whole, piece: cut.head)
            shown += cut.head.characterCount
            firstNotShown = cut.tail
        }
        guard admitsWithMarker(kept) else {
            throw RenderError(reason: "the title, the attachments' names, the tags and the truncation marker exceed the limit of \(limits.description) on \(serviceName)")
        }
        let notShown = total - shown
        messages.append(message(kept + [Self.truncationMarker(notShown: notShown)], withTags: true))
        let count = messages.count
        degradations.append(Degradation(
            kind: .truncated, origin: firstNotShown.origin, subject: firstNotShown.leadingText,
            message: "text cut after \(count == 1 ? "one \(serviceName) message" : "\(count) \(serviceName) messages") of at most "
                + "\(limits.description): \(notShown == 1 ? "1 character" : "\(notShown) characters") not shown"))
    }

    /// `… (truncated: N characters not shown)`, in italics.
    static func truncationMarker(notShown count: Int) -> Block {
        .paragraph([TextRun("… (truncated: \(count == 1 ? "1 character" : "\(count) characters") not shown)", style: TextStyle(italic: true))])
    }

    // MARK: The first message

    /// Replaces images, largest first, by the lines naming them while the title, the attachments and the tags do not
    /// fit one message; throws if they still do not.
    mutating func makeRoomForTheFirstMessage() throws(RenderError) {
        let images = attachments.indices.filter { if case .attachment = attachments[$0].block { true } else { false } }
            .sorted { first, second in
                let (a, b) = (attachments[first].block.attachmentByteCount, attachments[second].block.attachmentByteCount)
                return a != b ? a > b : first < second
            }
        var remainingImages = images[...]
        while !admits(title + attachments.map(\.block), withTags: true) {
            guard let index = remainingImages.popFirst(), case .attachment(let attachment, let origin) = attachments[index].block else {
                throw RenderError(reason: """
                    the title, the attachments' names and the tags alone exceed the limit of \(limits.description) \
                    on \(serviceName)
                    """)
            }
            attachments[index].block = .attachmentNotice(for: attachment, origin: origin)
            degradations.append(Degradation(
                kind: .inlineDataDropped, origin: origin, subject: attachment.filename,
                message: "image not sent: with it a message exceeds the limit of \(limits.description) on \(serviceName); its name is shown instead"))
        }
    }

    // MARK: Building candidates

    /// The text block at `index` of ``content``, or what is left of it.
    func block(at index: Int) -> Block { index == next ? pendingTail ?? content[index] : content[index] }

    var currentBlock: Block { block(at: next) }

    /// The blocks of the next message if it takes `count` whole blocks and then `piece`: after the title and with
    /// the attachments where they stood (those after the cut at its end) when it is the first.
    func blocks(taking count: Int, piece: Block?) -> [Block] {
        var blocks: [Block] = []
        let isFirst = messages.isEmpty
        if isFirst { blocks += title }
        var attachmentIndex = 0
        func appendAttachments(before index: Int) {
            while isFirst, attachmentIndex < attachments.count, attachments[attachmentIndex].textBlocksBefore <= index {
                blocks.append(attachments[attachmentIndex].block)
                attachmentIndex += 1
            }
        }
        for index in next..<next + count {
            appendAttachments(before: index)
            blocks.append(block(at: index))
        }
        if let piece {
            appendAttachments(before: next + count)
            blocks.append(piece)
        }
        if isFirst { blocks += attachments[attachmentIndex...].map(\.block) }
        return blocks
    }

    func message(_ blocks: [Block], withTags: Bool) -> Document {
        Document(event: event, tags: withTags ? tags : [], blocks: blocks)
    }

    func admits(_ blocks: [Block], withTags: Bool) -> Bool { limits.admit(message(blocks, withTags: withTags)) }

    mutating func advance(by count: Int) {
        next += count
        pendingTail = nil
    }

    /// The largest count from 0 to `bound` that `admits`, which admits every count below one it admits: found by
    /// doubling, then halving, so that the counts tried stay near the answer (a message is small, a document may
    /// not be).
    func largestCount(upTo bound: Int, admits: (Int) -> Bool) -> Int {
        var low = 0  // admitted
        var high = bound  // the largest count not known to be refused
        var probe = 1
        while probe <= high {
            guard admits(probe) else {
                high = probe - 1
                break
            }
            low = probe
            guard probe <= high / 2 else { break }
            probe *= 2
        }
        while low < high {
            let middle = low + (high - low + 1) / 2
            if admits(middle) { low = middle } else { high = middle - 1 }
        }
        return low
    }
}

extension Block {
    /// The size of an attachment's data; 0 for other blocks.
    fileprivate var attachmentByteCount: Int {
        if case .attachment(let attachment, _) = self { attachment.data.count } else { 0 }
    }
}
