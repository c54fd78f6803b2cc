/// A table of plain-text cells with a header row. A cell may hold line breaks (`"\n"`): an error trace, an address.
public struct Table: Hashable, Sendable {
    /// A caption shown above the table.
    public let title: String?
    /// The header cells; at least one.
    public let columns: [String]
    /// The body rows; each has exactly as many cells as there are columns.
    public let rows: [[String]]

    /// Validates and creates a table. The title is a single line; a cell may span several lines.
    public init(title: String? = nil, columns: [String], rows: [[String]]) throws(MessageError) {
        if let title { try requireSingleLine(title, at: "title") }
        guard !columns.isEmpty else { throw MessageError(path: "columns", reason: "a table needs at least one column") }
        for (rowIndex, row) in rows.enumerated() {
            guard row.count == columns.count else {
                throw MessageError(
                    path: "rows[\(rowIndex)]", reason: "has \(row.count) cells; expected \(columns.count), one per column")
            }
        }
        self.init(validatedTitle: title, columns: columns, rows: rows)
    }

    /// Creates a table from values already known to be valid.
    init(validatedTitle title: String?, columns: [String], rows: [[String]]) {
        self.title = title
        self.columns = columns
        self.rows = rows
    }
}

extension Table {
    /// The table with only its first `count` rows (every row if it has no more), for cutting a message short.
    public func prefix(rows count: Int) -> Table {
        Table(validatedTitle: title, columns: columns, rows: Array(rows.prefix(count)))
    }
}

/// A block of source code or command text, shown verbatim in a monospace font.
public struct CodeSnippet: Hashable, Sendable {
    /// The language, used for highlighting where the service supports it (`python`, `bash`, ...).
    public let language: String?
    /// The code; not empty.
    public let source: String

    /// Validates and creates a snippet. A language is 1 to 32 of `A-Z a-z 0-9 + - . _ #`.
    public init(language: String? = nil, source: String) throws(MessageError) {
        if let language {
            let allowed = language.unicodeScalars.allSatisfy {
                $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || "+-._#".unicodeScalars.contains($0))
            }
            guard allowed, (1...32).contains(language.unicodeScalars.count) else {
                throw MessageError(path: "language", reason: "\(quoted(language, limit: echoedValueLimit)) is not a language name (1 to 32 of A-Z a-z 0-9 + - . _ #)")
            }
        }
        guard !source.isEmpty else { throw MessageError(path: "source", reason: "must not be empty") }
        self.init(validatedLanguage: language, source: source)
    }

    /// Creates a snippet from values already known to be valid.
    init(validatedLanguage language: String?, source: String) {
        self.language = language
        self.source = source
    }
}

/// A Signal sticker, named as `packId:stickerId` the way signal-cli takes it.
public struct Sticker: Hashable, Sendable {
    /// The sticker reference, e.g. `4b2f...:3`.
    public let id: String

    /// Validates and creates a sticker reference.
    public init(id: String) throws(MessageError) {
        let parts = id.split(separator: ":", omittingEmptySubsequences: false)
        let isHex = { (part: Substring) in !part.isEmpty && part.allSatisfy(\.isHexDigit) }
        guard parts.count == 2, isHex(parts[0]), !parts[1].isEmpty, parts[1].allSatisfy(\.isWholeNumber) else {
            throw MessageError(path: "sticker_id", reason: "\(quoted(id, limit: echoedValueLimit)) is not a sticker reference like 4b2f…:3 (hex pack id, colon, sticker number)")
        }
        self.id = id
    }
}

/// Refuses empty text and text with line breaks where one line is expected.
func requireSingleLine(_ text: String, at path: String, allowEmpty: Bool = true) throws(MessageError) {
    if !allowEmpty, text.isEmpty { throw MessageError(path: path, reason: "must not be empty") }
    if text.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\u{2028}" || $0 == "\u{2029}" }) {
        throw MessageError(path: path, reason: "must be a single line; it contains a line break")
    }
}
