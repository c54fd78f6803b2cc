import Foundation
import Testing

/// What some suites need beyond Swift and the machine image, and whether this run has it.
///
/// A suite that needs one is disabled with a one-line reason when it is missing, so `swift test` passes on a fresh
/// clone with nothing beside it. CI sets `HERALD_REQUIRE_PREREQUISITES=1` (in `.ci/run`): then every such suite
/// runs, and a missing prerequisite fails it with a clear message instead of skipping it.
public enum Prerequisite: Sendable, CaseIterable {
    /// The reference specifications in the folder `HERALD_SPECS` names (official schemas, parser vectors).
    case specs
    /// Debian's `cmark-gfm`, which reads Markdown back.
    case cmarkGFM
    /// `python3` with the `jsonschema` package, which checks JSON Schemas.
    case pythonJSONSchema
    /// `python3` with Telethon, whose HTML parser implements Telegram's entity rules.
    case telethon
    /// `python3` with slack-sdk, whose Block Kit models check Slack payloads.
    case slackSDK
    /// `python3` with discord.py, whose `Embed.from_dict` reads Discord embeds.
    case discordPy
    /// `python3` with aiosmtpd, a real SMTP server for the e-mail tests.
    case aiosmtpd
    /// `python3` with standardwebhooks, which verifies webhook signatures.
    case standardWebhooks
    /// A PostgreSQL server for the outbox's PostgreSQL runs, at the URL in `HERALD_TEST_POSTGRES_URL`.
    case postgres

    /// Whether this run has it (cached per process; probing runs a program).
    public var isAvailable: Bool { Self.availability[self] ?? false }

    /// Why the suites that need it are disabled, and how to enable them.
    public var missingReason: String {
        switch self {
        case .specs:
            "HERALD_SPECS is not set to the reference specifications (scripts/fetch-specs.sh fetches them): disabled"
        case .cmarkGFM: "cmark-gfm is not installed (apt-get install cmark-gfm): disabled"
        case .postgres:
            "HERALD_TEST_POSTGRES_URL is not set (scripts/postgres-test-server.sh start prints one): PostgreSQL runs disabled"
        case .pythonJSONSchema, .telethon, .slackSDK, .discordPy, .aiosmtpd, .standardWebhooks:
            "python3 with \(pythonPackage.name) is missing (python3 -m pip install \(pythonPackage.name)): disabled"
        }
    }

    /// Whether a missing prerequisite fails the suites instead of disabling them (`HERALD_REQUIRE_PREREQUISITES=1`).
    public static var isRequired: Bool { ProcessInfo.processInfo.environment["HERALD_REQUIRE_PREREQUISITES"] == "1" }

    private static let availability: [Prerequisite: Bool] = Dictionary(
        uniqueKeysWithValues: allCases.map { ($0, $0.probe()) })

    private func probe() -> Bool {
        switch self {
        case .specs: RepositoryPaths.specs != nil
        case .cmarkGFM: (try? ExternalCommand.run("cmark-gfm", ["--version"]))?.status == 0
        case .postgres: !(ProcessInfo.processInfo.environment["HERALD_TEST_POSTGRES_URL"] ?? "").isEmpty
        case .pythonJSONSchema, .telethon, .slackSDK, .discordPy, .aiosmtpd, .standardWebhooks:
            (try? ExternalCommand.run("python3", ["-c", "import \(pythonPackage.module)"]))?.status == 0
        }
    }

    /// The PyPI package and the module it provides, for the Python prerequisites.
    private var pythonPackage: (name: String, module: String) {
        switch self {
        case .specs, .cmarkGFM, .postgres, .pythonJSONSchema: ("jsonschema", "jsonschema")
        case .telethon: ("telethon", "telethon")
        case .slackSDK: ("slack-sdk", "slack_sdk")
        case .discordPy: ("discord.py", "discord")
        case .aiosmtpd: ("aiosmtpd", "aiosmtpd")
        case .standardWebhooks: ("standardwebhooks", "standardwebhooks")
        }
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test or suite only when `prerequisites` are available (always when they are required, so that a
    /// missing one fails), with the first missing one's reason as the comment.
    public static func requires(_ prerequisites: Prerequisite...) -> Self {
        let missing = prerequisites.first { !$0.isAvailable }
        return .enabled(
            if: Prerequisite.isRequired || missing == nil, Comment(rawValue: missing?.missingReason ?? "prerequisites present"))
    }
}
