import Foundation
import Herald

/// Where an outbox is: the destinations file's `outbox`, a SQLite file's path or a `postgres://` URL.
public enum OutboxLocation: Sendable, Hashable {
    /// A SQLite file.
    case sqlite(path: String)
    /// A PostgreSQL database.
    case postgres(PostgresOutboxSettings)

    /// Reads `text`: a `postgres://` or `postgresql://` URL is a PostgreSQL database (its password, if any, from the
    /// variable `passwordVariable` names, else from `PGPASSWORD`), anything else a SQLite path resolved by
    /// `resolve`. Throws the reason a URL is refused.
    public init(_ text: String, passwordVariable: String? = nil, resolve: (String) -> String = { $0 }) throws(DeliveryError) {
        if PostgresOutboxSettings.isURL(text) {
            self = .postgres(try PostgresOutboxSettings(url: text, passwordVariable: passwordVariable))
        } else {
            self = .sqlite(path: resolve(text))
        }
    }
}

/// How to reach a PostgreSQL outbox: `postgres://user@host:port/database?schema=herald&sslmode=require`, or a Unix
/// socket directory with `?host=/run/postgresql`. The password is never in the URL: it comes from the environment.
public struct PostgresOutboxSettings: Sendable, Hashable, CustomStringConvertible {
    /// The user name.
    public var user: String
    /// The host name or address (TCP), unless `socketDirectory` is set.
    public var host: String
    /// The TCP port, or the number in the socket's name (`.s.PGSQL.<port>`).
    public var port: Int
    /// The directory of the server's Unix socket, if it is reached that way.
    public var socketDirectory: String?
    /// The database.
    public var database: String
    /// The schema holding Herald's tables (created if needed); `nil` for the user's default (`public`).
    public var schema: String?
    /// TLS: `disable`, `prefer` (the default) or `require`.
    public var tls: TLSMode
    /// The environment variable holding the password (`outbox_password_env`, else `PGPASSWORD`).
    public var passwordVariable: String

    /// Whether the server is asked for TLS.
    public enum TLSMode: String, Sendable, Hashable, CaseIterable {
        /// Never.
        case disable
        /// When the server offers it.
        case prefer
        /// Always; a server without TLS is an error.
        case require
    }

    /// The longest URL read.
    public static let maximumURLLength = 2048

    /// Whether `text` is a PostgreSQL URL (`postgres://` or `postgresql://`).
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Reads a `postgres://` URL; a password in it, an unknown parameter or a bad schema name is an error.
    public init(url text: String, passwordVariable: String? = nil) throws(DeliveryError) {
        func refuse(_ reason: String) -> DeliveryError { .invalidConfiguration(ConfigurationError(path: "outbox", reason: reason)) }
        guard text.utf8.count <= Self.maximumURLLength else { throw refuse("the URL is longer than \(Self.maximumURLLength) bytes") }
        guard Self.isURL(text), let components = URLComponents(string: text) else {
            throw refuse("not a postgres://user@host:port/database URL")
        }
        guard components.password == nil else {
            throw refuse("the URL holds a password; put it in an environment variable named by outbox_password_env (or PGPASSWORD) instead")
        }
        guard let user = components.user, !user.isEmpty else { throw refuse("the URL names no user (postgres://user@host/database)") }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else { throw refuse("the URL names no database (postgres://user@host/database)") }
        self.user = user
        self.database = database
        host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? "localhost"
        port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw refuse("port \(port) is out of range") }
        tls = .prefer
        self.passwordVariable = passwordVariable ?? "PGPASSWORD"
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "schema":
                guard value.range(of: "^[a-z_][a-z0-9_]{0,62}$", options: .regularExpression) != nil else {
                    throw refuse("schema must be 1 to 63 lowercase letters, digits or underscores, not starting with a digit")
                }
                schema = value
            case "sslmode":
                guard let mode = TLSMode(rawValue: value) else {
                    throw refuse("sslmode must be one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                tls = mode
            case "host":
                guard value.hasPrefix("/") else { throw refuse("host must be the absolute path of the server's socket directory") }
                socketDirectory = value
            default:
                throw refuse("unknown parameter \(quoted(item.name, limit: 40)); expected schema, sslmode or host")
            }
        }
    }

    /// The URL without secrets (it never holds any), for messages.
    public var description: String {
        let place = socketDirectory.map { "\(database)?host=\($0)" } ?? "\(host):\(port)/\(database)"
        return "postgres://\(user)@" + (socketDirectory == nil ? place : "/" + place) + (schema.map { " (schema \($0))" } ?? "")
    }
}
