import HeraldDelivery
import Testing

/// The redactor on its own: every encoding a service may echo, and text without secrets left as it was.
@Suite("secret redactor")
struct RedactorTests {
    static let redactor: SecretRedactor = {
        let configuration = try? DeliveryConfiguration(
            yaml: "services: {markdown: {scopes: {chat: {url_env: HOOK}}}, scilog: {url: 'https://s.example', token_env: TOKEN, scopes: {a: {logbook_id: b}}}}")
        let environment = DeliveryEnvironment([
            "HOOK": "https://chat.example/hooks/T0/B0/abcdefgh1234?sv=1.0&sig=s%2Bg-9876543210", "TOKEN": "tok\u{1F600}en/secret",
        ])
        return SecretRedactor(secrets: configuration?.secrets(in: environment) ?? [])
    }()

    @Test("raw, JSON-escaped slashes, a query value alone, percent-encoded and decoded, \\u escapes with surrogate pairs")
    func encodings() {
        let redactor = Self.redactor
        #expect(redactor.redact(#"at https:\/\/chat.example\/hooks\/T0\/B0\/abcdefgh1234 now"#) == #"at https:\/\/chat.example\/hooks\/T0\/B0\/<secret> now"#)
        #expect(redactor.redact("signature s+g-9876543210 is wrong") == "signature <secret> is wrong")
        #expect(redactor.redact("signature s%2bg-9876543210 is wrong") == "signature <secret> is wrong")
        #expect(redactor.redact(#"{"t": "tok\ud83d\ude00en\/secret"}"#) == #"{"t": "<secret>"}"#)
        #expect(redactor.redact("Bearer tok%F0%9F%98%80en%2Fsecret.") == "Bearer <secret>.")
    }

    @Test("text without a secret is returned unchanged, escapes and all")
    func unchanged() {
        for text in [#"100% sure \ path \u00e9 %zz \ud83d alone"#, "", "tok", "s+g-987654321"] {
            #expect(Self.redactor.redact(text) == text)
        }
    }
}
