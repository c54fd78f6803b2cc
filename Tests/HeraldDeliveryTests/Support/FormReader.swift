import Foundation
import HeraldCore
import HeraldTestSupport

/// A form as Python's parsers read it (`scripts/read_form.py`: `urllib.parse` for URL-encoded bodies, the `email`
/// package for multipart ones): fields in order and files.
struct ReadForm: Hashable {
    /// A file of a multipart form.
    struct File: Hashable {
        var field: String
        var filename: String
        var contentType: String
        var data: Data
    }

    var fields: [[String]]
    var files: [File]

    /// The value of the one field `name`, or `nil` when there is none or several.
    func value(_ name: String) -> String? {
        let values = fields.filter { $0.first == name }
        return values.count == 1 ? values[0][1] : nil
    }

    /// The fields by name (the last value of a repeated one).
    var dictionary: [String: String] { Dictionary(fields.map { ($0[0], $0[1]) }, uniquingKeysWith: { $1 }) }

    /// Reads the form bodies of `requests` in one run of the script; a body that does not parse is an error naming it.
    static func read(_ requests: [ReceivedRequest]) throws -> [ReadForm] {
        let input: [JSONValue] = requests.map { request in
            ["content_type": .string(request.header("Content-Type") ?? ""), "body": .string(Data(request.body).base64EncodedString())]
        }
        let result = try ExternalCommand.run("python3", ["scripts/read_form.py"], input: Data(JSONWriter().bytes(.array(input))))
        guard result.status == 0, case .array(let forms) = try JSONReader().read(Array(result.output.utf8)) else {
            throw FormError(description: "read_form.py: \(result.output.prefix(500))")
        }
        return try forms.map { form in
            guard case .object(let object) = form else { throw FormError(description: "not an object") }
            if case .string(let error)? = object["error"] { throw FormError(description: error) }
            guard case .array(let fields)? = object["fields"], case .array(let files)? = object["files"] else {
                throw FormError(description: "no fields")
            }
            return ReadForm(
                fields: fields.map { field in
                    guard case .array(let pair) = field else { return [] }
                    return pair.map { if case .string(let text) = $0 { text } else { "" } }
                },
                files: files.map { file in
                    func string(_ key: String) -> String { if case .object(let o) = file, case .string(let s)? = o[key] { s } else { "" } }
                    return File(field: string("field"), filename: string("filename"), contentType: string("content_type"), data: Data(base64Encoded: string("data")) ?? Data())
                })
        }
    }

    struct FormError: Error, CustomStringConvertible {
        var description: String
    }
}
