import Foundation
import Testing
@testable import Serve

@Suite struct SiteFolderTests {
    final class Folder: @unchecked Sendable {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("promptsite-serve-test-\(UUID().uuidString)")
        var root: URL { base.appendingPathComponent("site") }
        init() throws {
            try FileManager.default.createDirectory(at: root.appendingPathComponent("prompts/a b"), withIntermediateDirectories: true)
            try Data("<p>index</p>".utf8).write(to: root.appendingPathComponent("index.html"))
            try Data("<p>ab</p>".utf8).write(to: root.appendingPathComponent("prompts/a b/index.html"))
            try Data("secret".utf8).write(to: base.appendingPathComponent("secret.txt"))
            try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("out.txt"), withDestinationURL: base.appendingPathComponent("secret.txt"))
            try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("outside"), withDestinationURL: base)
            try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("home.html"), withDestinationURL: root.appendingPathComponent("index.html"))
        }
        deinit { try? FileManager.default.removeItem(at: base) }
    }

    @Test func resolvesFilesFoldersAndPercentEncoding() throws {
        let folder = try Folder()
        let site = SiteFolder(root: folder.root)
        #expect(site.resolve("/") == .file(folder.root.appendingPathComponent("index.html")))
        #expect(site.resolve("/prompts/a%20b/") == .file(folder.root.appendingPathComponent("prompts/a b/index.html")))
        #expect(site.resolve("/prompts/a%20b") == .redirect("/prompts/a%20b/"))
        #expect(site.resolve("//prompts") == .redirect("/prompts/"), "never `//prompts/`: another host to a browser")
        #expect(site.resolve("///prompts/a%20b") == .redirect("/prompts/a%20b/"))
        #expect(site.resolve("/home.html") == .file(folder.root.appendingPathComponent("home.html")))
        #expect(site.resolve("/missing.html") == .notFound)
        // A path of 20,000 segments was appended one segment at a time (2.5 s); past 4,096 bytes
        // no file of the site can be named, and nothing is looked up.
        #expect(site.resolve("/" + String(repeating: "a/", count: 20_000)) == .notFound)
        #expect(site.resolve("/" + String(repeating: "prompts/", count: 511)) == .notFound)
        #expect(site.resolve("/" + String(repeating: "%2e%2e/", count: 600)) == .notFound)
    }

    @Test func refusesEverythingOutsideTheFolder() throws {
        let folder = try Folder()
        let site = SiteFolder(root: folder.root)
        #expect(site.resolve("/../secret.txt") == .forbidden)
        #expect(site.resolve("/%2e%2e/secret.txt") == .forbidden)
        #expect(site.resolve("/prompts/%2E%2E/%2e%2e/secret.txt") == .forbidden)
        #expect(site.resolve("/..%2fsecret.txt") == .forbidden)
        #expect(site.resolve("/..%5csecret.txt") == .forbidden)
        #expect(site.resolve("/index.html%00.txt") == .forbidden)
        #expect(site.resolve("/out.txt") == .forbidden)
        #expect(site.resolve("/outside/secret.txt") == .forbidden)
        #expect(site.resolve("/bad%zz") == .badRequest)
        #expect(site.resolve("relative") == .badRequest)
    }

    @Test func contentTypes() {
        #expect(SiteFolder.contentType(of: URL(fileURLWithPath: "/a/index.html")) == "text/html; charset=utf-8")
        #expect(SiteFolder.contentType(of: URL(fileURLWithPath: "/a/b.json")) == "application/json; charset=utf-8")
        #expect(SiteFolder.contentType(of: URL(fileURLWithPath: "/a/feed.xml")) == "application/atom+xml; charset=utf-8")
        #expect(SiteFolder.contentType(of: URL(fileURLWithPath: "/a/site.css")) == "text/css; charset=utf-8")
        #expect(SiteFolder.contentType(of: URL(fileURLWithPath: "/a/x.svg")) == "image/svg+xml")
        #expect(SiteFolder.contentType(of: URL(fileURLWithPath: "/a/blob")) == "application/octet-stream")
    }

    @Test func injectsBeforeTheLastBodyEndAndEscapesTheStatus() {
        let status = BuildStatus(generation: 3, diagnostics: [.error("template-syntax", "bad </script><b>", at: .init(file: "p.prompt", line: 2, column: 5))],
                                 sourceLine: { _ in "x {{#if}}" })
        let page = LiveReload.inject(into: "<html><body><p>hi</p></body></html>", status: status)
        #expect(page.hasPrefix("<html><body><p>hi</p><script id=\"promptsite-live-status\" type=\"application/json\">{\"generation\":3,\"ok\":false,"))
        #expect(page.hasSuffix("<script src=\"/__promptsite/live.js\"></script>\n</body></html>"))
        #expect(page.contains("bad \\u003c/script\\u003e\\u003cb\\u003e"))
        #expect(!page.contains("</script><b>"))
        #expect(page.contains("\"location\":\"p.prompt:2:5\""))
        #expect(LiveReload.inject(into: "plain", status: status).hasPrefix("plain<script id="))
    }
}
