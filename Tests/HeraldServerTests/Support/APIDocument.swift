import Foundation
import HeraldServer
import Testing
import Yams

/// The OpenAPI document the server serves, read with Yams: its operations, the security each declares and the
/// statuses each documents.
struct APIDocument: Sendable {
    /// One operation of the document.
    struct Operation: Hashable, Sendable {
        var method: String
        var path: String
        /// Whether it declares `security: []` (no token).
        var isOpen: Bool
        /// The documented statuses (`"200"`, `"401"`, ...).
        var statuses: Set<String>
    }

    /// The document compiled into the server.
    static let shared: APIDocument = {
        do { return try APIDocument(String(decoding: HeraldServer.openAPIDocument, as: UTF8.self)) } catch {
            preconditionFailure("the OpenAPI document cannot be read: \(error)")
        }
    }()

    let operations: [Operation]

    init(_ text: String) throws {
        guard let root = try Yams.load(yaml: text) as? [String: Any], let paths = root["paths"] as? [String: Any] else {
            throw Unreadable()
        }
        var operations: [Operation] = []
        for (path, item) in paths {
            guard let methods = item as? [String: Any] else { throw Unreadable() }
            for (method, value) in methods where ["get", "put", "post", "delete", "patch"].contains(method) {
                guard let operation = value as? [String: Any], let responses = operation["responses"] as? [String: Any] else {
                    throw Unreadable()
                }
                let security = operation["security"] as? [Any]
                operations.append(Operation(
                    method: method.uppercased(), path: path, isOpen: security?.isEmpty == true, statuses: Set(responses.keys)))
            }
        }
        self.operations = operations
    }

    struct Unreadable: Error {}

    /// The operation whose template matches `path` (without its query) for `method`.
    func operation(_ method: String, _ path: String) -> Operation? {
        let segments = path.split(separator: "?", maxSplits: 1).first.map { $0.split(separator: "/", omittingEmptySubsequences: false) } ?? []
        return operations.first { operation in
            let template = operation.path.split(separator: "/", omittingEmptySubsequences: false)
            return operation.method == method && template.count == segments.count
                && zip(template, segments).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
        }
    }

    /// Checks that `response`'s status is documented for the operation (404 for a path no operation has) and that
    /// an error answer has the error shape.
    func check(_ response: TestResponse, method: String, path: String, sourceLocation: SourceLocation) throws {
        let documented = operation(method, path)?.statuses ?? ["404"]
        #expect(documented.contains(String(response.status)), "\(method) \(path) answered \(response.status), not documented", sourceLocation: sourceLocation)
        if response.status >= 400 { _ = try response.error() }
    }
}
