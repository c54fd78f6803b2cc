import HeraldCore

/// The Bot API calls that deliver one message: its text and its attachments.
enum TelegramRequests {
    /// The calls for one message's document, in sending order; see ``TelegramRenderer`` for the layout.
    static func calls(for document: Document) -> [JSONValue] {
        let attachments = document.blocks.compactMap { block -> Attachment? in
            if case .attachment(let attachment, _) = block { attachment } else { nil }
        }
        let html = TelegramText.hasText(document) ? TelegramHTML(document).text : nil
        let beginsWithAttachment = if case .attachment? = document.blocks.first { true } else { false }
        // Each attachment by its multipart name: consecutive photos in albums of up to ten, other files one by one.
        var groups: [(photos: Bool, names: [String])] = []
        for (index, attachment) in attachments.enumerated() {
            let name = "file\(index + 1)"
            let photo = isPhoto(attachment)
            if photo, let last = groups.last, last.photos, last.names.count < TelegramLimits.albumItems {
                groups[groups.count - 1].names.append(name)
            } else {
                groups.append((photo, [name]))
            }
        }
        var caption: String?
        if let html, groups.count == 1, groups[0].photos,
            TelegramText.utf16Count(of: document, stoppingAbove: TelegramLimits.captionUTF16Units) <= TelegramLimits.captionUTF16Units
        {
            caption = html
        }
        let attachmentCalls = groups.map { group in
            group.photos
                ? photoCall(group.names, caption: caption, captionAbove: !beginsWithAttachment)
                : documentCall(group.names[0])
        }
        guard let html, caption == nil else { return attachmentCalls }
        let textCall: JSONValue = [
            "method": "sendMessage", "text": .string(html), "parse_mode": "HTML", "link_preview_options": ["is_disabled": true],
        ]
        return beginsWithAttachment ? attachmentCalls + [textCall] : [textCall] + attachmentCalls
    }

    /// Whether `attachment` goes as a photo: a PNG or JPEG image within ``TelegramLimits/photoBytes``. Any other file
    /// (a GIF, which Telegram shows animated as a file, or a larger image) goes as a document.
    static func isPhoto(_ attachment: Attachment) -> Bool {
        ["image/png", "image/jpeg"].contains(attachment.mimeType) && attachment.data.count <= TelegramLimits.photoBytes
    }

    /// `sendPhoto` for one photo, `sendMediaGroup` for several; the caption, if any, on the (first) photo.
    private static func photoCall(_ names: [String], caption: String?, captionAbove: Bool) -> JSONValue {
        var captionMembers: [String: JSONValue] = [:]
        if let caption {
            captionMembers = ["caption": .string(caption), "parse_mode": "HTML"]
            if captionAbove { captionMembers["show_caption_above_media"] = true }
        }
        guard names.count > 1 else {
            return .object(captionMembers.merging(["method": "sendPhoto", "photo": .string("attach://\(names[0])")]) { $1 })
        }
        let media = names.enumerated().map { index, name -> JSONValue in
            let item: [String: JSONValue] = ["type": "photo", "media": .string("attach://\(name)")]
            return .object(index == 0 ? item.merging(captionMembers) { $1 } : item)
        }
        return ["method": "sendMediaGroup", "media": .array(media)]
    }

    /// `sendDocument` for one file.
    private static func documentCall(_ name: String) -> JSONValue {
        ["method": "sendDocument", "document": .string("attach://\(name)")]
    }
}
