import Foundation
import HeraldCore

/// An `http` or `https` URL as Herald checks it before sending: its origin, whether its host is a loopback address,
/// and the part of it a message may show.
struct RequestURL: Hashable, Sendable {
    /// The URL as given (or resolved); it may be a secret.
    let absoluteString: String
    /// `http` or `https`.
    let scheme: String
    /// The host, lowercased, an IPv6 address without its brackets.
    let host: String
    /// The port, or the scheme's default.
    let port: Int
    /// Whether the URL names a user (and perhaps a password).
    let hasUserInfo: Bool
    /// Whether the URL has a query or a fragment.
    let hasQueryOrFragment: Bool

    /// Parses an absolute `http` or `https` URL with a host; `nil` for anything else.
    init?(_ text: String) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            let defaultPort = ["http": 80, "https": 443][scheme], var host = components.host, !host.isEmpty
        else { return nil }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.absoluteString = text
        self.scheme = scheme
        self.host = host.lowercased()
        self.port = components.port ?? defaultPort
        self.hasUserInfo = components.user != nil || components.password != nil
        self.hasQueryOrFragment = components.query != nil || components.fragment != nil
    }

    /// `reference` (a `Location` header) resolved against `base`.
    init?(_ reference: String, relativeTo base: String) {
        guard let resolved = URL(string: reference, relativeTo: URL(string: base))?.absoluteString else { return nil }
        self.init(resolved)
    }

    /// Whether the host is a loopback address: `localhost`, 127.0.0.0/8 or `::1`, where nothing leaves the machine.
    var isLoopback: Bool { Loopback.contains(host: host) }

    /// Whether a secret may be sent to this URL: over https, or to a loopback host.
    var maySendSecrets: Bool { scheme == "https" || isLoopback }

    /// `scheme://host:port`, what decides whether headers follow a redirect.
    var origin: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(displayable(shownHost, limit: 100)):\(port)"
    }

    /// What a message may quote of `text`, a URL from the destinations file: `scheme://host:port/path` when it has
    /// a scheme and a host, whatever the scheme; otherwise `nil`, since it may be a pasted secret.
    static func shown(_ text: String) -> String? {
        guard let components = URLComponents(string: text), let scheme = components.scheme, let host = components.host, !host.isEmpty else {
            return nil
        }
        let port = components.port.map { ":\($0)" } ?? ""
        return displayable("\(scheme)://\(host)\(port)\(components.percentEncodedPath)", limit: 200)
    }
}
