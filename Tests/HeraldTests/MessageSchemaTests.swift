import HeraldTestSupport
import Testing

@Suite("The published JSON Schema", .requires(.pythonJSONSchema))
struct MessageSchemaTests {
    @Test("accepts every golden message and example, and refuses what Herald refuses (python jsonschema)")
    func schemaAgreesWithDecoder() throws {
        let result = try ExternalCommand.run("python3", ["scripts/check_message_schema.py"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.hasSuffix(" passed, 0 failed\n"), "\(result.output)")
    }
}
