import Foundation
import HeraldCLI
import HeraldDelivery
import HeraldTestSupport
import Testing

/// Hostile destinations files: each cap is checked before the work it bounds, with one `error:` line and exit 78.
@Suite("destinations file caps")
struct ConfigurationCapsTests {
    /// `herald services check` on a destinations file holding `yaml`; the file's path.
    static func check(_ yaml: String) async throws -> (result: CapturedCommand, file: String) {
        let directory = try temporaryDirectory()
        let file = directory.appendingPathComponent("herald.yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        return (await CapturedCommand.run(["services", "check"], in: directory), file.path)
    }

    /// Levels of anchored lists, each holding `width` aliases of the one before, over a list of `width` scalars.
    static func laughs(levels: Int, width: Int) -> String {
        var yaml = "a0: &a0 [" + Array(repeating: "lol", count: width).joined(separator: ", ") + "]\n"
        for level in 1...levels {
            yaml += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: width).joined(separator: ", ") + "]\n"
        }
        return yaml
    }

    @Test("the 408-byte \"billion laughs\" file is refused for its aliases before it is parsed")
    func billionLaughs() async throws {
        let yaml = Self.laughs(levels: 9, width: 9)
        #expect(yaml.utf8.count < 600)
        let (result, file) = try await Self.check(yaml)
        #expect(result.status == .configurationError)
        #expect(result.output.isEmpty)
        #expect(result.error == "error: \(file): uses more than 32 aliases (*name), the most a destinations file may use\n")
    }

    @Test("an alias of a large value used as a mapping key is refused before it is parsed")
    func aliasAsKey() async throws {
        let (result, file) = try await Self.check(Self.laughs(levels: 20, width: 2) + "b: {? *a20 : 1}\n")
        #expect(result.status == .configurationError)
        #expect(result.error == "error: \(file): uses more than 32 aliases (*name), the most a destinations file may use\n")
    }

    @Test("aliases that expand past 100,000 values are refused while the tree is made")
    func aliasExpansion() async throws {
        let (result, file) = try await Self.check(Self.laughs(levels: 8, width: 4))
        #expect(result.status == .configurationError)
        #expect(result.output.isEmpty)
        #expect(result.error.hasPrefix("error: \(file): a"))
        #expect(result.error.hasSuffix(": the document makes more than 100000 values (aliases repeat what they name)\n"))
    }

    @Test("a file over 1 MiB is refused before it is read")
    func fileSize() async throws {
        let (result, file) = try await Self.check("# " + String(repeating: "x", count: 1 << 20) + "\n")
        #expect(result.status == .configurationError)
        #expect(result.error == "error: \(file): is larger than 1048576 bytes (1 MiB), the most a destinations file may hold\n")
    }

    @Test("a device that never ends is read no further than the cap")
    func endlessDevice() async throws {
        let result = await CapturedCommand.run(["services", "check", "--config", "/dev/zero"], in: try temporaryDirectory())
        #expect(result.status == .configurationError)
        #expect(result.error == "error: /dev/zero: is larger than 1048576 bytes (1 MiB), the most a destinations file may hold\n")
    }

    @Test("more than 1,000 scopes for one service are refused before any is validated")
    func scopeCount() async throws {
        let scopes = (0...1000).map { "      s\($0): {url_env: HOOK_\($0)}" }.joined(separator: "\n")
        let (result, file) = try await Self.check("services:\n  markdown:\n    scopes:\n\(scopes)\n")
        #expect(result.status == .configurationError)
        #expect(result.output.isEmpty)
        #expect(result.error == "error: \(file): services.markdown.scopes: has 1001 scopes; a service may have at most 1000\n")
    }
}
