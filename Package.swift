// swift-tools-version:6.1
// Satchel — an offline-first field companion for mental-health and police mentors.
// SPDX-License-Identifier: GPL-3.0-or-later
import PackageDescription

let package = Package(
    name: "Satchel",
    products: [
        .executable(name: "satchel", targets: ["satchel"]),
        // For the libFuzzer package in fuzz/ (fuzz/README.md), which depends on this one
        // by path: the modules its targets read input through.
        .library(name: "SatchelCore", targets: ["SatchelCore"]),
        .library(name: "SatchelSync", targets: ["SatchelSync"]),
        .library(name: "SatchelREPL", targets: ["SatchelREPL"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // System libraries: a module map and a shim header each, nothing else.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CReadline", providers: [.apt(["libreadline-dev"])]),
        .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
        .systemLibrary(name: "CCairo", pkgConfig: "pangocairo", providers: [.apt(["libcairo2-dev", "libpango1.0-dev"])]),
        // The line editor's SIGINT/SIGWINCH handler and its stdout helpers: C with state.
        .target(name: "CTerminal"),
        // sqlite3_db_config (C-variadic) for SQLite's defensive mode on every vault connection.
        .target(name: "CSQLiteGuard", linkerSettings: [.linkedLibrary("sqlite3")]),
        // prctl (C-variadic) and setrlimit: no core dumps, from the first instruction of `main`.
        .target(name: "CProcessGuard"),

        .target(name: "SatchelCore"),
        .target(
            name: "SatchelStore",
            dependencies: [
                "SatchelCore", "CSodium", "CSQLiteGuard",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        // Readable documents (plain text, and PDF through cairo and pango): no record types.
        .target(name: "SatchelDocuments", dependencies: ["CCairo"]),
        // Delivery renders the letters it sends as PDF (DocumentReference), hence Documents.
        .target(name: "SatchelSync", dependencies: ["SatchelCore", "SatchelStore", "SatchelDocuments", "CCurl"]),
        // The use cases: what a worker can do, shared by both doors. The only module that
        // combines the vault, the sharing policy and delivery (docs/architecture.md).
        .target(name: "SatchelUseCases", dependencies: ["SatchelCore", "SatchelStore", "SatchelSync", "SatchelDocuments"]),
        .target(
            name: "SatchelREPL",
            dependencies: [
                "SatchelCore", "SatchelStore", "SatchelUseCases", "CReadline", "CTerminal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(name: "satchel", dependencies: ["SatchelREPL", "SatchelUseCases", "CProcessGuard"]),

        // Test doubles and helpers shared by the test targets (a temporary vault,
        // a child-process runner that can hand a passphrase over a file descriptor).
        .target(
            name: "SatchelTestSupport",
            dependencies: [
                "SatchelCore", "SatchelStore", "SatchelSync", "SatchelREPL", "CPTYSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Tests/SatchelTestSupport"),
        // posix_openpt and friends, which glibc's Swift overlay does not import.
        .target(name: "CPTYSupport", path: "Tests/CPTYSupport"),
        .testTarget(name: "SatchelCoreTests", dependencies: ["SatchelCore"]),
        .testTarget(
            name: "SatchelStoreTests",
            dependencies: [
                "SatchelStore", "SatchelTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        .testTarget(
            name: "SatchelSyncTests",
            dependencies: [
                "SatchelSync", "SatchelStore", "SatchelCore", "SatchelTestSupport",
            ]),
        .testTarget(
            name: "SatchelUseCasesTests",
            dependencies: [
                "SatchelUseCases", "SatchelSync", "SatchelStore", "SatchelCore", "SatchelTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]),
        .testTarget(
            name: "SatchelREPLTests",
            dependencies: ["SatchelREPL", "SatchelUseCases", "SatchelCore", "SatchelStore", "SatchelTestSupport"]),
        .testTarget(
            name: "SatchelCLITests",
            dependencies: ["SatchelTestSupport", "SatchelREPL", .product(name: "GRDB", package: "GRDB.swift")]),
    ],
    swiftLanguageModes: [.v6]
)
