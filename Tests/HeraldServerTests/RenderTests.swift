import Foundation
import Herald
import HeraldCLI
import HeraldCore
import HeraldTestSupport
import Testing

/// `POST /v1/render/{service}` answers exactly what `herald render --json` prints.
@Suite("render over HTTP is the command line's --json")
struct RenderTests {
    /// Golden messages of every kind (styles, an inline image, a file by path, a table, hostile text, a BEC
    /// notification with highlights, stickers) and an example file. The endpoint and the command line share one
    /// writer, so these stand for the corpus.
    private static let messageFiles: [URL] =
        ["02-each-style", "09-image-attachment", "10-file-attachment-by-path", "12-table", "16-stickers", "21-hostile-html", "bec-formatted-marks"]
        .map { RepositoryPaths.golden.appendingPathComponent($0).appendingPathComponent("message.json") }
        + [RepositoryPaths.examples.appendingPathComponent("scan_interlock.json")]

    /// Whether the message names an attachment by path, which the server refuses.
    private static func hasPathAttachment(_ bytes: [UInt8]) throws -> Bool {
        guard case .object(let root) = try JSONReader().read(bytes), case .array(let parts)? = root["parts"] else { return false }
        return parts.contains { if case .object(let part) = $0 { part["path"] != nil } else { false } }
    }

    @Test("golden and example messages, for all services and for one: the same bytes as herald render --json")
    func sameBytesAsTheCommandLine() async throws {
        try await TestServer.with(variables: TestServer.variables(receiver: "http://127.0.0.1:9")) { server in
            var compared = 0
            for file in Self.messageFiles {
                let bytes = Array(try Data(contentsOf: file))
                for service in ["all", "signal"] {
                    let response = try await server.send(.POST, "/v1/render/\(service)", body: bytes)
                    if try Self.hasPathAttachment(bytes) {
                        #expect(response.status == 422, "\(file.path)")
                        #expect(try response.error().code == "invalid_message")
                        continue
                    }
                    let cli = await CapturedCommand.run(["render", "--json", "--service", service, file.path])
                    #expect(cli.status == .success, "\(file.path): \(cli.error)")
                    #expect(response.status == 200, "\(file.path): \(response.text.prefix(300))")
                    #expect(response.header("Content-Type") == "application/json")
                    #expect(response.body == cli.output, "\(file.path) --service \(service)")
                    compared += 1
                }
            }
            #expect(compared == 2 * (Self.messageFiles.count - 1))
        }
    }

    @Test("a message a service cannot take at all: 422 with the command line's reason; an unknown service: 404")
    func failures() async throws {
        // Tags alone over Teams's 28,000 bytes: Teams cannot take it even degraded.
        let tags = (0..<3000).map { JSONValue.string("tag-\($0)-abcdefgh") }
        let message = JSONWriter().bytes(["parts": [["type": "tags", "tags": .array(tags)]]])
        try await TestServer.with(variables: TestServer.variables(receiver: "http://127.0.0.1:9")) { server in
            let refused = try await server.send(.POST, "/v1/render/teams", body: message)
            #expect(refused.status == 422)
            #expect(try refused.error().code == "render_failure")
            let cli = await CapturedCommand.run(["render", "--json", "--service", "teams", "-"], input: String(decoding: message, as: UTF8.self))
            #expect(cli.status == .renderFailure)
            #expect(cli.error == "error: <stdin>: \(try refused.error().message)\n")

            let unknown = try await server.send(.POST, "/v1/render/fax", body: message)
            #expect(unknown.status == 404)
            #expect(try unknown.error().message == "unknown service \"fax\"; expected one of \(Service.catalogueIDs)")
            #expect(try unknown.error().path == "path.service")
        }
    }
}
