import Herald

/// The checks `herald render --validate` runs on what one service receives; each lives in its service's folder
/// (`Sources/Services/<Name>/Validation`), where it may use libxml2, which the `Herald` umbrella does not.
protocol OutputValidator: Sendable {
    /// The service whose payload this checks.
    var service: Service { get }
    /// The problems in `rendering`, each as one line naming where (`scilog textcontent 3:7: …`); empty when clean.
    func problems(in rendering: Rendering) -> [String]
}

/// `herald render --validate`: the registered ``OutputValidator``s, one line per service that has one.
enum OutputValidation {
    /// The services' output checks.
    static let validators: [any OutputValidator] = [
        SciLogOutputValidator(),
        EmailOutputValidator(),
    ]

    /// Whether `service` has checks that `--validate` runs.
    static func checks(_ service: Service) -> Bool { validators.contains { $0.service == service } }

    /// The problems in what `service` receives in `rendering`; empty when it is clean or the service has no checks.
    static func problems(in rendering: Rendering, for service: Service) -> [String] {
        validators.filter { $0.service == service }.flatMap { $0.problems(in: rendering) }
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
