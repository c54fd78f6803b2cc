// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Herald",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "Herald", targets: ["Herald"]),
        .library(name: "HeraldCore", targets: ["HeraldCore"]),
        .library(name: "HeraldMarkdown", targets: ["HeraldMarkdown"]),
        .library(name: "HeraldSignal", targets: ["HeraldSignal"]),
        .library(name: "HeraldSciLog", targets: ["HeraldSciLog"]),
        .library(name: "HeraldTeams", targets: ["HeraldTeams"]),
        .library(name: "HeraldValidation", targets: ["HeraldValidation"]),
        .library(name: "HeraldBEC", targets: ["HeraldBEC"]),
        .library(name: "HeraldDelivery", targets: ["HeraldDelivery"]),
        .library(name: "HeraldTesting", targets: ["HeraldTesting"]),
        .executable(name: "herald", targets: ["herald"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // HeraldTesting only: snapshot strategies for senders' tests.
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
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // Rendering core: message model, JSON, AST, capabilities, degradations. Foundation only.
        .target(name: "HeraldCore"),
        // One target per service.
        .target(name: "HeraldMarkdown", dependencies: ["HeraldCore"]),
        .target(name: "HeraldSignal", dependencies: ["HeraldCore"]),
        .target(name: "HeraldSciLog", dependencies: ["HeraldCore", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "HeraldTeams", dependencies: ["HeraldCore"]),
        // libxml2 (Debian: libxml2-dev) and the HTML checks built on it.
        .systemLibrary(
            name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .target(name: "HeraldValidation", dependencies: ["CLibXML2"]),
        // Importing what BEC publishes (its formatter's HTML is read with HeraldValidation's libxml2 parsing).
        .target(name: "HeraldBEC", dependencies: ["HeraldCore", "HeraldSciLog", "HeraldValidation"]),
        // Umbrella: the `Service` catalogue and re-exports.
        .target(name: "Herald", dependencies: ["HeraldCore", "HeraldMarkdown", "HeraldSignal", "HeraldSciLog", "HeraldTeams", "HeraldBEC"]),
        // Snapshot strategies for senders' own tests: rendering (the umbrella) and SnapshotTesting, no delivery.
        .target(
            name: "HeraldTesting",
            dependencies: ["Herald", .product(name: "SnapshotTesting", package: "swift-snapshot-testing")]
        ),
        // Routing and delivery: routes, destinations, service plugins, the durable outbox, HTTP with retries.
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
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Command line.
        .target(
            name: "HeraldCLI",
            dependencies: [
                "Herald", "HeraldDelivery", "HeraldValidation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "herald", dependencies: ["HeraldCLI"]),

        // Test-only helpers: golden corpus access, cmark-gfm reader, Signal styled-text parser port, SciLog HTML reader.
        .target(name: "HeraldTestSupport", dependencies: ["Herald", "HeraldCLI", "HeraldValidation"], path: "Tests/HeraldTestSupport"),
        .testTarget(name: "HeraldCoreTests", dependencies: ["HeraldCore", "HeraldTestSupport"]),
        .testTarget(name: "HeraldMarkdownTests", dependencies: ["HeraldMarkdown", "HeraldTestSupport"]),
        .testTarget(name: "HeraldSignalTests", dependencies: ["HeraldSignal", "HeraldTestSupport"]),
        .testTarget(name: "HeraldSciLogTests", dependencies: ["HeraldSciLog", "HeraldValidation", "HeraldTestSupport"]),
        // Runs scripts/validate_teams.py: needs python3 with the jsonschema package.
        .testTarget(name: "HeraldTeamsTests", dependencies: ["HeraldTeams", "HeraldTestSupport"]),
        .testTarget(name: "HeraldTests", dependencies: ["Herald", "HeraldTestSupport"]),
        .testTarget(name: "HeraldCLITests", dependencies: ["Herald", "HeraldCLI", "HeraldTestSupport"]),
        .testTarget(name: "HeraldBECTests", dependencies: ["HeraldBEC", "HeraldTestSupport"]),
        .testTarget(name: "HeraldTestingTests", dependencies: ["HeraldTesting"]),
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
    ],
    swiftLanguageModes: [.v6]
)
