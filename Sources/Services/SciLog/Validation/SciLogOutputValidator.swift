import Herald
import HeraldValidation

/// `herald render --validate` for SciLog: libxml2's checks (``HTMLValidator``) of the snippet's `textcontent`.
struct SciLogOutputValidator: OutputValidator {
    /// SciLog.
    var service: Service { .scilog }

    /// Each finding as `scilog textcontent LINE:COLUMN: MESSAGE`.
    func problems(in rendering: Rendering) -> [String] {
        guard case .object(let snippet) = rendering.payload.json, case .string(let html)? = snippet["textcontent"] else {
            return ["scilog payload has no textcontent string"]
        }
        return HTMLValidator().validate(html).map { "scilog textcontent \($0)" }
    }
}
