import HeraldValidation
import Testing

@Suite("HTMLValidator with SciLog's allow-list")
struct HTMLValidatorTests {
    let validator = HTMLValidator()

    @Test func cleanSciLogEntryHasNoFindings() {
        #expect(validator.validate(Fixtures.cleanSciLogEntry) == [])
    }

    @Test(arguments: [
        "",
        "plain text &amp; more",
        "<p>Ünïcödé ✓ עברית 🧪</p>",
        "<p><mark class=\"marker-yellow\"><em><strong>Scan 12 done</strong></em></mark></p>",
        "<p><i>i</i> <em>em</em> <u>u</u> <s>s</s> <code>c</code> H<sub>2</sub>O x<sup>2</sup></p>",
        "<ul><li>a</li></ul><ol><li>b</li></ol><blockquote><p>q</p></blockquote><h3>h</h3><h4>h</h4>",
        "<p><a href=\"mailto:ops@example.org\">mail</a> <a href=\"http://example.org\">http</a></p>",
        "<figure class=\"table\"><table><thead><tr><th>h</th></tr></thead><tbody><tr><td>d</td></tr></tbody></table></figure>",
        "<figure class=\"image\"><img src=\"\" title=\"h\"/></figure>",
        "<figure class=\"image_resized image\"><img src=\"\" title=\"h\"/></figure>",
        "<pre><code class=\"language-cpp\">int main() {}</code></pre>",
        "<p>line one\nline two</p>\n<p>three</p>",
    ])
    func allowedMarkupHasNoFindings(_ html: String) {
        #expect(validator.validate(html) == [])
    }

    @Test(arguments: ["pen-red", "pen-green", "marker-yellow", "marker-pink", "marker-blue", "marker-green"])
    func everyHighlightClassIsAllowed(_ highlight: String) {
        #expect(validator.validate("<p><mark class=\"\(highlight)\">x</mark></p>") == [])
    }

    @Test(arguments: Fixtures.badCases)
    func badMarkupIsReported(_ badCase: Fixtures.BadCase) {
        let findings = validator.validate(badCase.html)
        let located = Set(findings.map { Fixtures.Located(kind: $0.kind, line: $0.line) })
        #expect(located == badCase.expected, "\(findings)")
    }

    @Test func schemeCheckNamesTheSchemeInLowercase() throws {
        let finding = try #require(validator.validate(#"<a href=" &#9; JaVaScRiPt:alert(1)">x</a>"#).first)
        #expect(finding.kind == .urlSchemeNotAllowed)
        #expect(finding.message.contains("javascript:"))
    }

    @Test func customAllowListIsHonoured() {
        let spanOnly = HTMLValidator(allowList: HTMLAllowList(elements: ["span": ["lang": .oneOf(["en", "de"])]]))
        #expect(spanOnly.validate(#"<span lang="de">x</span>"#) == [])
        #expect(spanOnly.validate(#"<span lang="fr">x</span>"#).map(\.kind) == [.attributeValueNotAllowed])
        #expect(spanOnly.validate("<p>x</p>").map(\.kind) == [.elementNotAllowed])
    }
}
