import HeraldCore

/// Renders Pushbullet pushes (`POST /v2/pushes`): a `note` with a title and a plain-text body, or, when the
/// notification carries a file, a `file` push with the same title and body.
///
/// ```json
/// {"body": "…", "title": "Print failed", "type": "note"}
/// {"body": "…", "file_name": "snapshot.jpg", "file_type": "image/jpeg", "title": "Print failed", "type": "file"}
/// ```
///
/// The body is plain text: a blank line between blocks, links as `text (URL)`, tables as aligned text, tags as a
/// last line of `#tags`. A file push's `file_url` comes from the upload at delivery (upload-request, upload), and
/// the target (a device, a contact's e-mail, a channel) from the scope.
///
/// Pushbullet shows no styles, colors or code languages, and one file per push; fitting and ``adjusted(_:)``
/// report each. It documents no length limit.
public struct PushbulletRenderer: ServiceRenderer {
    /// The largest file Pushbullet takes (`max_upload_size` of a free account), in bytes.
    public static let fileByteLimit = 26_214_400

    /// Creates the renderer.
    public init() {}

    /// The title and plain text, links as URLs, one file.
    public var capabilities: Capabilities { Self.pushbulletCapabilities }

    private static let pushbulletCapabilities = Capabilities(
        serviceName: "Pushbullet", styles: [], colors: [.black: .serviceDefault], links: .urlAfterText, headings: .native,
        tables: .alignedText, codeLanguages: false, attachments: .native, maximumStickers: 0, tags: .hashtagParagraph)

    /// One file per push, within ``fileByteLimit``: any other file is named in a line instead; code blocks and
    /// tables lose their monospace font. Both reported.
    public func adjusted(_ document: Document) -> FittingResult {
        var document = document
        var degradations: [Degradation] = []
        var sent = false
        for (index, block) in document.blocks.enumerated() {
            guard case .attachment(let attachment, let origin) = block else { continue }
            let fits = attachment.data.count <= Self.fileByteLimit
            if !sent, fits {
                sent = true
                continue
            }
            // The usual line naming the file, unstyled: Pushbullet shows no italics.
            document.blocks[index] = .paragraph(Block.attachmentNotice(for: attachment, origin: origin).runs.map { TextRun($0.text, origin: origin) })
            degradations.append(Degradation(
                kind: .attachmentNotDelivered, origin: origin, subject: attachment.filename,
                message: fits ? "only one file per Pushbullet push; its name is shown instead"
                    : "file over Pushbullet's \(Self.fileByteLimit) bytes; its name is shown instead"))
        }
        return FittingResult(document: document, degradations: degradations + document.monospaceBlocksNotShown(on: "Pushbullet"))
    }

    /// The push: `note`, or `file` for the one file.
    public func renderFitted(_ document: Document) -> RenderedPayload {
        var body = document
        var push: [String: JSONValue] = ["type": "note"]
        if case .heading(1, let content)? = document.blocks.first {
            push["title"] = .string(content.plainText)
            body.blocks.removeFirst()
        }
        push["body"] = .string(body.plainText)
        for case .attachment(let attachment, _) in document.blocks {
            push["type"] = "file"
            push["file_name"] = .string(attachment.filename)
            push["file_type"] = .string(attachment.mimeType)
        }
        return RenderedPayload(json: .object(push))
    }
}
