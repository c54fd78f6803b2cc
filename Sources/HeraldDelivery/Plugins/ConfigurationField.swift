import Herald

/// One setting a plugin's ``ServicePlugin/validateConfig(_:)`` reads, declared so that a form can ask for it: its
/// name as written in the destinations file, where it goes, whether it is required or a secret, a line on how to
/// obtain it and an example value.
public struct ConfigurationField: Hashable, Sendable {
    /// Where a setting goes in the destinations file.
    public enum Level: String, Hashable, Sendable {
        /// Under `services.<id>`, shared by every scope.
        case service
        /// Under `services.<id>.scopes.<name>`, one destination's own.
        case scope
    }

    /// The setting's name in the file; a secret's is written `<name>_env` there (the variable holding it) and
    /// `<name>` only for a run-time destination, whose secrets are given inline.
    public var name: String
    /// Where the setting goes.
    public var level: Level
    /// Whether the configuration is refused without it.
    public var isRequired: Bool
    /// Whether the value is a secret: read from the environment, never shown.
    public var isSecret: Bool
    /// One line on how to obtain the value.
    public var help: String
    /// An example value that ``ServicePlugin/validateConfig(_:)`` accepts.
    public var example: JSONValue
    /// The name of a group of fields that exclude each other, or `nil`: at most one of the group is given (Signal's
    /// `recipients` or `group_id`); the fields' help says when none may be.
    public var alternative: String?

    /// Creates a field.
    public init(
        _ name: String, level: Level, isRequired: Bool = false, isSecret: Bool = false, help: String, example: JSONValue,
        alternative: String? = nil
    ) {
        self.name = name
        self.level = level
        self.isRequired = isRequired
        self.isSecret = isSecret
        self.help = help
        self.example = example
        self.alternative = alternative
    }

    /// A service-wide base URL of the service's API that has a default, so is not required: `url` unless `name` says.
    public static func apiURL(_ name: String = "url", of api: String, default url: String) -> ConfigurationField {
        ConfigurationField(name, level: .service, help: "The \(api)'s base URL; \(url) when not given.", example: .string(url))
    }

    /// The key the field has in the destinations file: `<name>_env` for a secret.
    public var fileKey: String { isSecret ? name + "_env" : name }

    /// `{"name", "file_key", "level", "is_required", "is_secret", "help", "example", "alternative"}`; a secret's
    /// example is omitted.
    public var jsonValue: JSONValue {
        var object: [String: JSONValue] = [
            "name": .string(name), "file_key": .string(fileKey), "level": .string(level.rawValue), "is_required": .bool(isRequired),
            "is_secret": .bool(isSecret), "help": .string(help),
        ]
        if !isSecret { object["example"] = example }
        if let alternative { object["alternative"] = .string(alternative) }
        return .object(object)
    }
}
