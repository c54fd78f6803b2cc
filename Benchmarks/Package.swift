// swift-tools-version: 6.1
// Herald's performance benchmarks (ordo-one/benchmark). A package of its own, so that the root package and CI never
// build the benchmark tooling: run with `swift package --package-path Benchmarks benchmark` (see README.md).
import PackageDescription

let package = Package(
    name: "HeraldBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "Herald", path: ".."),
        // MallocInterposer only: the malloc metrics without the 6.3-only ARC runtime interposer (default trait).
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // The messages both executables render.
        .target(name: "BenchmarkInputs", dependencies: [.product(name: "Herald", package: "Herald")], path: "Inputs"),
        .executableTarget(
            name: "RenderBenchmarks",
            dependencies: [
                "BenchmarkInputs",
                .product(name: "Herald", package: "Herald"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/RenderBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // One input rendered for one service in a loop, without the harness: for callgrind and other profilers.
        .executableTarget(
            name: "render-profile", dependencies: ["BenchmarkInputs", .product(name: "Herald", package: "Herald")],
            path: "Tools/RenderProfile"),
    ],
    swiftLanguageModes: [.v6]
)
