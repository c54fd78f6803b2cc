import Foundation
import HeraldTestSupport
import Testing

/// The service facts in the reference specifications (the folder `HERALD_SPECS` names).
enum SharedSpecs {
    /// The decoded spec file `name`.
    static func load<Spec: Decodable>(_: Spec.Type, from name: String) throws -> Spec {
        try JSONDecoder().decode(Spec.self, from: Data(contentsOf: try RepositoryPaths.spec(name)))
    }
}

/// `angular-html-sanitizer-allowlist.json`: what Angular's sanitizer, and so SciLog's web view, keeps.
struct AngularSanitizerAllowList: Decodable {
    let voidElements: [String]
    let optionalEndTagBlockElements: [String]
    let optionalEndTagInlineElements: [String]
    let blockElements: [String]
    let inlineElements: [String]
    let uriAttrs: [String]
    let htmlAttrs: [String]
    let ariaAttrs: [String]

    enum CodingKeys: String, CodingKey {
        case voidElements = "VOID_ELEMENTS"
        case optionalEndTagBlockElements = "OPTIONAL_END_TAG_BLOCK_ELEMENTS"
        case optionalEndTagInlineElements = "OPTIONAL_END_TAG_INLINE_ELEMENTS"
        case blockElements = "BLOCK_ELEMENTS"
        case inlineElements = "INLINE_ELEMENTS"
        case uriAttrs = "URI_ATTRS"
        case htmlAttrs = "HTML_ATTRS"
        case ariaAttrs = "ARIA_ATTRS"
    }

    /// `VALID_ELEMENTS` as the spec defines it.
    var validElements: Set<String> {
        Set(voidElements + blockElements + inlineElements + optionalEndTagBlockElements + optionalEndTagInlineElements)
    }

    /// `VALID_ATTRS` as the spec defines it.
    var validAttributes: Set<String> {
        Set(uriAttrs + htmlAttrs + ariaAttrs)
    }
}

/// The parts of `scilog-paragraph-model.json` these tests use.
struct SciLogParagraphModel: Decodable {
    struct FileReferences: Decodable {
        let image: String
        let imageWebEditorVariant: String
        let file: String

        enum CodingKeys: String, CodingKey {
            case image
            case imageWebEditorVariant = "image_web_editor_variant"
            case file
        }
    }

    struct CKEditor: Decodable {
        let outputMarkupByFeature: [String: String]

        enum CodingKeys: String, CodingKey {
            case outputMarkupByFeature = "output_markup_by_feature"
        }
    }

    let fileReferencesInTextcontent: FileReferences
    let ckeditor5: CKEditor

    enum CodingKeys: String, CodingKey {
        case fileReferencesInTextcontent = "file_references_in_textcontent"
        case ckeditor5
    }
}
