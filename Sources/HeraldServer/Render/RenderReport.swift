import Herald
import HeraldCore

/// What `herald render --json` prints, and `POST /v1/render/{service}` answers, byte for byte.
public enum RenderReport {
    /// `{"service", "payload", "degradations": [{"kind", "path", "message"}]}` for one rendering, an array of them
    /// for several; pretty-printed with sorted keys and a final line feed. The payload is a JSON value (a string
    /// for Markdown).
    public static func json(_ renderings: [(Service, Rendering)]) -> [UInt8] {
        let objects = renderings.map { service, rendering -> JSONValue in
            [
                "service": .string(service.id), "payload": rendering.payload.json,
                "degradations": .array(rendering.degradations.map(\.jsonValue)),
            ]
        }
        let value = objects.count == 1 ? objects[0] : .array(objects)
        return JSONWriter(prettyPrinted: true).bytes(value) + [UInt8(ascii: "\n")]
    }
}
