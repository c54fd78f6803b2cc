import Herald
import HeraldValidation

/// `herald render --validate`: libxml2's checks (``HTMLValidator``) of the HTML a service receives.
enum OutputValidation {
    /// Whether `service` receives HTML that `--validate` checks.
    static func checks(_ service: Service) -> Bool {
        switch service {
        case .markdown, .signal, .teams: false
        case .scilog: true
        }
    }

    /// The problems in the HTML that `service` receives in `rendering`, each as `scilog textcontent LINE:COLUMN:
    /// MESSAGE`; empty when it is clean or the service receives no HTML.
    static func problems(in rendering: Rendering, for service: Service) -> [String] {
        switch service {
        case .markdown, .signal, .teams:
            return []
        case .scilog:
            guard case .object(let snippet) = rendering.payload.json, case .string(let html)? = snippet["textcontent"] else {
                return ["scilog payload has no textcontent string"]
            }
            return HTMLValidator().validate(html).map { "scilog textcontent \($0)" }
        }
    }

    /// Checks every rendering; on problems, their `note:` lines and the failure to end the command with.
    static func check(_ renderings: [(Service, Rendering)], file: String) -> (notes: String, failure: CommandFailure)? {
        let problems = renderings.flatMap { service, rendering in self.problems(in: rendering, for: service) }
        return problems.isEmpty ? nil : report(problems, file: file)
    }

    /// One `note: FILE: PROBLEM` line per problem, and a failure (``ExitStatus/invalidOutput``) counting them.
    static func report(_ problems: [String], file: String) -> (notes: String, failure: CommandFailure) {
        let notes = problems.map { "note: \(file): \($0)\n" }.joined()
        let count = problems.count
        let message = "\(file): \(count) validation finding\(count == 1 ? "" : "s") in the rendered HTML; nothing was written"
        return (notes, CommandFailure(message: message, status: .invalidOutput))
    }
}
