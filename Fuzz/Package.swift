// swift-tools-version: 6.0
// The libFuzzer target, kept out of the main package because it only links with `-sanitize=fuzzer`.
// Build and run it with scripts/fuzz.sh.
import Foundation
import PackageDescription

/// A path dependency is identified by its directory's name, which is wherever the repository was cloned to.
let herald = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "HeraldFuzz",
    dependencies: [.package(path: "..")],
    targets: [
        .executableTarget(name: "HeraldFuzz", dependencies: [.product(name: "Herald", package: herald)]),
    ],
    swiftLanguageModes: [.v6]
)
