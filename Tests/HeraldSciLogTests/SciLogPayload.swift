import HeraldCore
import Testing

/// The parts of a SciLog payload the tests look at, read from its JSON value.
struct SciLogPayload {
    let textcontent: String
    let tags: [String]
    let files: [[String: JSONValue]]

    init(_ payload: RenderedPayload) throws {
        guard case .object(let snippet) = payload.json,
            case .string(let textcontent)? = snippet["textcontent"],
            case .array(let tags)? = snippet["tags"],
            case .array(let files)? = snippet["files"]
        else { throw PayloadShapeError(payload: payload.json) }
        #expect(snippet["snippetType"] == "paragraph")
        #expect(snippet["linkType"] == "paragraph")
        #expect(snippet.count == 5)
        self.textcontent = textcontent
        self.tags = tags.compactMap { if case .string(let tag) = $0 { tag } else { nil } }
        self.files = files.compactMap { if case .object(let file) = $0 { file } else { nil } }
    }

    /// The `fileHash` of every `files` entry, in order.
    var fileHashes: [String] {
        files.map { if case .string(let hash)? = $0["fileHash"] { hash } else { "" } }
    }

    struct PayloadShapeError: Error, CustomStringConvertible {
        let payload: JSONValue
        var description: String { "not a Paragraph snippet: \(payload)" }
    }
}

/// Herald's attachment, not Swift Testing's.
typealias Attachment = HeraldCore.Attachment
