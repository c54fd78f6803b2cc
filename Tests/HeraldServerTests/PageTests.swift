import Foundation
import HeraldCore
import HeraldServer
import HeraldTestSupport
import Testing

/// The preview page's files: served without a token under the strict policy, byte for byte the repository's, with
/// no inline script or style; and the page written for disk keeps the renderings in an inert data block.
@Suite("the preview page")
struct PageTests {
    private static let policy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"

    @Test("GET /, /page.js and /page.css need no token and carry the Content-Security-Policy and nosniff")
    func servesTheFiles() async throws {
        let files = [("/", "index.html", "text/html"), ("/page.js", "page.js", "text/javascript"), ("/page.css", "page.css", "text/css")]
        try await TestServer.with(variables: TestServer.variables(receiver: "http://127.0.0.1:9")) { server in
            for (path, file, type) in files {
                let response = try await server.send(.GET, path, token: nil)
                #expect(response.status == 200, "\(path)")
                #expect(response.header("Content-Type") == "\(type); charset=utf-8", "\(path)")
                #expect(response.header("Content-Security-Policy") == Self.policy, "\(path)")
                #expect(response.header("X-Content-Type-Options") == "nosniff", "\(path)")
                let source = try Data(contentsOf: RepositoryPaths.root.appendingPathComponent("Sources/HeraldServer/Page/\(file)"))
                #expect(response.body == Array(source), "\(path)")
            }
        }
    }

    @Test("the HTML has one script, by src, and no style element, style attribute or event handler")
    func noInlineScriptOrStyle() {
        let html = String(decoding: PreviewPage.html.bytes, as: UTF8.self)
        #expect(html.matches(of: /<script\b[^>]*>/).map { String($0.output) } == [#"<script src="page.js" defer>"#])
        #expect(!html.contains("<style"))
        #expect(html.firstMatch(of: /\s(style|on[a-z]+)\s*=/) == nil)
    }

    @Test("the page for disk embeds the renderings as JSON no text can close, under the policy but frame-ancestors")
    func standalonePage() throws {
        let hostile: JSONValue = ["service": "markdown", "payload": "</script><script>alert(1)</script><!--", "degradations": []]
        let renderings = JSONWriter().bytes(.array([hostile]))
        let files = PreviewPage.standalone(renderings: renderings)
        #expect(files.map(\.fileName) == ["index.html", "page.js", "page.css"])
        #expect(files[1].bytes == PreviewPage.script.bytes && files[2].bytes == PreviewPage.styleSheet.bytes)
        let html = String(decoding: files[0].bytes, as: UTF8.self)
        #expect(html.contains(#"<meta http-equiv="Content-Security-Policy" content="\#(Self.policy.replacingOccurrences(of: "; frame-ancestors 'none'", with: ""))">"#))
        let open = #"<script type="application/json" id="herald-renderings">"#
        let block = try #require(html.range(of: open))
        let end = try #require(html.range(of: "</script>", range: block.upperBound..<html.endIndex))
        let data = html[block.upperBound..<end.lowerBound]
        #expect(!data.contains("<"))
        #expect(try JSONReader().read(Array(data.utf8)) == .array([hostile]))
        #expect(html[end.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines) == "</body>\n</html>")
    }
}
