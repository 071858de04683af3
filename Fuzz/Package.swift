// swift-tools-version: 6.0
import PackageDescription

// libFuzzer targets for the parsers that read content. Build and run with `make fuzz`
// (swift build -Xswiftc -sanitize=fuzzer, scratch path ../.build-fuzz); they use the
// internal parsers through `@testable import`, which debug builds allow.
let parseAsLibrary: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

let package = Package(
    name: "promptsite-fuzz",
    dependencies: [.package(name: "promptsite", path: "..")],
    targets: [
        .executableTarget(name: "FuzzFrontMatter", dependencies: [.product(name: "PromptCatalog", package: "promptsite")], swiftSettings: parseAsLibrary),
        .executableTarget(name: "FuzzTemplate", dependencies: [.product(name: "PromptCatalog", package: "promptsite")], swiftSettings: parseAsLibrary),
        .executableTarget(name: "FuzzCondition", dependencies: [.product(name: "PromptCatalog", package: "promptsite")], swiftSettings: parseAsLibrary),
    ]
)
