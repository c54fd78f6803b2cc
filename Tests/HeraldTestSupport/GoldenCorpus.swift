import Foundation
import Herald

/// One case of the golden corpus: a folder under `golden/` with `message.json` and one expected file per output.
public struct GoldenCase: Sendable, CustomStringConvertible {
    /// The folder name, e.g. `04-colors`.
    public let name: String
    /// The folder.
    public let directory: URL

    /// The folder name.
    public var description: String { name }

    /// Every case, sorted by name.
    public static var all: [GoldenCase] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: RepositoryPaths.golden.path)) ?? []
        return names.sorted().compactMap { name in
            let directory = RepositoryPaths.golden.appendingPathComponent(name)
            let message = directory.appendingPathComponent("message.json")
            return FileManager.default.fileExists(atPath: message.path) ? GoldenCase(name: name, directory: directory) : nil
        }
    }

    /// The case's message, decoded with attachment paths relative to the case folder; a BEC notification
    /// (the `bec-…` cases) is read by ``BECMessageImporter``.
    public func message() throws -> NotificationMessage {
        let value = try JSONReader().read(Data(contentsOf: directory.appendingPathComponent("message.json")))
        if BECMessageImporter.isBECMessage(value) {
            return try BECMessageImporter().importMessage(value).message
        }
        return try NotificationMessage(jsonValue: value, options: MessageDecodingOptions(baseDirectory: directory.path))
    }

    /// The URL of an expected file in this case.
    public func file(_ name: String) -> URL { directory.appendingPathComponent(name) }
}

/// An output the golden corpus pins: a file name and how to produce its rendering from a message.
public struct GoldenOutput: Sendable {
    /// The label in `report.txt`, e.g. `signal-rest`.
    public let label: String
    /// The expected file's name, e.g. `signal-rest.json`.
    public let fileName: String
    /// Renders a message.
    public let render: @Sendable (NotificationMessage) throws -> Rendering
    /// Whether this is a second transport of a service already listed, whose report shows only its own losses.
    public var isAlternateTransport = false

    /// Every pinned output: one per service of the catalogue, then each service's variants (Signal's REST form).
    public static let all: [GoldenOutput] = Service.catalogue.map { service in
        GoldenOutput(label: service.id, fileName: service.goldenFileName) { try service.renderer.render($0) }
    } + Service.catalogue.flatMap(\.variants).map { variant in
        GoldenOutput(label: variant.name, fileName: variant.goldenFileName, render: variant.render, isAlternateTransport: true)
    }

    /// The file's expected content for `rendering`: the payload bytes, ending with a line feed.
    public static func fileContent(_ rendering: Rendering) -> [UInt8] {
        let body = rendering.payload.body
        return body.last == UInt8(ascii: "\n") ? body : body + [UInt8(ascii: "\n")]
    }

    /// `report.txt`: for each output, its label and one indented line per degradation.
    public static func report(_ renderings: [(GoldenOutput, Rendering)]) -> String {
        renderings.map { output, rendering in
            let degradations = output.isAlternateTransport ? rendering.payload.degradations : rendering.degradations
            let lines = degradations.map { "  \($0.kind.rawValue): \($0)\n" }.joined()
            return "\(output.label):\n" + (lines.isEmpty ? "  (nothing lost)\n" : lines)
        }.joined()
    }
}
