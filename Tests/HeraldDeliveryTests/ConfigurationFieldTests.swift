import Herald
@testable import HeraldDelivery
import Testing

/// Each plugin's declared configuration fields against its `validateConfig`: a configuration made of the examples is
/// accepted, in the file (secrets as `<name>_env`) and for a destination created at run time (a scope's secrets
/// inline), and leaving out each required field is refused with an error naming it.
@Suite("declared configuration fields")
struct ConfigurationFieldTests {
    /// The settings under `services.<id>` made of the declared examples: every field but the second and later of a
    /// group that excludes each other; a secret under `<name>_env` naming a variable, or inline at run time.
    static func settings(_ fields: [ConfigurationField], without left: ConfigurationField? = nil, runtime: Bool) -> JSONValue {
        var service: [String: JSONValue] = [:]
        var scope: [String: JSONValue] = [:]
        var groups: Set<String> = []
        for field in fields where field != left {
            if let group = field.alternative, !groups.insert(group).inserted { continue }
            let inline = runtime && field.level == .scope
            let key = field.isSecret && !inline ? field.fileKey : field.name
            let value: JSONValue = field.isSecret && !inline ? .string("HERALD_TEST_" + field.name.uppercased()) : field.example
            if field.level == .service { service[key] = value } else { scope[key] = value }
        }
        service["scopes"] = ["ops": .object(scope)]
        return .object(service)
    }

    static func validate(_ plugin: any ServicePlugin, _ settings: JSONValue, runtime: Bool) throws(ConfigurationError) {
        var settings = try Settings(settings, path: "services.\(plugin.id.id)")
        if runtime { settings.runtimePath = "services.\(plugin.id.id).scopes.ops" }
        _ = try plugin.validateConfig(settings)
    }

    @Test("every plugin declares fields, named once each, a scope field among them", arguments: Service.plugins.map(\.id))
    func declared(service: Service) throws {
        let fields = try #require(service.plugin).configurationFields
        #expect(Set(fields.map(\.fileKey)).count == fields.count)
        #expect(fields.contains { $0.level == .scope })
        #expect(fields.allSatisfy { !$0.help.isEmpty })
    }

    @Test("the examples make a configuration the plugin accepts, in the file and at run time", arguments: Service.plugins.map(\.id))
    func examplesAreAccepted(service: Service) throws {
        let plugin = try #require(service.plugin)
        for runtime in [false, true] {
            #expect(throws: Never.self, "runtime \(runtime)") { try Self.validate(plugin, Self.settings(plugin.configurationFields, runtime: runtime), runtime: runtime) }
        }
    }

    @Test("leaving out a required field is refused, naming it", arguments: Service.plugins.map(\.id))
    func requiredFieldsAreRequired(service: Service) throws {
        let plugin = try #require(service.plugin)
        for runtime in [false, true] {
            for field in plugin.configurationFields where field.isRequired {
                let inline = runtime && field.level == .scope
                let scopePath = field.level == .scope ? ".scopes.ops" : ""
                let expected = "services.\(service.id)\(scopePath).\(field.isSecret && !inline ? field.fileKey : field.name)"
                do throws(ConfigurationError) {
                    try Self.validate(plugin, Self.settings(plugin.configurationFields, without: field, runtime: runtime), runtime: runtime)
                    Issue.record("\(service.id): accepted without \(field.name) (runtime \(runtime))")
                } catch {
                    #expect(error.path == expected, "\(error)")
                }
            }
        }
    }
}
