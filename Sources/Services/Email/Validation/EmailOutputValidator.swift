import Herald
import HeraldValidation

/// `herald render --validate` for e-mail: libxml2's checks (``HTMLValidator``) of each message's HTML alternative
/// against ``HTMLAllowList/email``.
struct EmailOutputValidator: OutputValidator {
    /// E-mail.
    var service: Service { .email }

    /// Each finding as `email html LINE:COLUMN: MESSAGE`.
    func problems(in rendering: Rendering) -> [String] {
        let renderer = EmailRenderer()
        return rendering.messages.flatMap { message in
            HTMLValidator(allowList: .email).validate(renderer.html(for: message.document)).map { "email html \($0)" }
        }
    }
}

extension HTMLAllowList {
    /// What the HTML alternative of Herald's e-mails may contain (``EmailHTML``): headings, paragraphs, line breaks,
    /// the run elements, colors as the six inline styles, tables, code blocks, images and links to `http`, `https`,
    /// `mailto` and the message's own parts (`cid:`), each element with only its own `style`.
    public static let email: HTMLAllowList = {
        let text: [String: AttributeRule] = ["style": .oneOf([EmailHTML.textStyle])]
        return HTMLAllowList(elements: [
            "h1": text, "h2": text, "h3": text, "p": text, "br": [:],
            "strong": [:], "em": [:], "s": [:], "code": [:],
            "a": ["href": .url(schemes: ["http", "https", "mailto", "cid"])],
            "span": ["style": .oneOf(Set(EmailHTML.colorStyles.values))],
            "table": ["style": .oneOf([EmailHTML.tableStyle])],
            "caption": ["style": .oneOf([EmailHTML.captionStyle])],
            "tr": [:], "th": ["style": .oneOf([EmailHTML.cellStyle])], "td": ["style": .oneOf([EmailHTML.cellStyle])],
            "pre": ["style": .oneOf([EmailHTML.codeBlockStyle])],
            "img": [
                "src": .url(schemes: ["cid"]), "alt": .anyValue, "width": .anyValue, "height": .anyValue,
                "style": .oneOf([EmailHTML.imageStyle]),
            ],
        ])
    }()
}
