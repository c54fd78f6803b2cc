import HeraldCore

/// A document's webhook message and its bytes, so that its size is measured on exactly what is sent.
struct EncodedCard {
    /// The document the card shows.
    let document: Document
    /// The webhook message.
    let json: JSONValue
    /// The request body.
    let body: [UInt8]

    init(_ document: Document) {
        self.document = document
        json = AdaptiveCard(document).webhookMessage
        body = JSONWriter().bytes(json)
    }
}
