import Foundation
import Testing
import TestSupport
@testable import Serve

/// `serve` end to end, in process: a free port, a real build, real sockets.
@Suite(.serialized) struct PreviewServerTests {
    /// A running preview of a temporary project and the lines it logged.
    final class Preview: @unchecked Sendable {
        let content: TemporaryContent
        let task: Task<Void, any Error>
        let port: UInt16
        let folder: String
        private let lines: AsyncStream<String>.Iterator

        init() async throws {
            content = try TemporaryContent([
                "providers/inkwell.yaml": Fixture.provider("inkwell"),
                "prompts/tide/family.yaml": "title: Tide\nprompt_type: visual\n",
                "prompts/tide/v1.prompt": "---\nversion: 1\n---\nHello harbor.\n",
            ])
            var options = PreviewOptions(workingDirectory: content.project)
            options.port = 0
            options.contentDirectory = content.root
            options.templatesDirectory = content.project.appendingPathComponent("Templates")
            options.pollInterval = .milliseconds(20)
            // Long enough that three back-to-back writes fall in one debounce even on a loaded machine.
            options.quietPeriod = .milliseconds(300)
            let (stream, continuation) = AsyncStream<String>.makeStream()
            task = Task { try await servePreview(options) { continuation.yield($0) } }
            var iterator = stream.makeAsyncIterator()
            var serving: String?
            while serving == nil, let line = await iterator.next() {
                if line.hasPrefix("serving ") { serving = line }
            }
            lines = iterator
            let line = try #require(serving)
            let match = try #require(line.firstMatch(of: /^serving http:\/\/127\.0\.0\.1:([0-9]+)\/ \(the site is built in (.+); Ctrl-C stops\)$/))
            port = try #require(UInt16(match.1))
            folder = String(match.2)
        }

        /// A test that failed half-way still stops its server (which then removes its folder).
        deinit { task.cancel() }

        func write(_ text: String) throws {
            try content.write("prompts/tide/v1.prompt", "---\nversion: 1\n---\n\(text)\n")
        }

        func get(_ path: String) throws -> RawResponse { try rawRequest(port: port, path) }

        /// An open event stream, read up to its first (status) event.
        func events() throws -> RawConnection {
            let connection = try RawConnection(port: port)
            connection.send("GET /__promptsite/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            // The body is chunked: each event arrives inside chunk framing.
            let head = try connection.read { $0.contains("event: status\ndata: ") && $0.contains("}\n\n") }
            #expect(head.lowercased().contains("content-type: text/event-stream"))
            connection.consume()
            return connection
        }

        func stop() async throws {
            task.cancel()
            try await task.value
            #expect(!FileManager.default.fileExists(atPath: folder), "the private build folder is removed")
        }
    }

    @Test func servesReloadsShowsTheOverlayAndRecovers() async throws {
        let preview = try await Preview()
        let page = try preview.get("/prompts/tide/v1/")
        #expect(page.status == 200)
        #expect(page.header("Content-Type") == "text/html; charset=utf-8")
        #expect(page.body.contains("Hello harbor."))
        #expect(page.body.contains("<script src=\"/__promptsite/live.js\"></script>"))
        #expect(page.body.contains("\"generation\":0,\"ok\":true"))
        let script = try preview.get("/__promptsite/live.js")
        #expect(script.header("Content-Type") == "text/javascript; charset=utf-8")
        #expect(script.body.contains("new EventSource(\"/__promptsite/events\")"))
        #expect(script.body.contains("promptsite-overlay"))

        // A save: one reload event, and the page has the new text.
        let events = try preview.events()
        try preview.write("Hello lantern.")
        var received = try events.read { $0.contains("event: reload\ndata: {\"generation\":1,\"ok\":true}\n\n") }
        #expect(!received.contains("generation\":2"))
        #expect(try preview.get("/prompts/tide/v1/").body.contains("Hello lantern."))

        // Several saves in quick succession: one rebuild, with the last text.
        events.consume()
        try preview.write("One.")
        try preview.write("Two.")
        try preview.write("Three, the last.")
        received = try events.read { $0.contains("event: reload\ndata: {\"generation\":2,\"ok\":true}\n\n") }
        #expect(try preview.get("/prompts/tide/v1/").body.contains("Three, the last."))

        // A broken save: the server stays up and the pages carry every diagnostic for the overlay.
        events.consume()
        try preview.write("Broken {{#if x}} here.")
        received = try events.read { $0.contains("event: reload\ndata: {\"generation\":3,\"ok\":false}\n\n") }
        let broken = try preview.get("/prompts/tide/")
        #expect(broken.status == 200)
        #expect(broken.body.contains("\"generation\":3,\"ok\":false,\"summary\":\"1 error, 0 warnings\""))
        let status = try #require(try JSONSerialization.jsonObject(with: Data(preview.get("/__promptsite/status").body.utf8)) as? [String: Any])
        let diagnostics = try #require(status["diagnostics"] as? [[String: Any]])
        let first = try #require(diagnostics.first)
        #expect(first["location"] as? String == "Content/prompts/tide/v1.prompt:4:10")
        #expect(first["code"] as? String == "template-syntax")
        #expect(first["source"] as? String == "Broken {{#if x}} here.")
        #expect((first["hint"] as? String)?.isEmpty == false)

        // The next good save clears it.
        events.consume()
        try preview.write("Fixed.")
        _ = try events.read { $0.contains("event: reload\ndata: {\"generation\":4,\"ok\":true}\n\n") }
        let fixed = try preview.get("/prompts/tide/v1/")
        #expect(fixed.body.contains("Fixed.") && fixed.body.contains("\"generation\":4,\"ok\":true"))
        try await preview.stop()
    }

    /// Pages that close their event stream are let go within the heartbeat: closed streams stayed
    /// open until the next rebuild, and enough of them used up the descriptors the listener needs.
    @Test func closedEventStreamsAreLetGo() async throws {
        let preview = try await Preview()
        func openDescriptors() -> Int { (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0 }
        let before = openDescriptors()
        do {
            let streams = try (0..<30).map { _ in try preview.events() }
            #expect(openDescriptors() >= before + 30)
            _ = streams
        }
        try await Task.sleep(for: .seconds(3))
        #expect(openDescriptors() <= before + 2, "\(openDescriptors() - before) more descriptors than before the streams")
        #expect(try preview.get("/").status == 200)
        try await preview.stop()
    }

    @Test func refusesPathsOutsideTheSiteAndServesThe404Page() async throws {
        let preview = try await Preview()
        try preview.content.writeProjectFile("secret.txt", "secret")
        for path in ["/../secret.txt", "/../../secret.txt", "/%2e%2e/secret.txt", "/prompts/%2E%2E/%2e%2e/%2e%2e/secret.txt", "/..%2fsecret.txt"] {
            let response = try preview.get(path)
            #expect(response.status == 403, "\(path)")
            #expect(!response.body.contains("secret\n") && response.body != "secret")
        }
        let missing = try preview.get("/nowhere/page.html")
        #expect(missing.status == 404)
        #expect(missing.body.contains("<title>") && missing.body.contains("/__promptsite/live.js"))
        let folder = try preview.get("/prompts")
        #expect(folder.status == 301 && folder.header("Location") == "/prompts/")
        #expect(try preview.get("/api/v1/families.json").header("Content-Type") == "application/json; charset=utf-8")
        let posted = try rawRequest(port: preview.port, "/", method: "POST")
        #expect(posted.status == 405)
        try await preview.stop()
    }
}

@Suite struct PreviewBuilderTests {
    /// An unreadable Site.json is a failed build with its diagnostics; the folders stay watched.
    @Test func unreadableConfigurationFailsWithItsDiagnostics() throws {
        let content = try TemporaryContent(["providers/inkwell.yaml": Fixture.provider("inkwell")])
        let config = try content.writeProjectFile("Site.json", "{ \"title\": 3, \"checks\": { \"strict\": \"no\" } }")
        var options = PreviewOptions(workingDirectory: content.project)
        options.configFile = config
        let output = content.project.appendingPathComponent("preview-site")
        let (status, watched) = PreviewBuilder(options: options, output: output).build(generation: 5)
        #expect(status.generation == 5 && !status.ok)
        #expect(status.failure == "Site.json cannot be read")
        #expect(status.problems.map(\.code) == ["invalid-field"])
        #expect(status.problems.first?.source == "{ \"title\": 3, \"checks\": { \"strict\": \"no\" } }")
        #expect(watched.map(\.lastPathComponent) == ["Site.json", "Content", "Templates"])
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }

    /// A content folder that is gone (renamed, a branch switch) fails over the last good pages
    /// instead of publishing an empty site; ./Site.json is watched even while it is missing.
    @Test func aMissingContentFolderFailsAndAMissingSiteJSONIsStillWatched() throws {
        let content = try TemporaryContent(["prompts/a/family.yaml": Fixture.family(), "prompts/a/v1.prompt": Fixture.version("version: 1", "Hi")])
        var options = PreviewOptions(workingDirectory: content.project)
        options.contentDirectory = content.project.appendingPathComponent("Moved")
        let output = content.project.appendingPathComponent("preview-site")
        let (status, watched) = PreviewBuilder(options: options, output: output).build(generation: 2)
        #expect(!status.ok)
        #expect(status.failure == "the content folder Moved does not exist")
        #expect(status.problems.map(\.code) == ["missing-content"])
        #expect(watched.map(\.lastPathComponent) == ["Site.json", "Moved", "Templates"])
        #expect(!FileManager.default.fileExists(atPath: output.path))
        options.contentDirectory = content.root
        let (built, _) = PreviewBuilder(options: options, output: output).build(generation: 3)
        #expect(built.ok)
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("prompts/a/v1/index.html").path))
    }
}
