// swift-tools-version: 6.0
// The libFuzzer target, kept out of the main package because it only links with `-sanitize=fuzzer`.
// Build and run it with scripts/fuzz.sh.
import PackageDescription

let package = Package(
    name: "HeraldFuzz",
    dependencies: [.package(path: "..")],
    targets: [
        .executableTarget(name: "HeraldFuzz", dependencies: [.product(name: "Herald", package: "main")]),
    ],
    swiftLanguageModes: [.v6]
)
