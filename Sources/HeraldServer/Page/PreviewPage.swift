import Foundation

/// The preview page: one HTML, one script and one style sheet, compiled into the binary (no framework, no CDN).
/// `herald serve` answers them at `/`, `/page.js` and `/page.css` under ``contentSecurityPolicy``; `herald render
/// --open` writes them beside each other with the renderings embedded as a JSON data block (``standalone(renderings:)``).
public enum PreviewPage {
    /// One of the page's files.
    public struct Asset: Sendable {
        /// Its file name (`index.html`, `page.js`, `page.css`).
        public var fileName: String
        /// Where `herald serve` answers it.
        public var path: String
        /// Its media type.
        public var contentType: String
        /// Its bytes.
        public var bytes: [UInt8]
    }

    /// The HTML document.
    public static let html = Asset(fileName: "index.html", path: "/", contentType: "text/html; charset=utf-8", bytes: PackageResources.index_html)
    /// The script that draws every service's preview from the render API's payloads.
    public static let script = Asset(
        fileName: "page.js", path: "/page.js", contentType: "text/javascript; charset=utf-8", bytes: PackageResources.page_js)
    /// The style sheet.
    public static let styleSheet = Asset(fileName: "page.css", path: "/page.css", contentType: "text/css; charset=utf-8", bytes: PackageResources.page_css)
    /// Every file of the page.
    public static let assets = [html, script, styleSheet]

    /// Only the page's own files, no inline script or style, no framing, no form posts, images from the page or
    /// `data:` URIs (the previews' inline images).
    public static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"

    /// The page's files for opening from disk: `index.html` carries ``contentSecurityPolicy`` in a `meta` element
    /// (without `frame-ancestors`, which a `meta` cannot set) and `renderings` (what `herald render --json --service
    /// all` prints) in a `<script type="application/json">` data block, which is never run; every `<` in it is
    /// written `\u003c`, which JSON allows only inside strings, so no text can end the block.
    public static func standalone(renderings: [UInt8]) -> [(fileName: String, bytes: [UInt8])] {
        let policy = contentSecurityPolicy.split(separator: ";").filter { !$0.contains("frame-ancestors") }.joined(separator: ";")
        let data = renderings.flatMap { $0 == UInt8(ascii: "<") ? Array(#"\u003c"#.utf8) : [$0] }
        var document = String(decoding: html.bytes, as: UTF8.self)
        document = document.replacingFirst("<meta charset=\"utf-8\">", with: "<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"\(policy)\">")
        document = document.replacingFirst(
            "</body>", with: "<script type=\"application/json\" id=\"herald-renderings\">" + String(decoding: data, as: UTF8.self) + "</script>\n</body>")
        return [("index.html", Array(document.utf8)), (script.fileName, script.bytes), (styleSheet.fileName, styleSheet.bytes)]
    }
}

extension String {
    /// The string with the first occurrence of `target` replaced; unchanged when there is none.
    fileprivate func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
