import HeraldCore

extension Service {
    /// E-mail through SMTP: the RFC 5322 message (text and HTML alternatives, inline images, attachments).
    public static let email = Service(id: "email", renderer: EmailRenderer(), payloadFileExtension: "eml")
}
