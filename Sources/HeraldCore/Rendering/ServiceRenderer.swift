/// A service's renderer: its capabilities, its limits and a pure function from one fitted, limited message to the
/// payload.
///
/// Conforming types are values without state; ``render(_:)-(NotificationMessage)`` runs the whole pipeline (lower,
/// fit, limit, render) and is safe to call from any thread.
public protocol ServiceRenderer: Sendable {
    /// What the service can show.
    var capabilities: Capabilities { get }

    /// What each message may hold and how many messages one notification may become; the default is
    /// ``ServiceLimits/none``.
    var limits: ServiceLimits { get }

    /// Makes the changes only this service needs beyond its ``capabilities`` (markup that cannot express some
    /// combination, say), reporting each; the default changes nothing.
    func adjusted(_ document: Document) -> FittingResult

    /// Encodes one message: a document fitted to ``capabilities``, adjusted, and within ``limits``. It shows the
    /// document as it is; anything the encoding itself cannot carry goes into the payload's degradations.
    func renderFitted(_ document: Document) throws(RenderError) -> RenderedPayload
}

extension ServiceRenderer {
    /// No service-specific changes.
    public func adjusted(_ document: Document) -> FittingResult {
        FittingResult(document: document, degradations: [])
    }

    /// No limits.
    public var limits: ServiceLimits { .none }
}

/// What a renderer produced for one message.
public struct RenderedPayload: Hashable, Sendable {
    /// The exact request body the service receives.
    public var body: [UInt8]
    /// The payload as a JSON value (a string for text payloads), for `herald render --json`.
    ///
    /// A payload made by ``init(jsonBody:degradations:)`` or ``init(textBody:degradations:)`` makes it from
    /// ``body`` when asked.
    public var json: JSONValue {
        get {
            switch source {
            case .given(let value):
                return value
            case .jsonBody:
                guard let parsed = try? JSONReader().read(body) else {
                    preconditionFailure("RenderedPayload(jsonBody:) was given bytes that are not JSON")
                }
                return parsed
            case .textBody:
                return .string(String(decoding: body, as: UTF8.self))
            }
        }
        set { source = .given(newValue) }
    }
    /// Where ``json`` comes from.
    private var source: JSONSource
    /// Losses of encoding, on top of fitting and limiting.
    public var degradations: [Degradation]

    /// Creates a payload.
    public init(body: [UInt8], json: JSONValue, degradations: [Degradation] = []) {
        self.body = body
        self.source = .given(json)
        self.degradations = degradations
    }

    /// A JSON payload given only by its bytes, which must be JSON, for a renderer that writes them directly:
    /// ``json`` reads them back when asked, so that rendering builds no JSON value nobody reads.
    public init(jsonBody body: [UInt8], degradations: [Degradation] = []) {
        self.body = body
        self.source = .jsonBody
        self.degradations = degradations
    }

    /// A text payload given only by its UTF-8 bytes: ``json`` is the text, made when asked, so that rendering
    /// does not decode a long text nobody reads as a string.
    public init(textBody body: [UInt8], degradations: [Degradation] = []) {
        self.body = body
        self.source = .textBody
        self.degradations = degradations
    }

    /// Where ``json`` comes from: given, or made from ``body``.
    private enum JSONSource: Sendable {
        case given(JSONValue)
        case jsonBody
        case textBody
    }

    /// A JSON payload: `body` is `json` written deterministically.
    public init(json: JSONValue, degradations: [Degradation] = []) {
        self.init(body: JSONWriter().bytes(json), json: json, degradations: degradations)
    }

    /// A text payload: `body` is `text` as UTF-8.
    public init(text: String, degradations: [Degradation] = []) {
        self.init(body: Array(text.utf8), json: .string(text), degradations: degradations)
    }

    /// The payloads of several messages as one, for `herald render --payload` and the golden files: a JSON array of
    /// each one's ``json`` (a text payload as a string); the payload itself when there is one.
    public init(combining payloads: [RenderedPayload]) {
        guard payloads.count != 1 else {
            self = payloads[0]
            return
        }
        var body: [UInt8] = [UInt8(ascii: "[")]
        for (index, payload) in payloads.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            switch payload.source {
            case .jsonBody: body += payload.body
            case .given, .textBody: body += JSONWriter().bytes(payload.json)
            }
        }
        body.append(UInt8(ascii: "]"))
        self.init(jsonBody: body, degradations: payloads.flatMap(\.degradations))
    }

    /// Equal bodies, JSON values and degradations.
    public static func == (lhs: RenderedPayload, rhs: RenderedPayload) -> Bool {
        lhs.body == rhs.body && lhs.degradations == rhs.degradations && lhs.json == rhs.json
    }

    /// Hashes what equality compares, but the JSON value (equal payloads have equal bodies).
    public func hash(into hasher: inout Hasher) {
        hasher.combine(body)
        hasher.combine(degradations)
    }
}

/// One message of a rendering: the document it shows and its payload.
public struct RenderedMessage: Hashable, Sendable {
    /// What the message shows.
    public var document: Document
    /// Its payload.
    public var payload: RenderedPayload

    /// Creates a message.
    public init(document: Document, payload: RenderedPayload) {
        self.document = document
        self.payload = payload
    }
}

/// The result of rendering a message for one service.
public struct Rendering: Hashable, Sendable {
    /// The document as the service will show it: fitted, adjusted and limited, its messages read as one
    /// (``LimitedDocument/document``).
    public var fittedDocument: Document
    /// The messages the service receives, in sending order; at least one.
    public var messages: [RenderedMessage]
    /// Every loss, in order: lowering, fitting, limiting, encoding.
    public var degradations: [Degradation]

    /// Creates a rendering.
    public init(fittedDocument: Document, messages: [RenderedMessage], degradations: [Degradation]) {
        precondition(!messages.isEmpty, "a rendering has at least one message")
        self.fittedDocument = fittedDocument
        self.messages = messages
        self.degradations = degradations
    }

    /// What `herald render --payload` prints: the one message's payload, or all of them as a JSON array
    /// (``RenderedPayload/init(combining:)``).
    public var payload: RenderedPayload { RenderedPayload(combining: messages.map(\.payload)) }
}

/// A message that cannot be rendered for a service at all.
public struct RenderError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Why, e.g. `the card needs 31204 bytes even without images; Teams accepts 28000`.
    public var reason: String

    /// Creates an error.
    public init(reason: String) { self.reason = reason }

    /// The reason.
    public var description: String { reason }
}

extension ServiceRenderer {
    /// Lowers, fits, limits and renders `message`.
    public func render(_ message: NotificationMessage) throws(RenderError) -> Rendering {
        try render(Document.lowering(message))
    }

    /// Fits, adjusts, limits and renders an already lowered message.
    public func render(_ lowered: LoweringResult) throws(RenderError) -> Rendering {
        try render(lowered, encodingEach: renderFitted)
    }

    /// The pipeline with another encoding of each message (another transport's body): fits, adjusts and limits
    /// `lowered` for this service, and encodes each message with `encode`.
    public func render(
        _ lowered: LoweringResult, encodingEach encode: (Document) throws(RenderError) -> RenderedPayload
    ) throws(RenderError) -> Rendering {
        let fitting = prepared(lowered)
        let limited = try fitting.document.limited(to: limits, serviceName: capabilities.serviceName)
        var messages: [RenderedMessage] = []
        for document in limited.messages {
            messages.append(RenderedMessage(document: document, payload: try encode(document)))
        }
        var degradations = lowered.degradations.followed(by: fitting.degradations).followed(by: limited.degradations)
        for message in messages { degradations = degradations.followed(by: message.payload.degradations) }
        return Rendering(
            fittedDocument: messages.count == 1 ? messages[0].document : limited.document, messages: messages,
            degradations: degradations)
    }

    /// The lowered document fitted to ``capabilities`` and adjusted, with the degradations of both steps.
    public func prepared(_ lowered: LoweringResult) -> FittingResult {
        let fitting = lowered.document.fitted(to: capabilities)
        let adjustment = adjusted(fitting.document)
        return FittingResult(document: adjustment.document, degradations: fitting.degradations.followed(by: adjustment.degradations))
    }
}

extension Array where Element == Degradation {
    /// The degradations followed by `more`; when either is empty (nearly always), the other as it is, without
    /// copying a long report.
    fileprivate func followed(by more: [Degradation]) -> [Degradation] {
        if more.isEmpty { return self }
        return isEmpty ? more : self + more
    }
}
