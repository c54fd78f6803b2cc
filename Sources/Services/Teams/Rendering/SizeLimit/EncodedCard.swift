import HeraldCore

/// A document's webhook message as bytes, so that its size is measured on exactly what is sent.
struct EncodedCard {
    /// The document the card shows.
    let document: Document
    /// The request body: the card's webhook message, written without building its JSON value (the search for
    /// the longest card that fits measures many).
    let body: [UInt8]

    init(_ document: Document) {
        self.document = document
        body = AdaptiveCard(document).webhookMessageBytes
    }
}
