import HeraldCore

/// An Adaptive Card 1.4 as Herald sends it to Microsoft Teams.
///
/// The model holds only the elements and properties Herald emits. Its JSON writes enum values in their
/// canonical spelling (`"Bolder"`, `"Attention"`, `"None"`), `Column.width` in the lower case renderers compare
/// it in (`"stretch"`), and leaves out every property that is at its default. The card carries the Teams-only
/// `msteams: {"width": "Full"}` so that it uses the whole width of the conversation.
public struct AdaptiveCard: Hashable, Sendable {
    /// The card version Herald emits: Teams Workflows renders nothing newer.
    public static let version = "1.4"
    /// The `$schema` every card names.
    public static let schemaURI = "http://adaptivecards.io/schemas/adaptive-card.json"
    /// The `contentType` of an Adaptive Card attachment.
    public static let contentType = "application/vnd.microsoft.card.adaptive"

    /// The elements, top to bottom.
    public var body: [Element]

    /// Creates a card.
    public init(body: [Element]) {
        self.body = body
    }

    /// The card object: `{"type": "AdaptiveCard", "$schema", "version": "1.4", "body", "msteams"}`.
    public var jsonValue: JSONValue {
        var stream = JSONStream()
        write(to: &stream)
        return Self.value(of: stream.bytes)
    }

    /// The request body for an incoming webhook or a Workflows "When a Teams webhook request is received" URL:
    /// `{"type": "message", "attachments": [{"contentType", "contentUrl": null, "content": <card>}]}`.
    public var webhookMessage: JSONValue {
        Self.value(of: webhookMessageBytes)
    }

    /// The JSON value of bytes the card's encoder wrote: the card has one encoder, which writes bytes, and its
    /// values are read back from them.
    private static func value(of bytes: [UInt8]) -> JSONValue {
        guard let value = try? JSONReader().read(bytes) else { preconditionFailure("the card's encoder wrote bytes that are not JSON") }
        return value
    }
}
