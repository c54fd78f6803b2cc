extension Settings {
    /// The name of the environment variable holding secret `secret`, given as the required setting `<secret>_env`;
    /// the secret written inline under `secret` is refused. `purpose` says what it holds (`the access token`).
    mutating func secretVariable(_ secret: String, holding purpose: String) throws(ConfigurationError) -> String {
        try refuseInlineSecret(secret)
        guard let name = try environmentVariableName(secret + "_env") else {
            throw ConfigurationError(path: path(of: secret + "_env"), reason: "is required: the environment variable holding \(purpose)")
        }
        return name
    }

    /// The base URL under `key` as ``baseURL(_:sending:)`` reads it, or `defaultURL` (a service's public API) when
    /// the setting is absent.
    mutating func baseURL(_ key: String, default defaultURL: String, sending secret: String) throws(ConfigurationError) -> String {
        contains(key) ? try baseURL(key, sending: secret) : defaultURL
    }
}
