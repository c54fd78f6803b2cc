import HeraldTestSupport
import HeraldValidation
import Testing

@Suite("SciLog allow-list against the reference specifications", .requires(.specs))
struct SpecConformanceTests {
    let validator = HTMLValidator()

    /// Whatever the validator lets through survives Angular's sanitizer in SciLog's web view.
    @Test func allowListIsInsideAngularsSanitizer() throws {
        let angular = try SharedSpecs.load(AngularSanitizerAllowList.self, from: "angular-html-sanitizer-allowlist.json")
        let elements = HTMLAllowList.scilog.elements
        #expect(Set(elements.keys).subtracting(angular.validElements).isEmpty)
        let attributes = Set(elements.values.flatMap(\.keys))
        #expect(attributes.subtracting(angular.validAttributes).isEmpty)
        #expect(!attributes.contains("style"))
        #expect(!attributes.contains { $0.hasPrefix("on") })
    }

    /// Angular's URL sanitizer checks exactly its URI attributes; every one the allow-list permits has a URL or
    /// empty-value rule.
    @Test func uriAttributesAreConstrained() throws {
        let angular = try SharedSpecs.load(AngularSanitizerAllowList.self, from: "angular-html-sanitizer-allowlist.json")
        for (element, attributes) in HTMLAllowList.scilog.elements {
            for (attribute, rule) in attributes where angular.uriAttrs.contains(attribute) {
                switch rule {
                case .url, .empty:
                    continue
                default:
                    Issue.record("\(attribute) on <\(element)> is a URI attribute with the rule \(rule)")
                }
            }
        }
    }

    @Test func everyCKEditorHighlightClassIsAllowed() throws {
        let model = try SharedSpecs.load(SciLogParagraphModel.self, from: "scilog-paragraph-model.json")
        let highlight = try #require(model.ckeditor5.outputMarkupByFeature["Highlight"])
        let classes = highlight.matches(of: #/class="([^"]+)"/#).flatMap { $0.output.1.split(separator: "|") }
        #expect(classes.count == 6)
        for highlightClass in classes {
            #expect(validator.validate("<p><mark class=\"\(highlightClass)\">x</mark></p>") == [], "\(highlightClass)")
        }
    }

    @Test func sciLogFileLinkIsClean() throws {
        let model = try SharedSpecs.load(SciLogParagraphModel.self, from: "scilog-paragraph-model.json")
        let link = model.fileReferencesInTextcontent.file
            .replacing("{fileHash}", with: "3f2a9c").replacing("{basename}", with: "scan_1234.pdf")
        #expect(validator.validate(link) == [])
    }

    /// SciLog's own image references leave `<img>` unclosed, which is HTML but not XML; Herald writes `<img/>`.
    @Test(arguments: [\SciLogParagraphModel.FileReferences.image, \.imageWebEditorVariant])
    func sciLogImageReferenceIsCleanOnceSelfClosed(_ form: KeyPath<SciLogParagraphModel.FileReferences, String> & Sendable) throws {
        let model = try SharedSpecs.load(SciLogParagraphModel.self, from: "scilog-paragraph-model.json")
        let reference = model.fileReferencesInTextcontent[keyPath: form].replacing("{fileHash}", with: "3f2a9c")
        #expect(Set(validator.validate(reference).map(\.kind)) == [.notWellFormedXML])
        #expect(validator.validate(reference.replacing("\"></figure>", with: "\"/></figure>")) == [])
    }
}
