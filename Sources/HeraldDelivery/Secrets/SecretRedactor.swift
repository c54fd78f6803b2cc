import Foundation

/// Replaces every known secret in a text with `<secret>`, so that nothing Herald logs, stores or shows can carry
/// one: services echo a request's URL, headers or parameters back in their error texts, in every encoding.
///
/// A secret is found raw, percent-encoded, percent-decoded and JSON-escaped (`\/`, `\uXXXX`), in any mix: the text
/// and the secrets are compared decoded, and each match is replaced in the text as it was written. A secret URL (a
/// webhook) is also found by its path and query, by each path segment and each query parameter value of eight
/// characters or more (a Workflows `sig`), and by its password, since a service may echo only those.
public struct SecretRedactor: Sendable {
    /// The fragments to find, decoded, longest first so that a secret containing another is replaced whole.
    private let fragments: [[UInt8]]
    /// The secret values as sent.
    private let values: [String]

    /// A redactor for `secrets` (empty values are ignored).
    public init(secrets: some Sequence<Secret>) {
        var values: [String] = []
        var fragments: Set<[UInt8]> = []
        for secret in secrets where !secret.value.isEmpty {
            values.append(secret.value)
            fragments.insert(EscapedText(secret.value).decoded)
            guard let url = URLComponents(string: secret.value), url.scheme != nil, url.host != nil else { continue }
            var parts = url.percentEncodedPath.split(separator: "/").map(String.init)
            parts.append(url.percentEncodedPath + (url.percentEncodedQuery.map { "?" + $0 } ?? ""))
            parts += [url.percentEncodedQuery, url.percentEncodedPassword].compactMap { $0 }
            parts += (url.percentEncodedQueryItems ?? []).compactMap(\.value)
            for part in parts {
                let decoded = EscapedText(part).decoded
                if decoded.count >= 8 { fragments.insert(decoded) }
            }
        }
        self.values = values
        self.fragments = fragments.sorted { $0.count > $1.count }
    }

    /// This redactor, finding `more` as well: a secret in another form a protocol sends it in (base64 in SMTP's AUTH).
    func adding(_ more: some Sequence<Secret>) -> SecretRedactor {
        SecretRedactor(secrets: values.map(Secret.init) + Array(more))
    }

    /// `text` with every secret replaced by `<secret>`.
    public func redact(_ text: String) -> String {
        guard !fragments.isEmpty else { return text }
        let escaped = EscapedText(text)
        // Source ranges to replace, found longest fragment first; a shorter one inside a replaced range is skipped.
        var replaced: [Range<Int>] = []
        for fragment in fragments {
            for match in Self.occurrences(of: fragment, in: escaped.decoded) {
                let range = escaped.sourceRange(ofDecoded: match)
                if !replaced.contains(where: { $0.overlaps(range) }) { replaced.append(range) }
            }
        }
        guard !replaced.isEmpty else { return text }
        var result: [UInt8] = []
        var position = 0
        for range in replaced.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            result += escaped.source[position..<range.lowerBound]
            result += Array("<secret>".utf8)
            position = range.upperBound
        }
        result += escaped.source[position...]
        return String(decoding: result, as: UTF8.self)
    }

    /// Whether `request` carries a secret: in its URL, in a header (a bearer token, or HTTP Basic credentials, which
    /// hold it in base64), or in its body (a form's token field), as written or form-encoded.
    func isCarried(by request: OutgoingRequest) -> Bool {
        values.contains { value in
            request.url.contains(value)
                || request.headers.contains { $0.value.contains(value) || Self.basicCredentials(in: $0.value)?.contains(value) == true }
                || [value, FormBody.percentEncoded(value)].contains { !Self.occurrences(of: Array($0.utf8), in: request.body).isEmpty }
        }
    }

    /// The decoded `user:password` of an HTTP Basic `Authorization` value, or `nil`.
    private static func basicCredentials(in value: String) -> String? {
        guard value.lowercased().hasPrefix("basic "), let data = Data(base64Encoded: String(value.dropFirst(6))) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// Whether header value `value` holds a secret.
    func isSecret(inHeaderValue value: String) -> Bool {
        values.contains { value.contains($0) }
    }

    /// The ranges where `pattern` occurs in `text`, not overlapping, left to right. Knuth–Morris–Pratt, hand-written
    /// because the standard library's search is quadratic in the worst case and a service chooses the text.
    private static func occurrences(of pattern: [UInt8], in text: [UInt8]) -> [Range<Int>] {
        guard !pattern.isEmpty, pattern.count <= text.count else { return [] }
        var failure = [Int](repeating: 0, count: pattern.count)
        var length = 0
        for index in 1..<max(1, pattern.count) {
            while length > 0, pattern[index] != pattern[length] { length = failure[length - 1] }
            if pattern[index] == pattern[length] { length += 1 }
            failure[index] = length
        }
        var found: [Range<Int>] = []
        var matched = 0
        for (index, byte) in text.enumerated() {
            while matched > 0, byte != pattern[matched] { matched = failure[matched - 1] }
            if byte == pattern[matched] { matched += 1 }
            if matched == pattern.count {
                found.append(index + 1 - pattern.count..<index + 1)
                matched = 0
            }
        }
        return found
    }
}

/// A text decoded the way services escape what they echo (`%XX`, `\uXXXX` with surrogate pairs, `\/`, `\\`,
/// `\"`), one level deep, remembering where in the source each decoded byte came from.
private struct EscapedText {
    /// The text's UTF-8 bytes.
    let source: [UInt8]
    /// The decoded bytes.
    private(set) var decoded: [UInt8] = []
    /// For each decoded byte, the source range of the escape (or byte) it came from.
    private var origins: [Range<Int>] = []

    init(_ text: String) {
        source = Array(text.utf8)
        decoded.reserveCapacity(source.count)
        origins.reserveCapacity(source.count)
        var index = 0
        while index < source.count {
            let byte = source[index]
            guard byte == UInt8(ascii: "%") || byte == UInt8(ascii: "\\") else {
                decoded.append(byte)
                origins.append(index..<index + 1)
                index += 1
                continue
            }
            let (bytes, length) = unit(at: index)
            for byte in bytes {
                decoded.append(byte)
                origins.append(index..<index + length)
            }
            index += length
        }
    }

    /// The source range that decoded bytes `range` came from, whole escapes included.
    func sourceRange(ofDecoded range: Range<Int>) -> Range<Int> {
        origins[range.lowerBound].lowerBound..<origins[range.upperBound - 1].upperBound
    }

    /// The decoded bytes of the escape or byte at `index`, and its length in the source.
    private func unit(at index: Int) -> (bytes: [UInt8], length: Int) {
        let byte = source[index]
        if byte == UInt8(ascii: "%"), let value = hex(at: index + 1, digits: 2) { return ([UInt8(value)], 3) }
        guard byte == UInt8(ascii: "\\"), index + 1 < source.count else { return ([byte], 1) }
        switch source[index + 1] {
        case UInt8(ascii: "/"), UInt8(ascii: "\\"), UInt8(ascii: "\""):
            return ([source[index + 1]], 2)
        case UInt8(ascii: "u"):
            guard let high = hex(at: index + 2, digits: 4) else { return ([byte], 1) }
            if (0xD800..<0xDC00).contains(high), index + 12 <= source.count, source[index + 6] == UInt8(ascii: "\\"),
                source[index + 7] == UInt8(ascii: "u"), let low = hex(at: index + 8, digits: 4), (0xDC00..<0xE000).contains(low),
                let scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
            {
                return (Array(String(Character(scalar)).utf8), 12)
            }
            guard let scalar = Unicode.Scalar(high) else { return ([byte], 1) }
            return (Array(String(Character(scalar)).utf8), 6)
        default:
            return ([byte], 1)
        }
    }

    /// The value of `digits` hexadecimal digits at `index`, or `nil`.
    private func hex(at index: Int, digits: Int) -> UInt32? {
        guard index + digits <= source.count else { return nil }
        var value: UInt32 = 0
        for byte in source[index..<index + digits] {
            guard let digit = Character(Unicode.Scalar(byte)).hexDigitValue else { return nil }
            value = value * 16 + UInt32(digit)
        }
        return value
    }
}
