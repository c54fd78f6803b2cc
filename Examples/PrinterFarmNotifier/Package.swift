// swift-tools-version: 6.0
// A sample sender: a printer farm's notifications, pinned in its own tests with HeraldTesting.
// It depends on the Herald checkout it lives in; your package names Herald's repository and a version instead.
import PackageDescription

let package = Package(
    name: "PrinterFarmNotifier",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "PrinterFarmNotifier", targets: ["PrinterFarmNotifier"]),
    ],
    dependencies: [
        .package(name: "Herald", path: "../.."),
    ],
    targets: [
        .target(name: "PrinterFarmNotifier", dependencies: [.product(name: "Herald", package: "Herald")]),
        .testTarget(
            name: "PrinterFarmNotifierTests",
            dependencies: ["PrinterFarmNotifier", .product(name: "HeraldTesting", package: "Herald")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
