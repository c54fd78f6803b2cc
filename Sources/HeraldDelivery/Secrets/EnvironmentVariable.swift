/// The process environment as Herald reads it: a snapshot of variable names and values, passed in so that
/// nothing reads global state behind the caller's back.
public struct DeliveryEnvironment: Sendable {
    private let values: [String: String]

    /// An environment with these variables.
    public init(_ values: [String: String]) { self.values = values }

    /// The value of `name`, or `nil` when it is unset or empty.
    func value(of name: String) -> String? {
        guard let value = values[name], !value.isEmpty else { return nil }
        return value
    }

    /// The secret in variable `name`, or `nil` when it is unset or empty.
    func secret(_ name: String) -> Secret? { value(of: name).map(Secret.init) }

    /// This environment with `overlay`'s variables added, replacing any of the same name: a run-time destination's
    /// inline secrets under their synthetic names.
    func overlaying(_ overlay: [String: String]) -> DeliveryEnvironment {
        DeliveryEnvironment(values.merging(overlay) { _, new in new })
    }
}

/// An environment variable a configured plugin reads.
public struct EnvironmentVariableDeclaration: Hashable, Sendable {
    /// The variable's name (`SCILOG_TOKEN`).
    public var name: String
    /// What it holds, e.g. `SciLog API token`.
    public var purpose: String
    /// Whether delivery cannot work without it.
    public var isRequired: Bool
    /// Whether its value is a secret, never printed, logged or returned.
    public var isSecret: Bool
    /// Whether its value is the URL requests go to (a webhook URL).
    public var isURL: Bool

    /// Declares a variable.
    public init(name: String, purpose: String, isRequired: Bool, isSecret: Bool, isURL: Bool = false) {
        self.name = name
        self.purpose = purpose
        self.isRequired = isRequired
        self.isSecret = isSecret
        self.isURL = isURL
    }
}

/// A declared environment variable and whether it is set: the plugin contract's `required`, `isSet`, and the
/// value only when it is not a secret.
public struct EnvironmentVariableStatus: Hashable, Sendable {
    /// The declaration.
    public var declaration: EnvironmentVariableDeclaration
    /// Whether the variable is set to a non-empty value.
    public var isSet: Bool
    /// The value, only for a set variable that is not secret; `nil` for every secret.
    public var value: String?
    /// Why a set URL variable will be refused when a request is sent (not an http or https URL; plain http to a
    /// host that is not loopback for a secret URL), without quoting it; `nil` when it is fine or not a URL.
    public var refusal: String?

    /// The variable's status in `environment`.
    public init(_ declaration: EnvironmentVariableDeclaration, in environment: DeliveryEnvironment) {
        self.declaration = declaration
        let value = environment.value(of: declaration.name)
        self.isSet = value != nil
        self.value = declaration.isSecret ? nil : value
        if declaration.isURL, let value {
            if let url = RequestURL(value) {
                if declaration.isSecret, !url.maySendSecrets {
                    refusal = "plain http to a host that is not a loopback address: a secret URL must use https"
                }
            } else {
                refusal = "not an http or https URL"
            }
        }
    }

    /// The variable's name.
    public var name: String { declaration.name }
    /// Whether delivery cannot work without it.
    public var isRequired: Bool { declaration.isRequired }
    /// Whether its value is a secret.
    public var isSecret: Bool { declaration.isSecret }
    /// Whether a required variable is missing.
    public var isMissing: Bool { isRequired && !isSet }
}
