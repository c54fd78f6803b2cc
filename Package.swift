// swift-tools-version: 6.1
import PackageDescription

/// The services, each one folder `Sources/Services/<Name>/`: `Rendering/` is the `Herald<Name>` library,
/// `Delivery/` its delivery plugin (compiled into HeraldDelivery), and an optional `Validation/` its output checks
/// for `herald render --validate` (compiled into the command line, which may use libxml2). Adding a service is adding
/// its folder, its name here and its line in `Service.catalogue` (docs/adding-a-service.md).
let services = ["Markdown", "Signal", "SciLog", "Teams", "Telegram", "Slack", "Discord", "Pushover", "Pushbullet", "SMS", "Email", "Webhook"]
/// The services with a `Validation/` folder.
let validatedServices = ["SciLog", "Email"]
/// What a service's rendering target needs beyond HeraldCore.
let renderingDependencies: [String: [Target.Dependency]] = [
    "SciLog": [.product(name: "Crypto", package: "swift-crypto")],  // SHA-256 names attachments
    "Webhook": [.product(name: "Crypto", package: "swift-crypto")],  // HMAC-SHA256 signatures, SHA-256 of attachments
]

/// The folders of `Sources/` that are not a service's.
let commonFolders = ["CLibXML2", "Herald", "HeraldBEC", "HeraldCLI", "HeraldCore", "HeraldDelivery", "HeraldServer", "HeraldTesting", "HeraldValidation", "herald"]

/// Sources for a target rooted at `Sources/` whose files lie in several folders there: `folders`, and every other
/// folder excluded so that SwiftPM does not report it as unhandled files.
func sources(_ folders: [String]) -> (sources: [String], exclude: [String]) {
    let serviceFolders = services.flatMap { ["Services/\($0)/Rendering", "Services/\($0)/Delivery"] }
        + validatedServices.map { "Services/\($0)/Validation" }
    return (folders, (commonFolders + serviceFolders).filter { !folders.contains($0) })
}
let deliverySources = sources(["HeraldDelivery"] + services.map { "Services/\($0)/Delivery" })
let commandLineSources = sources(["HeraldCLI"] + validatedServices.map { "Services/\($0)/Validation" })

let package = Package(
    name: "Herald",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "Herald", targets: ["Herald"]),
        .library(name: "HeraldCore", targets: ["HeraldCore"]),
    ] + services.map { .library(name: "Herald\($0)", targets: ["Herald\($0)"]) } + [
        .library(name: "HeraldValidation", targets: ["HeraldValidation"]),
        .library(name: "HeraldBEC", targets: ["HeraldBEC"]),
        .library(name: "HeraldDelivery", targets: ["HeraldDelivery"]),
        .library(name: "HeraldServer", targets: ["HeraldServer"]),
        .library(name: "HeraldTesting", targets: ["HeraldTesting"]),
        .executable(name: "herald", targets: ["herald"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // HeraldTesting (snapshot strategies for senders' tests) and the golden corpus's tests.
        .package(url: "https://github.com/pointfreeco/swift-snapshot-testing", from: "1.19.7"),
        // HeraldSciLog: SHA-256 names attachments. The range admits the 4.x that async-http-client's certificates
        // already resolve, so rendering and delivery share one swift-crypto. On Linux it compiles BoringSSL: about
        // 3 minutes of a cold build on 2 cores for a sender who builds only the renderers.
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        // Delivery only (HeraldDelivery and its tests): HTTP, the SQLite outbox, the destinations file, logging.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // The PostgreSQL outbox (`outbox: postgres://…`), shared by many workers.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // Delivery's attempt timer (swift-metrics) and `herald serve` only (HeraldServer): the HTTP API on Hummingbird
        // (without its default traits, which add swift-configuration), the service group with graceful shutdown,
        // Prometheus metrics. Hummingbird's manifest needs Swift 6.2.
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // Rendering core: message model, JSON, AST, capabilities, degradations. Foundation only.
        .target(name: "HeraldCore"),
    ] + services.map { name in
        // One rendering target per service, in its folder.
        .target(
            name: "Herald\(name)", dependencies: ["HeraldCore"] + (renderingDependencies[name] ?? []),
            path: "Sources/Services/\(name)/Rendering")
    } + [
        // libxml2 (Debian: libxml2-dev) and the HTML checks built on it.
        .systemLibrary(
            name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .target(name: "HeraldValidation", dependencies: ["CLibXML2"]),
        // Importing what BEC publishes (its formatter's tiny HTML subset is read by hand, so the umbrella and
        // HeraldTesting build without libxml2).
        .target(name: "HeraldBEC", dependencies: ["HeraldCore", "HeraldSciLog"]),
        // Umbrella: the `Service` catalogue and re-exports.
        .target(name: "Herald", dependencies: ["HeraldCore", "HeraldBEC"] + services.map { .target(name: "Herald\($0)") }),
        // Snapshot strategies for senders' own tests: rendering (the umbrella) and SnapshotTesting, no delivery.
        .target(
            name: "HeraldTesting",
            dependencies: ["Herald", .product(name: "SnapshotTesting", package: "swift-snapshot-testing")]
        ),
        // Routing and delivery: routes, destinations, service plugins (each in its service's folder), the durable
        // outbox, HTTP with retries.
        .target(
            name: "HeraldDelivery",
            dependencies: [
                "Herald",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                // Only to name connection failures (NIOConnectionError, NIOSSLError).
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                // SHA-256 digests of the server's bearer tokens, compared in constant time.
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Sources",
            exclude: deliverySources.exclude,
            sources: deliverySources.sources
        ),
        // `herald serve`: the HTTP API (its OpenAPI document, openapi.yaml, and the preview page are compiled in and served) and the
        // delivery worker in one process.
        .target(
            name: "HeraldServer",
            dependencies: [
                "Herald", "HeraldDelivery",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.embedInCode("openapi.yaml"), .embedInCode("Page/index.html"), .embedInCode("Page/page.js"), .embedInCode("Page/page.css")]
        ),
        // Command line, with each service's output checks (in its folder) for `--validate`.
        .target(
            name: "HeraldCLI",
            dependencies: [
                "Herald", "HeraldDelivery", "HeraldServer", "HeraldValidation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources",
            exclude: commandLineSources.exclude,
            sources: commandLineSources.sources
        ),
        .executableTarget(name: "herald", dependencies: ["HeraldCLI"]),

        // Test-only helpers: golden corpus access, cmark-gfm reader, Signal styled-text parser port, SciLog HTML reader.
        // Also the test HTTP server (receivers) and the helpers that run the built `herald`, for the delivery and
        // server tests.
        .target(
            name: "HeraldTestSupport",
            dependencies: [
                "Herald", "HeraldCLI", "HeraldValidation",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Tests/HeraldTestSupport"),
        .testTarget(name: "HeraldCoreTests", dependencies: ["HeraldCore", "HeraldTestSupport"]),
        .testTarget(name: "HeraldMarkdownTests", dependencies: ["HeraldMarkdown", "HeraldTestSupport"]),
        .testTarget(name: "HeraldSignalTests", dependencies: ["HeraldSignal", "HeraldTestSupport"]),
        .testTarget(name: "HeraldSciLogTests", dependencies: ["HeraldSciLog", "HeraldValidation", "HeraldTestSupport"]),
        // Runs scripts/validate_teams.py: needs python3 with the jsonschema package.
        .testTarget(name: "HeraldTeamsTests", dependencies: ["HeraldTeams", "HeraldTestSupport"]),
        // Runs scripts/check_webhook.py: python3 with jsonschema and standardwebhooks.
        .testTarget(name: "HeraldWebhookTests", dependencies: ["HeraldWebhook", "HeraldValidation", "HeraldTestSupport"]),
        .testTarget(name: "HeraldPushoverTests", dependencies: ["HeraldPushover", "HeraldValidation", "HeraldTestSupport"]),
        .testTarget(name: "HeraldSMSTests", dependencies: ["HeraldSMS", "HeraldTestSupport"]),
        .testTarget(name: "HeraldPushbulletTests", dependencies: ["HeraldPushbullet", "HeraldTestSupport"]),
        // Runs scripts/check_telegram.py: needs python3 with Telethon.
        .testTarget(name: "HeraldTelegramTests", dependencies: ["HeraldTelegram", "HeraldTestSupport"]),
        // Runs scripts/check_slack.py: needs python3 with the slack-sdk package.
        .testTarget(name: "HeraldSlackTests", dependencies: ["HeraldSlack", "HeraldTestSupport"]),
        // Runs scripts/check_discord.py: needs python3 with discord.py.
        .testTarget(name: "HeraldDiscordTests", dependencies: ["HeraldDiscord", "HeraldTestSupport"]),
        // Reads e-mails back with Python's email package (scripts/check_email.py) and libxml2.
        .testTarget(name: "HeraldEmailTests", dependencies: ["HeraldEmail", "HeraldCLI", "HeraldValidation", "HeraldTestSupport"]),
        // GoldenTests compare and record the golden corpus with swift-snapshot-testing.
        .testTarget(
            name: "HeraldTests",
            dependencies: ["Herald", "HeraldTestSupport", .product(name: "SnapshotTesting", package: "swift-snapshot-testing")]
        ),
        .testTarget(name: "HeraldCLITests", dependencies: ["Herald", "HeraldCLI", "HeraldTestSupport"]),
        .testTarget(name: "HeraldBECTests", dependencies: ["HeraldBEC", "HeraldTestSupport"]),
        .testTarget(name: "HeraldTestingTests", dependencies: ["HeraldTesting"]),
        // The service catalogue is complete: goldens, snapshot strategies, delivery plugins, README rows.
        .testTarget(name: "HeraldCatalogueTests", dependencies: ["HeraldDelivery", "HeraldTesting", "HeraldTestSupport"]),
        .testTarget(name: "HeraldValidationTests", dependencies: ["HeraldValidation", "CLibXML2", "HeraldTestSupport"]),
        .testTarget(
            name: "HeraldDeliveryTests",
            dependencies: [
                "HeraldDelivery", "HeraldCLI", "HeraldTestSupport",
                // Tests change a real outbox file behind Herald's back (rows it cannot read, a failing write).
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "HeraldServerTests",
            dependencies: [
                "HeraldServer", "HeraldDelivery", "HeraldCLI", "HeraldTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                // The OpenAPI document is read to check that the routes match it.
                .product(name: "Yams", package: "Yams"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
