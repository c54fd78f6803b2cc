import Foundation
import Herald
import HeraldTestSupport
import Testing

/// The test port of signal-cli-rest-api's styled-text parser reproduces every vector in
/// `signal-textstyle-cases.json` in the reference specifications (`HERALD_SPECS`): the 21 upstream tests and the derived edge cases.
@Suite("Signal styled-text parser port", .requires(.specs))
struct StyledTextParserVectorTests {
    struct Vector: Sendable, CustomStringConvertible {
        let name: String
        let input: String
        let message: String
        let textStyle: [String]
        var description: String { name }
    }

    static let specification: JSONValue = {
        guard let url = try? RepositoryPaths.spec("signal-textstyle-cases.json") else { return .null }
        return (try? JSONReader().read(Array((try? Data(contentsOf: url)) ?? Data()))) ?? .null
    }()

    static func vectors(_ cases: JSONValue?) -> [Vector] {
        guard case .array(let entries)? = cases else { return [] }
        return entries.enumerated().compactMap { index, entry in
            guard case .object(let fields) = entry, case .string(let input)? = fields["input"],
                case .string(let message)? = fields["message"], case .array(let styles)? = fields["text_style"]
            else { return nil }
            var name = "edge case \(index): \(input)"
            if case .string(let upstreamName)? = fields["name"] { name = upstreamName }
            let textStyle = styles.compactMap { style -> String? in
                if case .string(let text) = style { return text }
                return nil
            }
            return Vector(name: name, input: input, message: message, textStyle: textStyle)
        }
    }

    static func member(_ key: String, of value: JSONValue) -> JSONValue? {
        if case .object(let object) = value { return object[key] }
        return nil
    }

    static let upstream = vectors(member("cases", of: specification))
    static let derived = vectors(member("derived_edge_cases", of: specification).flatMap { member("cases", of: $0) })
    @Test("the specification holds 21 upstream vectors and the derived edge cases")
    func vectorCounts() {
        #expect(Self.upstream.count == 21)
        #expect(Self.derived.count >= 14)
    }

    @Test("upstream vectors", arguments: upstream)
    func upstreamVector(_ vector: Vector) {
        let parsed = SignalStyledTextParser.parse(vector.input)
        #expect(parsed.message == vector.message)
        #expect(parsed.textStyle == vector.textStyle)
    }

    @Test("derived edge cases", arguments: derived)
    func derivedVector(_ vector: Vector) {
        let parsed = SignalStyledTextParser.parse(vector.input)
        #expect(parsed.message == vector.message)
        #expect(parsed.textStyle == vector.textStyle)
    }
}
