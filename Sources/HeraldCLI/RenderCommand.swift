import ArgumentParser
import Foundation
import Herald
import HeraldCore
import HeraldServer

/// `herald render`: show or print what each service receives for a message.
struct RenderCommand: ParsableCommand, HeraldRunnable {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render a herald.message/v1 JSON message, or a BEC notification, for one or every service.",
        discussion: """
            Without --payload or --json: a terminal preview of each service (styles as ANSI escapes on a terminal \
            unless NO_COLOR is set, or with --color always), each loss marked ⚠n where it happens and listed under \
            its section, then the report (as 'note:' lines on standard error). --open writes the same preview as a web \
            page (docs/page.md) and prints the path of its index.html instead.
            """)

    /// When the terminal preview uses ANSI styles.
    enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
        /// When standard output is a terminal and `NO_COLOR` is unset or empty.
        case auto
        /// Always, even into a pipe or with `NO_COLOR` set.
        case always
        /// Never.
        case never
    }

    /// A `--service` value: one service of the catalogue, or `all`.
    enum ServiceChoice: ExpressibleByArgument, Equatable {
        case one(Service)
        case all

        init?(argument: String) {
            if argument == "all" {
                self = .all
            } else if let service = Service(argument: argument) {
                self = .one(service)
            } else {
                return nil
            }
        }

        static var allValueStrings: [String] { Service.allValueStrings + ["all"] }

        var defaultValueDescription: String { services.count == 1 ? services[0].id : "all" }

        var services: [Service] {
            switch self {
            case .one(let service): [service]
            case .all: Service.catalogue
            }
        }
    }

    @Option(name: .long, help: "The service to render for.")
    var service: ServiceChoice = .all

    @Flag(name: .long, help: "Print exactly the request body the service receives, nothing else (needs one --service).")
    var payload = false

    @Flag(name: .long, help: "Print {\"service\", \"payload\", \"degradations\"} as JSON (an array for --service all).")
    var json = false

    @Flag(name: .long, help: "Print the message's document tree (the intermediate representation) and stop.")
    var ast = false

    @Flag(name: .long, help: "Fail (exit status 1, nothing on standard output) if any service cannot show everything.")
    var strict = false

    @Flag(
        name: .customLong("validate"),
        help: """
            Check the HTML SciLog receives with libxml2 (well-formed XML, clean HTML, SciLog's allow-list); on any \
            finding, list them as 'note:' lines and fail (exit status 70, nothing on standard output).
            """)
    var validatesOutput = false

    @Option(name: .long, help: "ANSI styles in the preview: auto (on a terminal, unless NO_COLOR is set), always or never.")
    var color: ColorChoice = .auto

    @Flag(
        name: .long,
        help: """
            Write the preview as a web page (index.html, page.js, page.css; the renderings embedded as JSON) into a new \
            directory under $TMPDIR and print the path of its index.html.
            """)
    var open = false

    @Argument(help: "The message file, or - for standard input.")
    var file: String = "-"

    func validate() throws {
        if [payload, json, ast, open].filter({ $0 }).count > 1 {
            throw ValidationError("--payload, --json, --ast and --open exclude each other")
        }
        if payload, service == .all {
            throw ValidationError("--payload needs one --service (\(Service.catalogueIDs))")
        }
        if validatesOutput, ast {
            throw ValidationError("--validate checks rendered HTML; --ast renders nothing")
        }
        if validatesOutput, !service.services.contains(where: OutputValidation.checks) {
            let checked = Service.catalogue.filter(OutputValidation.checks)
            throw ValidationError(
                "--validate checks \(checked.map { "\($0.displayName)'s" }.joined(separator: " and ")) HTML; use it with --service "
                    + (checked.map(\.id) + ["all"]).joined(separator: " or "))
        }
    }

    func run(in environment: CommandEnvironment) throws(CommandFailure) -> HeraldExitStatus {
        let input = try MessageInput.read(file, in: environment)
        environment.writeError(input.notes.map { "note: \(MessageInput.displayName(file)): \($0)\n" }.joined())
        let lowered = Document.lowering(input.message)
        if ast {
            environment.writeOutput(Array(lowered.document.treeDump.utf8))
            return .success
        }
        var renderings: [(Service, Rendering)] = []
        for service in service.services {
            do throws(RenderError) {
                renderings.append((service, try service.renderer.render(lowered)))
            } catch {
                throw CommandFailure(message: "\(MessageInput.displayName(file)): \(service.displayName): \(error.reason)", status: .renderFailure)
            }
        }
        if validatesOutput, let invalid = OutputValidation.check(renderings, file: MessageInput.displayName(file)) {
            environment.writeError(invalid.notes)
            throw invalid.failure
        }
        let degradations = renderings.flatMap(\.1.degradations)
        if strict, !degradations.isEmpty {
            environment.writeError(degradations.map { "note: \($0)\n" }.joined())
            let count = degradations.count
            throw CommandFailure(
                message: "\(count) degradation\(count == 1 ? "" : "s") with --strict; nothing was rendered", status: .degraded)
        }
        if json {
            environment.writeOutput(RenderReport.json(renderings))
            return .success
        }
        if open {
            environment.writeOutput(Array((try PagePreview.write(RenderReport.json(renderings), in: environment) + "\n").utf8))
        } else if payload {
            environment.writeOutput(renderings[0].1.payload.body)
        } else {
            // Every service rendered, so nothing is half-written; each section is written as it is made, rather
            // than all of them joined into one more copy of every service's text.
            let preview = TerminalPreview(styled: isStyled(in: environment))
            for (index, (service, rendering)) in renderings.enumerated() {
                environment.writeOutput(Array(((index > 0 ? "\n" : "") + preview.section(for: service, rendering)).utf8))
            }
        }
        environment.writeError(degradations.map { "note: \($0)\n" }.joined())
        return .success
    }

    /// Whether the preview uses ANSI styles: `--color`, and for `auto` a terminal without a non-empty `NO_COLOR`.
    private func isStyled(in environment: CommandEnvironment) -> Bool {
        switch color {
        case .auto: environment.outputIsStyledTerminal && (environment.variables["NO_COLOR"] ?? "").isEmpty
        case .always: true
        case .never: false
        }
    }
}

extension Service: ExpressibleByArgument {
    /// The catalogue's service with the id `argument`.
    public init?(argument: String) { self.init(id: argument) }

    /// The catalogue's ids.
    public static var allValueStrings: [String] { catalogue.map(\.id) }
}

/// Reading a message file for a command.
enum MessageInput {
    /// The file's name in messages; `<stdin>` for `-`.
    static func displayName(_ file: String) -> String { file == "-" ? "<stdin>" : file }

    /// Reads and decodes the message in `file` (`-` for standard input) of at most
    /// ``MessageDecodingOptions/defaultMaximumMessageBytes``. Attachment files must lie in the file's directory
    /// (standard input's: the current directory) or in one of `attachmentRoots`. A BEC notification (an object
    /// with a `message` array and no `parts`) is read by ``BECMessageImporter``, whose notes come back with the
    /// message.
    static func read(
        _ file: String, in environment: CommandEnvironment, attachmentRoots: [String] = []
    ) throws(CommandFailure) -> (message: NotificationMessage, notes: [ImportNote]) {
        var options = MessageDecodingOptions(attachmentRoots: attachmentRoots)
        let limit = options.maximumMessageBytes
        let name = displayName(file)
        let bytes: [UInt8]
        if file == "-" {
            // One byte more than the cap tells a message over it from one at it, and bounds what is read.
            bytes = environment.readStandardInput(limit + 1)
            guard bytes.count <= limit else {
                throw CommandFailure(message: "\(name): the message is larger than the limit of \(limit) bytes", status: .invalidInput)
            }
            options.baseDirectory = environment.currentDirectory
        } else {
            let url = URL(fileURLWithPath: file, relativeTo: URL(fileURLWithPath: environment.currentDirectory, isDirectory: true))
            bytes = try readFile(url.path, named: name, limit: limit)
            options.baseDirectory = url.deletingLastPathComponent().path
        }
        do throws(MessageInputError) {
            return try decode(bytes, options: options)
        } catch {
            switch error {
            case .malformedJSON(let syntax):
                throw CommandFailure(message: "\(name):\(syntax.line):\(syntax.column): malformed JSON: \(syntax.reason)", status: .invalidInput)
            case .invalidMessage, .tooLarge:
                throw CommandFailure(message: "\(name): \(error)", status: .invalidInput)
            }
        }
    }

    /// The bytes of the message file at `path`, opened once: its size is checked before it is read, and the read
    /// stops one byte over `limit` (for a file that grows, a FIFO or a device). Failures exit 66.
    private static func readFile(_ path: String, named name: String, limit: Int) throws(CommandFailure) -> [UInt8] {
        func failure(_ reason: String) -> CommandFailure { CommandFailure(message: "\(name): \(reason)", status: .unreadableInput) }
        let size: Int
        let bytes: [UInt8]
        do throws(OpenedFile.Failure) {
            let file = try OpenedFile(path: path)
            size = file.size
            bytes = size > limit ? [] : try file.read(atMost: limit + 1)
        } catch {
            switch error {
            case .noSuchFile: throw failure("no such file")
            case .isDirectory: throw failure("is a directory, not a message file")
            case .unreadable(let reason): throw failure("cannot be read: \(reason)")
            }
        }
        guard size <= limit, bytes.count <= limit else { throw failure("the message file is larger than the limit of \(limit) bytes") }
        return bytes
    }

    /// A `herald.message/v1` message, or a BEC notification with the importer's notes.
    private static func decode(_ bytes: [UInt8], options: MessageDecodingOptions) throws(MessageInputError) -> (message: NotificationMessage, notes: [ImportNote]) {
        let value: JSONValue
        do throws(JSONSyntaxError) { value = try JSONReader().read(bytes) } catch { throw .malformedJSON(error) }
        do throws(MessageError) {
            let imported = try MessageDocument.read(value, options: options)
            return (imported.message, imported.notes)
        } catch {
            throw .invalidMessage(error)
        }
    }
}
