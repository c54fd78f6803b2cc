import HeraldValidation
import Testing

@Suite("HTMLFragment: libxml2's reading of a fragment")
struct HTMLFragmentTests {
    @Test func elementsAttributesAndDecodedText() {
        let fragment = HTMLFragment(parsing: #"<p>a &amp; &#60;b&#x3E; &quot;c&quot;<a HREF="https://e.org/?x=1&amp;y=2">d</a></p>"#)
        let link = HTMLElement(name: "a", attributes: ["href": "https://e.org/?x=1&y=2"], children: [.text("d")])
        #expect(fragment.nodes == [.element(HTMLElement(name: "p", children: [.text("a & <b> \"c\""), .element(link)]))])
        #expect(fragment.parseErrors == [])
    }

    @Test func topLevelTextAndSiblingsAreKeptWithoutTheWrapper() {
        let fragment = HTMLFragment(parsing: "x<br/>y <!--c-->")
        #expect(fragment.nodes == [.text("x"), .element(HTMLElement(name: "br")), .text("y "), .comment("c")])
    }

    @Test func whitespaceBetweenInlineElementsSurvives() {
        let fragment = HTMLFragment(parsing: #"<p><mark class="pen-red">a</mark> <em>b</em><br/> <em>c</em></p>"#)
        guard case .element(let paragraph)? = fragment.nodes.first else { Issue.record("no paragraph"); return }
        #expect(paragraph.children.filter { $0 == .text(" ") }.count == 2)
    }

    @Test func html5TagsAreNotParseErrorsButBrokenMarkupIs() {
        #expect(HTMLFragment(parsing: #"<figure class="image"><mark class="pen-red">x</mark></figure>"#).parseErrors == [])
        let broken = HTMLFragment(parsing: "<p>\na & b</p>")
        #expect(broken.parseErrors.map(\.kind) == [.htmlParseError])
        #expect(broken.parseErrors.first?.line == 2)
    }

    @Test func unknownTagsAreReportedAndKeptAsElements() {
        let fragment = HTMLFragment(parsing: "<p>x<sensor1>y</sensor1></p>")
        #expect(fragment.parseErrors.count == 1)
        guard case .element(let paragraph)? = fragment.nodes.first else { Issue.record("no paragraph"); return }
        #expect(paragraph.children.contains(.element(HTMLElement(name: "sensor1", children: [.text("y")]))))
    }
}
