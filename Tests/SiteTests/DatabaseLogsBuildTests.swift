import Diagnostics
import Foundation
import PromptCatalog
import Testing
import TestSupport
@testable import Site

/// A catalog whose `logs.postgres` cannot be read still builds, with the file logs' analytics and one
/// diagnostic at Site.json; and a build with a database is never called up to date (the rows change without a file).
@Suite struct DatabaseLogsBuildTests {
    @Test func anUnreachableDatabaseLeavesTheRestOfTheSite() throws {
        let content = try analyticsFixture()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("promptsite-db-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        // A socket folder with no server in it: refused at once.
        let socket = root.appendingPathComponent("no-server")
        try FileManager.default.createDirectory(at: socket, withIntermediateDirectories: true)
        let siteJSON = try content.writeProjectFile("Site.json", """
            {"logs": {
              "postgres": {"url": "postgresql:///postgres?host=\(socket.path)", "preset": "pixsim7"}}}
            """)
        guard case .success(let (loaded, _)) = SiteConfig.load(from: siteJSON) else {
            Issue.record("Site.json did not load")
            return
        }
        func build() throws -> BuildResult {
            var config = loaded
            config.contentDirectory = content.root
            config.outputDirectory = root.appendingPathComponent("Output")
            config.defaultProviders = ["inkwell"]
            var request = BuildRequest(config: config, project: root, logs: .forProject(config, useCache: false), incremental: true)
            // As if a while had passed since the files were written, so only the database keeps the build from being up to date.
            request.wallClock = { Date().timeIntervalSince1970 + 10 }
            return try buildSite(request)
        }
        let first = try build()
        let database = first.check.diagnostics.filter { $0.code.hasPrefix("log-db-") }
        #expect(database.map(\.code) == ["log-db-unavailable"])
        #expect(database.first?.location?.line == 2)
        #expect(database.first?.location?.file == "../Site.json")
        #expect(database.first?.message.hasPrefix("Site.json logs.postgres: cannot connect to the database") == true)
        for path in analyticsPages + analyticsDocuments {
            #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("Output").appendingPathComponent(path).path), "missing \(path)")
        }
        #expect(first.project?.logs.summary.records == first.project?.logs.files.reduce(0) { $0 + $1.summary.summary.records })
        #expect(first.project?.logs.summary.records ?? 0 > 0)
        let second = try build()
        #expect(second.upToDate == false)
        #expect(second.project != nil)
    }
}
