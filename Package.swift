// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "promptsite",
    platforms: [.macOS(.v15)],  // Int128 (exact log moments)
    products: [
        .executable(name: "promptsite", targets: ["promptsite"]),
        // For the fuzz targets in Fuzz/ (a separate package that depends on this one).
        .library(name: "PromptCatalog", targets: ["PromptCatalog", "PromptTemplates", "Diagnostics"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
    ],
    targets: [
        // The C library that renders all Markdown (GitHub Flavored Markdown).
        .systemLibrary(
            name: "CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"]), .brew(["cmark-gfm"])]
        ),
        // zlib, for gzipped generation logs.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        // libpq, for generation logs in PostgreSQL (aggregated in the database; see README).
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"]), .brew(["libpq"])]
        ),
        // Diagnostics: located messages and their text/JSON/JUnit/SARIF/GitHub formats.
        .target(name: "Diagnostics"),
        // The `{{path}}` template language: parse once, variables, render, lengths.
        .target(name: "PromptTemplates"),
        // Model values and loading of the content tree, every value with its source location.
        .target(name: "PromptCatalog", dependencies: ["Diagnostics", "PromptTemplates", .product(name: "Yams", package: "Yams")],
                linkerSettings: [.linkedLibrary("_FoundationICU", .when(platforms: [.linux]))]),
        // One small rule per file: pure functions from the catalog to diagnostics.
        // The project model: content, logs, analytics, lengths and near-duplicates, derived once per build.
        .target(name: "Project", dependencies: ["Diagnostics", "PromptCatalog", "Analytics", "Similarity", "Markdown"]),
        .target(name: "Checks", dependencies: ["Diagnostics", "PromptCatalog", "PromptTemplates", "Project", "Markdown", "Similarity"]),
        // Generation logs: streaming readers, mergeable aggregates, the cache, statistics, experiments.
        .target(name: "Analytics", dependencies: ["Diagnostics", "PromptCatalog", "CZlib", "CLibPQ"]),
        // Near-duplicate texts by MinHash and LSH banding.
        .target(name: "Similarity"),
        // Mustache over a typed value tree: view models encoded once, rendered without reflection.
        .target(name: "PageTemplates"),
        // Line and word diffs (Myers).
        .target(name: "TextDiff"),
        // Markdown to HTML through cmark-gfm with the GFM extensions.
        .target(name: "Markdown", dependencies: ["CCmarkGFM"]),
        // The site: page planning, view models, Mustache rendering, SVG, diffs, JSON API, atomic output.
        .target(name: "Site", dependencies: [
            "Diagnostics", "PromptCatalog", "PromptTemplates", "Project", "Checks", "TextDiff", "Markdown", "Analytics", "Review",
            "PageTemplates", "Similarity",
        ]),
        // `promptsite review`: the catalog at a git revision against the working tree.
        .target(name: "Review", dependencies: ["Diagnostics", "PromptCatalog", "Project", "Checks", "Analytics", "TextDiff"]),
        // `promptsite serve`: the site built into a private folder, served on loopback, rebuilt on every save, pages reloaded.
        .target(name: "Serve", dependencies: [
            "Site", "PromptCatalog", "Project", "Analytics", "Diagnostics", "Checks", "Similarity",
            .product(name: "FlyingFox", package: "FlyingFox"),
        ]),
        // `promptsite bench`: a generated repository built and timed, beside Hugo.
        .target(name: "Bench", dependencies: ["Site", "PromptCatalog", "Project", "Similarity", "Serve"]),
        // The executable: commands only.
        .executableTarget(
            name: "promptsite",
            dependencies: [
                "Diagnostics", "PromptCatalog", "PromptTemplates", "Project", "Checks", "TextDiff", "Markdown", "Site", "Bench", "Analytics", "Review", "Serve",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // jemalloc on Linux: a build allocates and frees millions of small values on all cores,
            // where glibc's malloc cost 6% of a full build and 19% of checking 100,000 versions.
            linkerSettings: [.linkedLibrary("jemalloc", .when(platforms: [.linux]))]
        ),
        // Temporary content folders and fixtures shared by the tests.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "PromptTemplatesTests", dependencies: ["PromptTemplates"]),
        .testTarget(name: "PageTemplatesTests", dependencies: ["PageTemplates"]),
        .testTarget(name: "PromptCatalogTests", dependencies: ["PromptCatalog", "Diagnostics", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ChecksTests", dependencies: ["Checks", "Project", "PromptCatalog", "Diagnostics", "TestSupport"]),
        .testTarget(name: "DiagnosticsTests", dependencies: ["Diagnostics"]),
        .testTarget(name: "AnalyticsTests", dependencies: ["Analytics", "PromptCatalog", "Diagnostics", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SimilarityTests", dependencies: ["Similarity"]),
        .testTarget(name: "TextDiffTests", dependencies: ["TextDiff"]),
        .testTarget(name: "MarkdownTests", dependencies: ["Markdown"]),
        .testTarget(name: "SiteTests", dependencies: ["Site", "Project", "PromptCatalog", "Checks", "Diagnostics", "PageTemplates", "TextDiff", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["promptsite", "TestSupport"]),
        .testTarget(name: "ReviewTests", dependencies: ["Review", "Site", "PromptCatalog", "Diagnostics", "Analytics", "TestSupport"]),
        .testTarget(name: "ServeTests", dependencies: ["Serve", "Diagnostics", "TestSupport"]),
    ]
)
