import Foundation
import Testing
import HeraldValidation

/// Markup shared by several tests.
enum Fixtures {
    /// A SciLog entry using every kind of markup Herald emits; it must validate without findings.
    static let cleanSciLogEntry = #"<h2>Title</h2><p><strong>a</strong> <mark class="pen-red">b</mark><br/>c &amp; d &#60;e&#62;</p><figure class="table"><table><tbody><tr><th>x</th></tr><tr><td>1</td></tr></tbody></table></figure><pre><code class="language-python">x = 1</code></pre><figure class="image image_resized"><img src="" title="abc123"/></figure><p><a class="fileLink" target="_blank" href="file:abc">scan.pdf</a></p><p><a href="https://example.org/x?a=1&amp;b=2">docs</a></p>"#

    /// A finding reduced to what the tests pin down: its kind and line.
    struct Located: Hashable, CustomStringConvertible {
        let kind: ValidationFinding.Kind
        let line: Int

        var description: String { "\(kind)@\(line)" }
    }

    /// A fragment and exactly the findings (by kind and line) it must produce.
    struct BadCase: Sendable, CustomTestStringConvertible {
        let html: String
        let expected: Set<Located>

        init(_ html: String, _ expected: [(ValidationFinding.Kind, Int)]) {
            self.html = html
            self.expected = Set(expected.map { Located(kind: $0.0, line: $0.1) })
        }

        var testDescription: String { html.debugDescription }
    }

    /// Hostile or sloppy fragments, each with the findings it must produce.
    static let badCases: [BadCase] = [
        BadCase("<script>alert(1)</script>", [(.elementNotAllowed, 1)]),
        BadCase(#"<p onclick="x()">a</p>"#, [(.attributeNotAllowed, 1)]),
        BadCase(#"<p ONCLICK="x()">a</p>"#, [(.attributeNotAllowed, 1)]),
        BadCase(#"<p style="color:red">a</p>"#, [(.attributeNotAllowed, 1)]),
        BadCase(#"<a href="javascript:alert(1)">x</a>"#, [(.urlSchemeNotAllowed, 1)]),
        BadCase(#"<a href="  JaVaScRiPt:alert(1)">x</a>"#, [(.urlSchemeNotAllowed, 1)]),
        BadCase(#"<a href="java&#9;script:alert(1)">x</a>"#, [(.urlSchemeNotAllowed, 1)]),
        BadCase(#"<a href="&#10;&#13; jAvAsCrIpT:alert(1)">x</a>"#, [(.urlSchemeNotAllowed, 1)]),
        BadCase(#"<a href="javascript&#58;alert(1)">x</a>"#, [(.urlSchemeNotAllowed, 1)]),
        BadCase(#"<a href="data:text/html,x">x</a>"#, [(.urlSchemeNotAllowed, 1)]),
        BadCase(#"<a href="/relative/path">x</a>"#, [(.urlSchemeNotAllowed, 1)]),
        BadCase(#"<a href="https://example.org" target="_top">x</a>"#, [(.attributeValueNotAllowed, 1)]),
        BadCase("<p><strong>x</p>", [(.notWellFormedXML, 1), (.htmlParseError, 1)]),
        BadCase("<!-- comment -->", [(.commentNotAllowed, 1)]),
        BadCase("<?php echo 1 ?>", [(.processingInstructionNotAllowed, 1)]),
        BadCase("<p>a&nbsp;b</p>", [(.notWellFormedXML, 1)]),
        BadCase("<p>a<br>b</p>", [(.notWellFormedXML, 1)]),
        BadCase(#"<img src="http://evil/x.png" title="h"/>"#, [(.attributeValueNotAllowed, 1)]),
        BadCase(#"<mark class="evil">x</mark>"#, [(.classNotAllowed, 1)]),
        BadCase(#"<mark class="pen-red marker-yellow">x</mark>"#, [(.classNotAllowed, 1)]),
        BadCase(#"<code class="language-">x</code>"#, [(.classNotAllowed, 1)]),
        BadCase(#"<figure class="media"><img src="" title="h"/></figure>"#, [(.classNotAllowed, 1)]),
        BadCase(#"<figure class="image"><img src="" title="h"/><figcaption>c</figcaption></figure>"#, [(.elementNotAllowed, 1)]),
        BadCase("<div>x</div>", [(.elementNotAllowed, 1)]),
        BadCase(#"<iframe src="https://evil"></iframe>"#, [(.elementNotAllowed, 1)]),
        BadCase("<div><p onclick=\"x()\">a</p></div>", [(.elementNotAllowed, 1), (.attributeNotAllowed, 1)]),
        BadCase("a < b", [(.notWellFormedXML, 1)]),
        BadCase("<p>x</p></body></html><p>y</p>", [(.notWellFormedXML, 1), (.htmlParseError, 1), (.elementNotAllowed, 1)]),
        BadCase("<p>a<![CDATA[<b>x</b>]]></p>", [(.nodeNotAllowed, 1), (.elementNotAllowed, 1)]),
        BadCase("<!DOCTYPE html><p>x</p>", [(.notWellFormedXML, 1), (.htmlParseError, 1), (.nodeNotAllowed, 0)]),
    ]
}
