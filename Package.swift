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
        .library(name: "HeraldValidation", targets: ["HeraldValidation"]),
        .library(name: "HeraldBEC", targets: ["HeraldBEC"]),
        .executable(name: "herald", targets: ["herald"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // Rendering core: message model, JSON, AST, capabilities, degradations. Foundation only.
        .target(name: "HeraldCore"),
        // One target per service.
        .target(name: "HeraldMarkdown", dependencies: ["HeraldCore"]),
        .target(name: "HeraldSignal", dependencies: ["HeraldCore"]),
        .target(name: "HeraldSciLog", dependencies: ["HeraldCore"]),
        // libxml2 (Debian: libxml2-dev) and the HTML checks built on it.
        .systemLibrary(
            name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .target(name: "HeraldValidation", dependencies: ["CLibXML2"]),
        // Importing what BEC publishes (its formatter's HTML is read with HeraldValidation's libxml2 parsing).
        .target(name: "HeraldBEC", dependencies: ["HeraldCore", "HeraldSciLog", "HeraldValidation"]),
        // Umbrella: the `Service` catalogue and re-exports.
        .target(name: "Herald", dependencies: ["HeraldCore", "HeraldMarkdown", "HeraldSignal", "HeraldSciLog", "HeraldBEC"]),
        // Command line.
        .target(
            name: "HeraldCLI",
            dependencies: [
                "Herald", "HeraldValidation", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "herald", dependencies: ["HeraldCLI"]),

        // Test-only helpers: golden corpus access, cmark-gfm reader, Signal styled-text parser port, SciLog HTML reader.
        .target(name: "HeraldTestSupport", dependencies: ["Herald", "HeraldCLI", "HeraldValidation"], path: "Tests/HeraldTestSupport"),
        .testTarget(name: "HeraldCoreTests", dependencies: ["HeraldCore", "HeraldTestSupport"]),
        .testTarget(name: "HeraldMarkdownTests", dependencies: ["HeraldMarkdown", "HeraldTestSupport"]),
        .testTarget(name: "HeraldSignalTests", dependencies: ["HeraldSignal", "HeraldTestSupport"]),
        .testTarget(name: "HeraldSciLogTests", dependencies: ["HeraldSciLog", "HeraldValidation", "HeraldTestSupport"]),
        .testTarget(name: "HeraldTests", dependencies: ["Herald", "HeraldTestSupport"]),
        .testTarget(name: "HeraldCLITests", dependencies: ["Herald", "HeraldCLI", "HeraldTestSupport"]),
        .testTarget(name: "HeraldBECTests", dependencies: ["HeraldBEC", "HeraldTestSupport"]),
        .testTarget(name: "HeraldValidationTests", dependencies: ["HeraldValidation", "CLibXML2"]),
    ],
    swiftLanguageModes: [.v6]
)
