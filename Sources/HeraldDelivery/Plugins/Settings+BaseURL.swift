import HeraldCore

extension Settings {
    /// The base URL under `key`, without a trailing `/`: `http` or `https` with a host, and no user-info (a password
    /// is a secret, never written in the file), query or fragment. When a secret is sent with every request
    /// (`secret` names it, such as `the API token`), it must be https, or plain http only to a loopback address
    /// (127.0.0.0/8, `::1`, `localhost`), where nothing leaves the machine. A refused URL is quoted as
    /// `scheme://host:port/path` at most.
    mutating func baseURL(_ key: String, sending secret: String? = nil) throws(ConfigurationError) -> String {
        let text = try requiredString(key)
        let shown = RequestURL.shown(text).map { quoted($0) + " " } ?? ""
        guard let url = RequestURL(text) else {
            throw ConfigurationError(path: path(of: key), reason: "\(shown)is not an http or https base URL")
        }
        guard !url.hasUserInfo else {
            throw ConfigurationError(
                path: path(of: key),
                reason: "\(shown)must not contain a user name or password: secrets are never written in the destinations file")
        }
        guard !url.hasQueryOrFragment else {
            throw ConfigurationError(path: path(of: key), reason: "\(shown)must be a base URL, without a query or fragment")
        }
        if let secret, !url.maySendSecrets {
            throw ConfigurationError(
                path: path(of: key),
                reason: "\(shown)must use https: \(secret) is sent with every request (plain http only to a loopback address: 127.0.0.0/8, ::1, localhost)")
        }
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }
}
