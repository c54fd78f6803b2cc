import HeraldCore

/// One Slack message: the Block Kit blocks and the fallback text of a document.
///
/// A heading is a `header` block; a paragraph, and a code block (as ```` ``` ````), a `section` of `mrkdwn` with
/// `verbatim` on (Slack then turns no plain URL or channel name into a link). Stickers never reach it (fitting drops
/// them); attachments are no block: fitting names them in a paragraph, or the delivery uploads them as files.
struct SlackMessage {
    /// The blocks, in order.
    var blocks: [JSONValue] = []
    /// The top-level `text`.
    var fallbackText: String

    init(_ document: Document) {
        for block in document.blocks {
            if case .heading(_, let content) = block {
                blocks.append(["type": "header", "text": ["type": "plain_text", "text": .string(content.plainText), "emoji": false]])
            } else if let text = Self.sectionText(of: block) {
                blocks.append(["type": "section", "text": ["type": "mrkdwn", "text": .string(text), "verbatim": true]])
            }
            // Fitting turned tables into code and dropped stickers; attachments are named or uploaded.
        }
        fallbackText = SlackMrkdwn.plainText(Self.plainText(of: document))
    }

    /// The request body's JSON (the channel is added at delivery).
    var jsonValue: JSONValue {
        ["blocks": .array(blocks), "text": .string(fallbackText), "unfurl_links": false, "unfurl_media": false]
    }

    /// The `mrkdwn` of a paragraph or code block's section; `nil` for other blocks.
    static func sectionText(of block: Block) -> String? {
        switch block {
        case .paragraph(let runs): SlackMrkdwn.paragraph(runs)
        case .codeBlock(let code, _): SlackMrkdwn.codeBlock(code.source)
        case .heading, .table, .attachment, .sticker: nil
        }
    }

    /// The document's text without styles, its blocks separated by a blank line.
    static func plainText(of document: Document) -> String {
        document.blocks.compactMap { block -> String? in
            switch block {
            case .heading(_, let content), .paragraph(let content): content.plainText
            case .codeBlock(let code, _): code.source
            case .table, .attachment, .sticker: nil
            }
        }.joined(separator: "\n\n")
    }

    // MARK: Measures

    /// The longest section text of the message showing `document`, in UTF-16 code units; `maximum + 1` as soon as
    /// a block's text alone is longer than `maximum`, which its `mrkdwn` (escapes only lengthen it) then is too.
    static func longestSectionText(of document: Document, maximum: Int) -> Int {
        var longest = 0
        for block in document.blocks {
            if rawTextLength(of: block) > maximum { return maximum + 1 }
            guard let text = sectionText(of: block) else { continue }
            longest = max(longest, text.utf16.count)
            if longest > maximum { return longest }
        }
        return longest
    }

    /// The length of the fallback text of the message showing `document`, in UTF-16 code units; `maximum + 1` as
    /// soon as the document's text and the blank lines between its blocks alone are longer.
    static func fallbackTextLength(of document: Document, maximum: Int) -> Int {
        var raw = 0
        for block in document.blocks {
            let length = rawTextLength(of: block)
            raw += length == 0 ? 0 : length + (raw == 0 ? 0 : 2)
            if raw > maximum { return maximum + 1 }
        }
        return SlackMrkdwn.plainText(plainText(of: document)).utf16.count
    }

    /// The UTF-16 length of a block's text before any escaping; 0 for a block without text.
    static func rawTextLength(of block: Block) -> Int {
        switch block {
        case .heading(_, let runs), .paragraph(let runs): runs.reduce(0) { $0 + $1.text.utf16.count }
        case .codeBlock(let code, _): code.source.utf16.count
        case .table, .attachment, .sticker: 0
        }
    }
}
