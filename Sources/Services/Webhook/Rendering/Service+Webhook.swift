import HeraldCore

extension Service {
    /// Herald's signed webhook: a JSON body carrying the whole notification (schema `herald.webhook/v1`), signed per
    /// the Standard Webhooks specification at delivery.
    public static let webhook = Service(id: "webhook", renderer: WebhookRenderer(), payloadFileExtension: "json")
}
