import Foundation
import HeraldDelivery
import HeraldTestSupport
import Testing

/// A storage the outbox suites run against: SQLite always, PostgreSQL when `HERALD_TEST_POSTGRES_URL` names a
/// server (or when prerequisites are required, so that a missing server fails).
enum OutboxBackend: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case sqlite, postgres

    /// The backends this run covers.
    static var available: [OutboxBackend] {
        Prerequisite.postgres.isAvailable || Prerequisite.isRequired ? [.sqlite, .postgres] : [.sqlite]
    }

    var testDescription: String { rawValue }

    /// A fresh, empty outbox location: a file in `directory`, or a schema of its own on the test server (left there:
    /// the server is thrown away after the run).
    func location(in directory: URL) throws -> OutboxLocation {
        switch self {
        case .sqlite:
            return .sqlite(path: directory.appendingPathComponent("outbox.sqlite").path)
        case .postgres:
            let url = try Self.serverURL()
            let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            return try OutboxLocation(url + (url.contains("?") ? "&" : "?") + "schema=" + schema)
        }
    }

    /// A fresh, empty outbox: ``location(in:)`` opened.
    func makeOutbox(in directory: URL) throws -> Outbox {
        try Outbox(location: location(in: directory))
    }

    /// The test server's URL, or an error saying why there is none.
    static func serverURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["HERALD_TEST_POSTGRES_URL"], !url.isEmpty else {
            throw BackendMissing()
        }
        return url
    }

    struct BackendMissing: Error, CustomStringConvertible {
        var description: String { Prerequisite.postgres.missingReason }
    }
}
