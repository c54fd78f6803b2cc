extension Settings {
    /// The name of the environment variable holding secret `secret`, given as the required setting `<secret>_env`;
    /// the secret written inline under `secret` is refused. `purpose` says what it holds (`the access token`).
    ///
    /// In a destination created at run time (``isRuntime``) it is the other way round: the secret is written inline
    /// under `secret`, `<secret>_env` is refused, and the name returned is ``inlineSecretVariable(at:)`` of the
    /// setting's path, which the destination's environment holds (``DeliveryEnvironment/overlaying(_:)``).
    mutating func secretVariable(_ secret: String, holding purpose: String) throws(ConfigurationError) -> String {
        guard let name = try optionalSecretVariable(secret, holding: purpose) else {
            if isRuntime { throw ConfigurationError(path: path(of: secret), reason: "is required: \(purpose)") }
            throw ConfigurationError(path: path(of: secret + "_env"), reason: "is required: the environment variable holding \(purpose)")
        }
        return name
    }

    /// ``secretVariable(_:holding:)`` for an optional secret: `nil` when neither form is given.
    mutating func optionalSecretVariable(_ secret: String, holding purpose: String) throws(ConfigurationError) -> String? {
        guard isRuntime else {
            try refuseInlineSecret(secret)
            return try environmentVariableName(secret + "_env")
        }
        _ = try environmentVariableName(secret + "_env")
        guard try string(secret) != nil else { return nil }
        return Self.inlineSecretVariable(at: path(of: secret))
    }

    /// The synthetic variable name under which the secret written inline at settings path `path` is found in a
    /// run-time destination's environment. It holds a `:`, which no variable the destinations file names can.
    static func inlineSecretVariable(at path: String) -> String { "inline:" + path }

    /// The base URL under `key` as ``baseURL(_:sending:)`` reads it, or `defaultURL` (a service's public API) when
    /// the setting is absent.
    mutating func baseURL(_ key: String, default defaultURL: String, sending secret: String) throws(ConfigurationError) -> String {
        contains(key) ? try baseURL(key, sending: secret) : defaultURL
    }
}
