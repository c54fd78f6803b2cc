/// A link target: an absolute `http`, `https` or `mailto` URL.
///
/// Anything else (`javascript:`, `data:`, relative references, URLs with spaces, quotes, angle brackets,
/// backticks or control characters) is refused, so that every renderer can place the URL in its markup without
/// further checks.
public struct Link: Hashable, Sendable, CustomStringConvertible {
    /// The URL exactly as given.
    public let url: String

    /// The schemes a link may use.
    public static let allowedSchemes = ["http", "https", "mailto"]

    /// Validates `url`.
    public init(validating url: String) throws(MessageError) {
        guard let colon = url.firstIndex(of: ":") else {
            throw MessageError(path: "", reason: "link \(quoted(url, limit: echoedValueLimit)) is not an absolute URL; expected http, https or mailto")
        }
        let scheme = url[..<colon].lowercased()
        guard Self.allowedSchemes.contains(scheme) else {
            throw MessageError(path: "", reason: "link scheme \(quoted(url[..<colon], limit: echoedValueLimit)) is not allowed; expected http, https or mailto")
        }
        if let bad = url.unicodeScalars.first(where: Self.isForbidden) {
            throw MessageError(path: "", reason: "link \(quoted(url, limit: echoedValueLimit)) contains \(describe(bad)), which a URL cannot carry")
        }
        let rest = url[url.index(after: colon)...]
        if scheme == "mailto" {
            guard rest.contains("@") else { throw MessageError(path: "", reason: "mailto link \(quoted(url, limit: echoedValueLimit)) has no address") }
        } else {
            guard rest.hasPrefix("//"), rest.dropFirst(2).first.map({ $0 != "/" }) ?? false else {
                throw MessageError(path: "", reason: "link \(quoted(url, limit: echoedValueLimit)) has no host")
            }
        }
        self.url = url
    }

    /// The URL.
    public var description: String { url }

    private static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case " ", "\"", "<", ">", "`", "\\", "{", "}", "|", "^": true
        default: scalar.properties.generalCategory == .control || scalar.properties.isWhitespace
            || scalar.properties.generalCategory == .format
        }
    }
}
