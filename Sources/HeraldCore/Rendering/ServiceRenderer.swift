/// A service's renderer: its capabilities and a pure function from a fitted document to the payload.
///
/// Conforming types are values without state; ``render(_:)`` runs the whole pipeline (lower, fit, render) and
/// is safe to call from any thread.
public protocol ServiceRenderer: Sendable {
    /// What the service can show.
    var capabilities: Capabilities { get }

    /// Makes the changes only this service needs beyond its ``capabilities`` (markup that cannot express some
    /// combination, say), reporting each; the default changes nothing.
    func adjusted(_ document: Document) -> FittingResult

    /// Encodes a document already fitted to ``capabilities`` and adjusted. Anything the renderer itself has to
    /// change while encoding (a size limit, say) goes into the payload's degradations, and the changed document
    /// into its ``RenderedPayload/shownDocument``.
    func renderFitted(_ document: Document) throws(RenderError) -> RenderedPayload
}

extension ServiceRenderer {
    /// No service-specific changes.
    public func adjusted(_ document: Document) -> FittingResult {
        FittingResult(document: document, degradations: [])
    }
}

/// What a renderer produced for one document.
public struct RenderedPayload: Hashable, Sendable {
    /// The exact request body the service receives.
    public var body: [UInt8]
    /// The payload as a JSON value (a string for text payloads), for `herald render --json`.
    ///
    /// A payload made by ``init(jsonBody:degradations:shownDocument:)`` or ``init(textBody:degradations:)``
    /// makes it from ``body`` when asked.
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
    /// Losses the renderer added on top of fitting.
    public var degradations: [Degradation]
    /// The document the payload shows when the renderer had to change the fitted one (to meet a size limit, say);
    /// `nil` when it shows the fitted document as it is.
    public var shownDocument: Document?

    /// Creates a payload.
    public init(body: [UInt8], json: JSONValue, degradations: [Degradation] = [], shownDocument: Document? = nil) {
        self.body = body
        self.source = .given(json)
        self.degradations = degradations
        self.shownDocument = shownDocument
    }

    /// A JSON payload given only by its bytes, which must be JSON, for a renderer that writes them directly:
    /// ``json`` reads them back when asked, so that rendering builds no JSON value nobody reads.
    public init(jsonBody body: [UInt8], degradations: [Degradation] = [], shownDocument: Document? = nil) {
        self.body = body
        self.source = .jsonBody
        self.degradations = degradations
        self.shownDocument = shownDocument
    }

    /// A text payload given only by its UTF-8 bytes: ``json`` is the text, made when asked, so that rendering
    /// does not decode a long text nobody reads as a string.
    public init(textBody body: [UInt8], degradations: [Degradation] = []) {
        self.body = body
        self.source = .textBody
        self.degradations = degradations
        self.shownDocument = nil
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

    /// Equal bodies, JSON values, degradations and shown documents.
    public static func == (lhs: RenderedPayload, rhs: RenderedPayload) -> Bool {
        lhs.body == rhs.body && lhs.degradations == rhs.degradations && lhs.shownDocument == rhs.shownDocument
            && lhs.json == rhs.json
    }

    /// Hashes what equality compares, but the JSON value (equal payloads have equal bodies).
    public func hash(into hasher: inout Hasher) {
        hasher.combine(body)
        hasher.combine(degradations)
        hasher.combine(shownDocument)
    }
}

/// The result of rendering a message for one service.
public struct Rendering: Hashable, Sendable {
    /// The document as the service will show it: fitted, adjusted, and changed by the renderer if it had to
    /// (``RenderedPayload/shownDocument``).
    public var fittedDocument: Document
    /// The payload.
    public var payload: RenderedPayload
    /// Every loss, in order: lowering, fitting, rendering.
    public var degradations: [Degradation]

    /// Creates a rendering.
    public init(fittedDocument: Document, payload: RenderedPayload, degradations: [Degradation]) {
        self.fittedDocument = fittedDocument
        self.payload = payload
        self.degradations = degradations
    }
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
    /// Lowers, fits and renders `message`.
    public func render(_ message: NotificationMessage) throws(RenderError) -> Rendering {
        try render(Document.lowering(message))
    }

    /// Fits, adjusts and renders an already lowered message.
    public func render(_ lowered: LoweringResult) throws(RenderError) -> Rendering {
        let fitting = prepared(lowered)
        let payload = try renderFitted(fitting.document)
        return Rendering(
            fittedDocument: payload.shownDocument ?? fitting.document, payload: payload,
            degradations: lowered.degradations.followed(by: fitting.degradations).followed(by: payload.degradations))
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
