// swift-tools-version: 6.0
import PackageDescription

// libFuzzer targets for the parsers that read content. Build and run with `make fuzz`
// (swift build -Xswiftc -sanitize=fuzzer -Xswiftc -use-ld=lld: gold crashes on these links; scratch path ../.build-fuzz); they use the
// internal parsers through `@testable import`, which debug builds allow. Each `main.swift`
// runs libFuzzer's driver, so they only link with -sanitize=fuzzer.
let package = Package(
    name: "promptsite-fuzz",
    dependencies: [.package(name: "promptsite", path: "..")],
    targets: [
        .executableTarget(name: "FuzzFrontMatter", dependencies: [.product(name: "PromptCatalog", package: "promptsite")]),
        .executableTarget(name: "FuzzTemplate", dependencies: [.product(name: "PromptCatalog", package: "promptsite")]),
        .executableTarget(name: "FuzzCondition", dependencies: [.product(name: "PromptCatalog", package: "promptsite")]),
    ]
)
