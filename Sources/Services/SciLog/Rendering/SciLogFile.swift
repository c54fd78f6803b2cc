import Crypto
import Foundation
import HeraldCore

/// An attachment as a SciLog entry carries it: an entry of the Paragraph's `files` array, which the entry's HTML
/// refers to by ``hash``. The file itself is uploaded (`POST /filesnippet/files`) at delivery.
public struct SciLogFile: Hashable, Sendable {
    /// How SciLog sizes an image.
    public struct ImageStyle: Hashable, Sendable {
        /// The display width: `800px`, `""` (automatic), or ``SciLogFile/defaultImageWidth``.
        public let width: String
        /// The display height: `600px`, or `""` (automatic).
        public let height: String
    }

    /// The id linking the HTML reference (`img` `title`, `a` `href="file:…"`) to this entry: 64 hex digits.
    public let hash: String
    /// The MIME type, stored in SciLog's `fileExtension` field, e.g. `image/png`.
    public let mimeType: String
    /// The size of an image SciLog shows inline; `nil` for other files, which are links.
    public let imageStyle: ImageStyle?

    /// Whether SciLog shows the file inline as an image.
    public var isImage: Bool { imageStyle != nil }

    /// The width SciLog's Python SDK gives an image when none is asked for.
    public static let defaultImageWidth = "82.25%"

    /// The file entry for `attachment`, the message's attachment number `index` (counting from 0).
    ///
    /// The hash is the SHA-256 of the attachment's position and its bytes, so it is stable across runs, two
    /// different files never share one even under the same name, and the same file attached twice (perhaps at two
    /// sizes) gets two entries that cannot be confused.
    public init(_ attachment: Attachment, index: Int) {
        var digest = SHA256()
        digest.update(data: Data("herald.scilog.file\n\(index)\n".utf8))
        digest.update(data: attachment.data)
        hash = digest.finalize().map { byte in String(byte >> 4, radix: 16) + String(byte & 0x0F, radix: 16) }.joined()
        mimeType = attachment.mimeType
        guard attachment.isInlineImage else {
            imageStyle = nil
            return
        }
        let width = switch (attachment.width, attachment.height) {
        case (let width?, _): "\(width)px"
        case (nil, _?): ""  // the height alone decides, keeping the aspect ratio
        case (nil, nil): Self.defaultImageWidth
        }
        imageStyle = ImageStyle(width: width, height: attachment.height.map { "\($0)px" } ?? "")
    }

    /// The `files` entry: `{"fileHash", "fileExtension", "style": {"width", "height"}}`, the style for images only.
    public var jsonValue: JSONValue {
        var object: [String: JSONValue] = ["fileHash": .string(hash), "fileExtension": .string(mimeType)]
        if let imageStyle {
            object["style"] = ["width": .string(imageStyle.width), "height": .string(imageStyle.height)]
        }
        return .object(object)
    }
}
