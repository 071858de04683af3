import Analytics
import Checks
import Foundation
import PromptCatalog
import Testing
import TestSupport
@testable import Site

/// A rebuild that recalls the logs from the cache publishes exactly what the first build did:
/// how each file was read is printed on the terminal, never written into the pages or the API.
@Suite struct AnalyticsRebuildTests {
    @Test func theFirstBuildAndTheNextPublishTheSameAnalytics() throws {
        let content = try analyticsFixture()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("promptsite-rebuild-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        func build(into folder: String) throws -> (BuildResult, URL) {
            var config = SiteConfig(root: root)
            config.contentDirectory = content.root
            config.outputDirectory = root.appendingPathComponent(folder)
            config.defaultProviders = ["inkwell"]
            let result = try buildSite(BuildRequest(config: config, project: root, logs: .forProject(config, useCache: true)))
            return (result, config.outputDirectory)
        }
        let (first, firstOutput) = try build(into: "first")
        let (second, secondOutput) = try build(into: "second")
        #expect(first.project?.logs.files.map(\.source) == [.full])
        #expect(second.project?.logs.files.map(\.source) == [.cache])
        for path in analyticsPages + analyticsDocuments {
            let before = try String(contentsOf: firstOutput.appendingPathComponent(path), encoding: .utf8)
            let after = try String(contentsOf: secondOutput.appendingPathComponent(path), encoding: .utf8)
            #expect(before == after, "\(path) differs between the first build and the next")
        }
    }

    /// A summary read under one line bound is never recalled under another (a changed
    /// `logs.maxLineBytes` kept the old counts until `--no-cache`).
    @Test func aSummaryIsRecalledOnlyUnderTheSameLineBound() throws {
        let root = URL(fileURLWithPath: "/tmp/project")
        var config = SiteConfig(root: root)
        let standard = try #require(LogIngestOptions.forProject(config, useCache: true).cache?.directory.lastPathComponent)
        config.maximumLogLineBytes = 200
        let bounded = try #require(LogIngestOptions.forProject(config, useCache: true).cache?.directory.lastPathComponent)
        #expect(standard == "logs")
        #expect(bounded == "logs-lines200")
    }
}
