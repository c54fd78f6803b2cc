import HeraldCore

extension TeamsRenderer {
    /// The size of the webhook message showing `document`, or `maximum + 1` as soon as the text it carries alone
    /// exceeds `maximum` bytes: a megabyte message is not encoded into a megabyte card only to be found too large.
    static func webhookMessageByteCount(of document: Document, maximum: Int) -> Int {
        guard carriedByteCount(of: document, exceeds: maximum) == false else { return maximum + 1 }
        return AdaptiveCard(document).webhookMessageBytes.count
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
}
