// swift-tools-version:6.1
// libFuzzer targets for Satchel's parsers (bench/reliability campaign 9, README.md here).
// A package of its own, so the root package builds the product only. A normal build makes
// each target a corpus replayer; `fuzz/run build` rebuilds it with
// -sanitize=fuzzer,address -DFUZZING, where its main starts libFuzzer's driver.
// SPDX-License-Identifier: GPL-3.0-or-later
import PackageDescription

let package = Package(
    name: "SatchelFuzz",
    dependencies: [
        .package(name: "Satchel", path: "..")
    ],
    targets: [
        .target(name: "FuzzSupport"),
        .executableTarget(name: "FuzzLineParser", dependencies: ["FuzzSupport", .product(name: "SatchelREPL", package: "Satchel")]),
        .executableTarget(name: "FuzzDateParser", dependencies: ["FuzzSupport", .product(name: "SatchelCore", package: "Satchel")]),
        .executableTarget(name: "FuzzFHIRResponse", dependencies: ["FuzzSupport", .product(name: "SatchelSync", package: "Satchel")]),
        .executableTarget(name: "FuzzConfig", dependencies: ["FuzzSupport", .product(name: "SatchelSync", package: "Satchel")]),
    ],
    swiftLanguageModes: [.v6]
)
