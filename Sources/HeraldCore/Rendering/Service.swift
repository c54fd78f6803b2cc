/// One service Herald renders for, described by one value: its id, renderer, the extension of files holding its
/// payload, and the extra renderings its folder offers.
///
/// Each service defines its value in its own folder (`Sources/Services/<Name>/Rendering`, e.g. `Service.markdown`)
/// and the `Herald` umbrella registers it with one line in `Service.catalogue`. Two values are the same service
/// when their ids are equal.
public struct Service: Hashable, Sendable, CustomStringConvertible {
    /// The service's id: its `--service` value, its key under `services:` in a destinations file, the name of its
    /// golden files and snapshot references, and what the outbox stores (`markdown`, `teams`).
    public let id: String
    /// The service's renderer.
    public let renderer: any ServiceRenderer
    /// The extension of a file holding the service's payload, in the golden corpus and in snapshot references:
    /// `md` for Markdown's text, `json` for a JSON body.
    public let payloadFileExtension: String
    /// Other renderings the service offers (another transport's body), each pinned by its own golden file.
    public let variants: [ServiceVariant]

    /// Describes a service.
    ///
    /// - Parameters:
    ///   - id: The service's id, lowercase letters and digits.
    ///   - renderer: The service's renderer.
    ///   - payloadFileExtension: The extension of a file holding its payload (`md`, `json`).
    ///   - variants: Other renderings it offers, each with its golden file.
    public init(id: String, renderer: any ServiceRenderer, payloadFileExtension: String, variants: [ServiceVariant] = []) {
        self.id = id
        self.renderer = renderer
        self.payloadFileExtension = payloadFileExtension
        self.variants = variants
    }

    /// The name users know the service by (`Microsoft Teams`).
    public var displayName: String { renderer.capabilities.serviceName }
    /// What the service can show.
    public var capabilities: Capabilities { renderer.capabilities }
    /// What each message may hold and how many messages one notification may become.
    public var limits: ServiceLimits { renderer.limits }
    /// The golden file holding the service's payload in each case of the corpus: `<id>.<payloadFileExtension>`.
    public var goldenFileName: String { "\(id).\(payloadFileExtension)" }
    /// The service's id; the name it had when `Service` was an enumeration.
    public var rawValue: String { id }
    /// The id.
    public var description: String { id }

    /// Whether two values describe the same service (equal ids).
    public static func == (lhs: Service, rhs: Service) -> Bool { lhs.id == rhs.id }

    /// Hashes the id.
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}

/// A further rendering a service offers beside its default one (Signal's REST transport), with its golden file.
public struct ServiceVariant: Sendable {
    /// The label in a golden case's `report.txt` and the golden file's name without extension (`signal-rest`).
    public let name: String
    /// The extension of its golden file (`json`).
    public let fileExtension: String
    /// Renders a message.
    public let render: @Sendable (NotificationMessage) throws(RenderError) -> Rendering

    /// Describes a variant.
    public init(name: String, fileExtension: String, render: @escaping @Sendable (NotificationMessage) throws(RenderError) -> Rendering) {
        self.name = name
        self.fileExtension = fileExtension
        self.render = render
    }

    /// The golden file holding this rendering's payload: `<name>.<fileExtension>`.
    public var goldenFileName: String { "\(name).\(fileExtension)" }
}
