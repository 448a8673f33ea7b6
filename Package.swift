// swift-tools-version:6.1
// The target graph follows ../shared/DESIGN.md: dependencies point down only, and each
// target owns one responsibility. Build with `--explicit-target-dependency-import-check error`.
import PackageDescription

let upcoming: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "murojaat",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "murojaat", targets: ["murojaat"]),
        .executable(name: "murojaat-bench", targets: ["murojaat-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // The web UI and the JSON API (DESIGN.md). Hummingbird without its default traits: the server reads its
        // settings from murojaat.yaml like every other part, not through swift-configuration.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // /metrics in Prometheus's format: the backend of swift-metrics that Hummingbird's middleware records to.
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // The scale-out store (DESIGN.md): several `murojaat` processes share one PostgreSQL database.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .target(name: "MurojaatCore", swiftSettings: upcoming),
        .target(
            name: "Rules",
            dependencies: ["MurojaatCore", .product(name: "Yams", package: "Yams")],
            swiftSettings: upcoming
        ),
        .target(
            name: "Store",
            dependencies: ["MurojaatCore", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: upcoming
        ),
        .target(
            name: "SQLiteStore",
            dependencies: [
                "MurojaatCore", "Store", .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C API, for binding and stepping GRDB's prepared statements on the ingest path.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: upcoming
        ),
        .target(
            name: "PostgresStore",
            dependencies: [
                "MurojaatCore", "Store", .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming
        ),
        .target(
            name: "StoreConformance",
            dependencies: ["MurojaatCore", "Store"],
            swiftSettings: upcoming
        ),
        // Debian's libcurl and GMime 3, each wrapped by the Mail target alone.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CGMime", pkgConfig: "gmime-3.0", providers: [.apt(["libgmime-3.0-dev"])]),
        .systemLibrary(name: "CXlsxWriter", pkgConfig: "xlsxwriter", providers: [.apt(["libxlsxwriter-dev"])]),
        .target(
            name: "Reports",
            dependencies: ["MurojaatCore", "Store", "CXlsxWriter"],
            swiftSettings: upcoming
        ),
        .target(
            name: "Mail",
            dependencies: ["MurojaatCore", "CCurl", "CGMime"],
            swiftSettings: upcoming
        ),
        .target(
            name: "Ingest",
            dependencies: [
                "MurojaatCore", "Store", "Mail", .product(name: "Yams", package: "Yams"),
                // XLSX is a ZIP of XML parts; no other mirrored package reads ZIP.
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: upcoming
        ),
        .target(
            name: "Tracker",
            // Mail: the outbox sender composes and sends through the Mail target's SMTP client (DESIGN.md).
            dependencies: ["MurojaatCore", "Rules", "Store", "Mail"],
            swiftSettings: upcoming
        ),
        .target(
            name: "Server",
            dependencies: [
                "MurojaatCore", "Rules", "Store", "Tracker", "Reports", "Ingest",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming
        ),
        .target(
            name: "MurojaatCLI",
            dependencies: [
                "MurojaatCore", "Rules", "Store", "SQLiteStore", "PostgresStore", "Ingest", "Mail", "Tracker",
                "Reports", "Server",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                // Passwords of `murojaat user add|passwd` are hashed here, as the server checks them.
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: upcoming
        ),
        .executableTarget(name: "murojaat", dependencies: ["MurojaatCLI"], swiftSettings: upcoming),
        .executableTarget(
            name: "murojaat-bench",
            dependencies: [
                "MurojaatCore", "Rules", "Store", "SQLiteStore", "PostgresStore", "Ingest", "Tracker", "Reports",
                "MurojaatTesting", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // The SQLite floor (SQLiteFloor.swift) copies rows with SQL, under the store.
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: upcoming
        ),
        .target(
            name: "MurojaatTesting",
            dependencies: [
                "MurojaatCore",
                // The generated Reception workbook (for the benchmark and the crash test) is a ZIP.
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: upcoming
        ),

        .testTarget(
            name: "MurojaatCoreTests",
            dependencies: ["MurojaatCore", "MurojaatTesting"],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "RulesTests",
            dependencies: ["MurojaatCore", "MurojaatTesting", "Rules"],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "SQLiteStoreTests",
            dependencies: [
                "MurojaatCore", "Store", "SQLiteStore", "StoreConformance", "MurojaatTesting",
                // Query plans are read through GRDB, as the store reads everything else.
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "PostgresStoreTests",
            // Each test case gets a database of its own on a throwaway PostgreSQL 15 that MurojaatTesting starts.
            dependencies: [
                "MurojaatCore", "Store", "PostgresStore", "StoreConformance", "MurojaatTesting",
                // Raw SQL for what the schema itself must refuse, and the parsed URL's settings.
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "TransferTests",
            // An installation filled through SQLiteStore's protocol, moved to a throwaway PostgreSQL 15 and read back
            // through PostgresStore's.
            dependencies: [
                "MurojaatCore", "Store", "SQLiteStore", "PostgresStore", "StoreConformance", "MurojaatTesting",
                .product(name: "Logging", package: "swift-log"),
                // A draft of the first schema can be written only as raw SQL: nothing writes one any more.
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "MailTests",
            // The SMTP tests deliver to a throwaway aiosmtpd sink that MurojaatTesting starts.
            dependencies: ["Mail", "MurojaatTesting"],
            resources: [.copy("Fixtures")],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "IngestTests",
            dependencies: [
                "MurojaatCore", "MurojaatTesting", "Store", "SQLiteStore", "Ingest", "Mail", "Tracker", "Rules",
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "ReportsTests",
            dependencies: [
                "MurojaatCore", "MurojaatTesting", "Store", "SQLiteStore", "Reports",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "TrackerTests",
            dependencies: ["MurojaatCore", "MurojaatTesting", "Rules", "Store", "SQLiteStore", "Tracker", "Mail"],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "MurojaatCore", "MurojaatTesting", "Rules", "Store", "SQLiteStore", "Tracker", "Server", "Ingest",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "CLITests",
            // The crash tests read the database and the mailbox after each kill, through the product's own types; the
            // scale-out test reads PostgreSQL the same way.
            dependencies: [
                "MurojaatCore", "MurojaatTesting", "Store", "SQLiteStore", "PostgresStore", "Ingest", "Mail",
            ],
            swiftSettings: upcoming
        ),
    ]
)
