import Foundation
import HeraldServer
import HeraldTestSupport
import Testing

/// The OpenAPI document is the source of truth: the hand-written routes are exactly its operations.
@Suite("the OpenAPI document describes the routes")
struct OpenAPIDocumentTests {
    private static func describe(_ method: String, _ path: String, open: Bool) -> String {
        "\(method) \(path) \(open ? "open" : "token")"
    }

    @Test("every route is an operation of the document with the same security, and every operation a route")
    func routesMatchTheDocument() {
        let routes = Set(HeraldServer.operations.map { Self.describe($0.method, $0.path, open: $0.requiredRole == nil) })
        let documented = Set(APIDocument.shared.operations.map { Self.describe($0.method, $0.path, open: $0.isOpen) })
        #expect(routes == documented)
        #expect(HeraldServer.operations.count == routes.count, "a route is registered twice")
    }

    @Test("operations behind a token document 401 and 429, admin operations 403, the others no 403")
    func accessStatusesAreDocumented() throws {
        for operation in HeraldServer.operations {
            let documented = try #require(APIDocument.shared.operation(operation.method, operation.path), "\(operation)")
            if operation.requiredRole != nil {
                #expect(documented.statuses.isSuperset(of: ["401", "429"]), "\(operation)")
            }
            #expect(documented.statuses.contains("403") == (operation.requiredRole == .admin), "\(operation)")
        }
    }

    @Test("GET /openapi.yaml needs no token and serves the repository's document byte for byte")
    func servesTheDocument() async throws {
        let file = try Data(contentsOf: RepositoryPaths.root.appendingPathComponent("Sources/HeraldServer/openapi.yaml"))
        try await TestServer.with(variables: TestServer.variables(receiver: "http://127.0.0.1:9")) { server in
            let response = try await server.send(.GET, "/openapi.yaml", token: nil)
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/yaml")
            #expect(response.body == Array(file))
        }
    }
}
