import HeraldCore

/// Renders SMS bodies for Twilio's Messages API: `{"Body": "…"}`, the form field `To` and `From` join at
/// delivery.
///
/// The body is plain text: the title as the first line, a blank line between blocks, links as `text (URL)`,
/// tables as aligned text, files named in a line (`File not sent: name (type, size)`), tags as a last line of
/// `#tags`. Nothing of the text is changed
/// to fit an alphabet: a character outside GSM-7 makes the whole body UCS-2, and when the body takes more than one
/// segment (one SMS message each, billed each) the report says how many, in which encoding and why
/// (``SMSEncoding``). MMS is out of scope: files are named, not sent.
public struct SMSRenderer: ServiceRenderer {
    /// The longest body Twilio accepts: 1600 characters, counted here as UTF-16 code units, never fewer.
    public static let bodyLimit = 1600

    /// The most UTF-16 code units of one body.
    public var maximumBodyUnits: Int
    /// How many SMS bodies one notification may become.
    public var maximumMessages: Int

    /// Creates the renderer; by default one body of at most ``bodyLimit`` units per notification.
    public init(maximumBodyUnits: Int = SMSRenderer.bodyLimit, maximumMessages: Int = 1) {
        self.maximumBodyUnits = maximumBodyUnits
        self.maximumMessages = maximumMessages
    }

    /// Plain text only.
    public var capabilities: Capabilities { Self.smsCapabilities }

    private static let smsCapabilities = Capabilities(
        serviceName: "SMS", styles: [], colors: [.black: .serviceDefault], links: .urlAfterText, headings: .boldParagraph,
        tables: .alignedText, codeLanguages: false, attachments: .native, maximumStickers: 0, tags: .hashtagParagraph)

    /// The body within ``maximumBodyUnits``; beyond, cut with a visible marker (one body by default).
    public var limits: ServiceLimits {
        ServiceLimits(
            perMessage: [MessageLimit(subject: "SMS body", maximum: maximumBodyUnits, unit: .utf16CodeUnits) { document, maximum in
                var units = 0
                document.forEachPlainTextPiece { piece in
                    units += piece.utf16.count
                    return units <= maximum
                }
                return units
            }],
            maximumMessages: maximumMessages)
    }

    /// Files are not sent (MMS is out of scope): each is named in a line of GSM-7 characters,
    /// `File not sent: name (type, size)`, where other services' `📎` would make the whole body UCS-2; code blocks
    /// and tables lose their monospace font. Both reported.
    public func adjusted(_ document: Document) -> FittingResult {
        var document = document
        var degradations: [Degradation] = []
        for (index, block) in document.blocks.enumerated() {
            guard case .attachment(let attachment, let origin) = block else { continue }
            let line = "File not sent: \(attachment.filename) (\(attachment.mimeType), \(formatByteCount(attachment.data.count)))"
            document.blocks[index] = .paragraph([TextRun(line, origin: origin)])
            degradations.append(Degradation(
                kind: .attachmentNotDelivered, origin: origin, subject: attachment.filename,
                message: "attachment not delivered with SMS; its name is shown instead"))
        }
        return FittingResult(document: document, degradations: degradations + document.monospaceBlocksNotShown(on: "SMS"))
    }

    /// `{"Body": "…"}`; a body of several segments is reported with its encoding.
    public func renderFitted(_ document: Document) -> RenderedPayload {
        let body = document.plainText
        let encoding = SMSEncoding(body)
        var degradations: [Degradation] = []
        if encoding.segments > 1 {
            let (_, per) = encoding.unitsPerSegment
            var sentence = "sent as \(encoding.segments) SMS segments of \(encoding.alphabet.rawValue), at most \(per) "
                + (encoding.alphabet == .gsm7 ? "septets" : "UTF-16 code units") + " each (\(encoding.units) in all)"
            if let character = encoding.firstNonGSMCharacter {
                let gsm7 = SMSEncoding(String(body.map { SMSEncoding.isGSM7($0) ? $0 : "?" }))
                sentence += ": \(quoted(String(character))) is not in GSM-7; a GSM-7 body of this length would take \(gsm7.segments)"
            }
            degradations.append(Degradation(kind: .split, origin: .generated, message: sentence))
        }
        return RenderedPayload(json: ["Body": .string(body)], degradations: degradations)
    }
}
