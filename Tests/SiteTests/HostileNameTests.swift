import Foundation
import Testing
import TestSupport
import PromptCatalog
@testable import Site

/// One bad name never costs the site: names that cannot be file names get a stable short form,
/// and a diagnostic at their source.
@Suite struct HostileNameTests {
    @Test func shortFormsAreStableShortAndDistinct() {
        let long = String(repeating: "a", count: 300)
        let cjk = String(repeating: "灯", count: 30)
        let short = PublishedName.segment(long)
        #expect(short.utf8.count <= PublishedName.longestSegment)
        #expect(short == String(repeating: "a", count: 80) + "~h" + PublishedName.fnv1a64(long))
        #expect(PublishedName.segment(long + "b") != short)
        #expect(PublishedName.segment(cjk).utf8.count <= PublishedName.longestSegment)
        #expect(PublishedName.segment(cjk).hasPrefix("~E7~81~AF"))
        #expect(PublishedName.segment("index.html") == "index~2Ehtml")
        #expect(PublishedName.segment("lantern-walk") == "lantern-walk")
        #expect(PublishedName.problem("lantern-walk") == nil)
        #expect(PublishedName.problem("index.html") == "is a name the site uses for its own pages; it is published as `index~2Ehtml`")
        #expect(PublishedName.problem(long)?.hasPrefix("is 300 bytes, too long for a file name once encoded") == true)
        #expect(PublishedName.problem("") == "is empty")
    }

    /// Letters and digits of ASCII, `_`, `-` and a dot after a kept byte stay; every other byte
    /// is `~XX` (upper-case hex) — checked byte by byte, not only on the names above.
    @Test func everyByteIsKeptOrEscapedAsSpecified() {
        for byte in UInt8(0x20)...UInt8(0x7E) {
            let name = "a" + String(UnicodeScalar(byte)) + "b"
            let kept = (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
            let middle = kept ? String(UnicodeScalar(byte)) : "~" + String(format: "%02X", byte)
            #expect(PublishedName.segment(name) == "a" + middle + "b", "byte \(byte)")
        }
        #expect(PublishedName.segment("..a") == "~2E~2Ea")
        #expect(PublishedName.segment("a..b") == "a.~2Eb")
        #expect(PublishedName.segment("é\n") == "~C3~A9~0A")
    }

    @Test func longAndReservedNamesStillBuildTheSite() throws {
        let long = String(repeating: "x", count: 300)
        let cjk = String(repeating: "灯", count: 30)
        let docName = String(repeating: "d", count: 249) + ".md"
        let content = try TemporaryContent([
            "providers/inkwell.yaml": Fixture.provider("inkwell"),
            "prompts/index.html/family.yaml": Fixture.family(),
            "prompts/index.html/v1.prompt": Fixture.version("version: 1", "A walk."),
            "prompts/\(String(repeating: "f", count: 250))/family.yaml": Fixture.family(),
            "action-blocks/long.json": "[{\"id\": \"\(long)\", \"kind\": \"single_state\", \"prompt\": \"Walk.\"}, {\"id\": \"\(cjk)\", \"kind\": \"single_state\", \"prompt\": \"Sit.\"}]",
            "programs/long.json": "{\"id\": \"\(long)\", \"stages\": [{\"id\": \"a\", \"type\": \"template\", \"template\": \"Hi.\"}]}",
            "docs/\(docName)": "# Long\n",
        ])
        let site = try BuiltSite.build(content: content.root)
        #expect(site.result.wrote)
        // The family folder `index.html` is published escaped, beside the catalog's own index.html.
        #expect(site.exists("prompts/index~2Ehtml/v1/index.html"))
        #expect(site.exists("prompts/index.html"))
        #expect(site.exists("prompts/" + PublishedName.segment(String(repeating: "f", count: 250)) + "/index.html"))
        #expect(site.exists("programs/" + PublishedName.segment(long) + "/index.html"))
        #expect(site.exists("docs/" + PublishedName.segment(String(docName.dropLast(3))) + ".html"))
        #expect(site.files().allSatisfy { $0.split(separator: "/").allSatisfy { $0.utf8.count <= 200 } })
        let diagnostics = site.result.check.diagnostics
        #expect(diagnostics.filter { $0.code == "invalid-slug" }.count == 2)
        let longNames = diagnostics.filter { $0.code == "long-name" }.compactMap(\.location?.file).sorted()
        #expect(longNames == ["action-blocks/long.json", "action-blocks/long.json", "docs/\(docName)", "programs/long.json"])
    }
}

@Suite struct ThemeLinkTests {
    @Test func templatesLinkedOutOfTheTemplatesFolderAreNotRead() throws {
        let folder = ScratchFolder.name("promptsite-theme")
        let templates = folder.appendingPathComponent("Templates")
        try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
        let secret = folder.appendingPathComponent("secret.txt")
        try Data("root:x:0:0".utf8).write(to: secret)
        try FileManager.default.createSymbolicLink(at: templates.appendingPathComponent("passwd.mustache"), withDestinationURL: secret)
        try Data("<p>{{title}}</p>".utf8).write(to: templates.appendingPathComponent("footer.mustache"))
        try FileManager.default.createSymbolicLink(atPath: templates.appendingPathComponent("alias.mustache").path, withDestinationPath: "footer.mustache")
        try FileManager.default.createSymbolicLink(atPath: templates.appendingPathComponent("gone.mustache").path, withDestinationPath: "missing.mustache")
        let theme = Theme.load(overridesIn: templates)
        #expect(theme.templates["passwd"] == nil)
        #expect(theme.overridden == ["alias.mustache", "footer.mustache"])
        // Each file not read is named, without where it leads.
        #expect(theme.problems == [
            "gone.mustache cannot be read (a broken link?); the built-in file is used",
            "passwd.mustache links outside the templates folder and is not read; the built-in file is used (copy the file into the folder)",
        ])
    }

    /// A theme folder is read as a theme: templates (UTF-8) and assets (any bytes) up to 16 MB;
    /// other files are not read at all (a 3 GB sparse `notes.txt` took the build down).
    @Test func themeFilesAreBoundedAndAssetsMayBeBinary() throws {
        let templates = FileManager.default.temporaryDirectory.appendingPathComponent("promptsite-theme-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: templates) }
        try FileManager.default.createDirectory(at: templates.appendingPathComponent("assets"), withIntermediateDirectories: true)
        for (name, size) in [("notes.txt", 3 << 30), ("footer.mustache", 17 << 20)] {
            #expect(FileManager.default.createFile(atPath: templates.appendingPathComponent(name).path, contents: nil))
            #expect(truncate(templates.appendingPathComponent(name).path, off_t(size)) == 0)
        }
        let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0xFF, 0x00])
        try png.write(to: templates.appendingPathComponent("assets/logo.png"))
        try Data([0x3C, 0x70, 0x3E, 0xE9, 0x3C, 0x2F, 0x70, 0x3E]).write(to: templates.appendingPathComponent("404.mustache"))  // Latin-1 é
        let theme = Theme.load(overridesIn: templates)
        #expect(theme.assets["logo.png"] == png)
        #expect(theme.overridden == ["assets/logo.png"])
        #expect(theme.problems == [
            "404.mustache is not UTF-8 text; the built-in template is used (save it as UTF-8)",
            "footer.mustache is 17 MB, over the 16 MB a theme file may be; the built-in file is used",
        ])
        #expect(theme.templates["404"] == Theme.builtIn.templates["404"])
    }

    /// Doc names are published so that every link is a plain URL: `#`, `?`, `%`, spaces and line
    /// breaks are escaped, a folder named like a page does not clash with it, and a Markdown link
    /// to the doc (percent-encoded as Markdown writes it) leads to the published page.
    @Test func docNamesWithURLCharactersArePublishedEscapedAndLinked() throws {
        let content = try TemporaryContent([
            "docs/q#1 ?x%41.md": "# Odd\n",
            "docs/a.md": "# A\n\nSee [odd](q%231%20%3Fx%2541.md#top) and [b](a.html/x.md).\n\n"
                + "[self](a.md?v=1#top) [apostrophe](it's.md) [colon](./a:b.md) [web](https://example.org/x.md)\n",
            "docs/it's.md": "# It\n",
            "docs/a:b.md": "# Colon\n",
            "docs/a.html/x.md": "# X\n\nBack to [a](../a.md).\n",
            "docs/line\nbreak.md": "# Break\n",
        ])
        let site = try BuiltSite.build(content: content.root)
        #expect(site.result.wrote)
        #expect(site.exists("docs/q~231~20~3Fx~2541.html"))
        #expect(site.exists("docs/a.html"))
        #expect(site.exists("docs/a~2Ehtml/x.html"))
        #expect(site.exists("docs/line~0Abreak.html"))
        let a = try site.text("docs/a.html")
        #expect(a.contains("href=\"q~231~20~3Fx~2541.html#top\""))
        #expect(a.contains("href=\"a~2Ehtml/x.html\""))
        #expect(a.contains("href=\"a.html?v=1#top\""))
        #expect(a.contains("href=\"it~27s.html\"") && site.exists("docs/it~27s.html"))
        #expect(a.contains("href=\"./a~3Ab.html\"") && site.exists("docs/a~3Ab.html"))
        #expect(a.contains("href=\"https://example.org/x.md\""))
        #expect(try site.text("docs/a~2Ehtml/x.html").contains("href=\"../a.html\""))
        let sitemap = try site.text("sitemap.xml")
        #expect(!sitemap.contains(" ") || !sitemap.contains("q#1"))
        #expect(sitemap.contains("<loc>/docs/line~0Abreak.html</loc>"))
    }

    /// XML 1.0 forbids most control characters however they are escaped: the feed carries U+FFFD.
    @Test func controlCharactersNeverReachTheFeed() throws {
        let content = try TemporaryContent([
            "providers/inkwell.yaml": Fixture.provider("inkwell"),
            "prompts/walk/family.yaml": "title: \"Walk\\u0001 \\u000B\\uFFFE\"\n",
            "prompts/walk/v1.prompt": "---\nversion: 1\ndate: 2025-01-01T00:00:00Z\nmessage: \"a\\u001Fb\"\n---\nA walk.\n",
        ])
        let site = try BuiltSite.build(content: content.root)
        let feed = try site.text("feed.xml")
        #expect(feed.contains("<title>Walk\u{FFFD} \u{FFFD}\u{FFFD} v1</title>"))
        #expect(feed.contains("<summary>a\u{FFFD}b</summary>"))
        #expect(!feed.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        #expect(XML.characters("tab\tok\u{10000}") == "tab\tok\u{10000}")
        #expect(FeedEntry.urnPart("label:walk:my label:2") == "label:walk:my%20label:2")
        #expect(FeedEntry.urnPart("é<&>") == "%C3%A9%3C%26%3E")
    }

    /// Every version is announced, dated or not (an undated one takes the newest date before it in
    /// its family), and the feed is valid Atom: the feed has an author, and each entry its version's.
    @Test func undatedVersionsAreAnnouncedAndEntriesHaveAuthors() throws {
        let content = try TemporaryContent([
            "prompts/walk/family.yaml": "title: Walk\nlabels: { production: 3 }\n",
            "prompts/walk/v1.prompt": "---\nversion: 1\n---\nA walk.\n",
            "prompts/walk/v2.prompt": "---\nversion: 2\nparent: 1\ndate: 2025-03-01T00:00:00Z\nauthor: \"Ana <ana@x>\"\n---\nA walk at dusk.\n",
            "prompts/walk/v3.prompt": "---\nversion: 3\nparent: 2\nauthor: \" \"\n---\nA walk at night.\n",
        ])
        let feed = try BuiltSite.build(content: content.root).text("feed.xml")
        let entries = feed.components(separatedBy: "<entry>").dropFirst().map { entry in
            (entry.firstMatch(of: /<id>(.*)<\/id>/).map { String($0.1) } ?? "", entry.firstMatch(of: /<updated>(.*)<\/updated>/).map { String($0.1) } ?? "",
             entry.firstMatch(of: /<author><name>(.*)<\/name><\/author>/).map { String($0.1) })
        }
        #expect(entries.map(\.0) == ["urn:promptsite:version:walk@3", "urn:promptsite:version:walk@2", "urn:promptsite:label:walk:production:3",
                                     "urn:promptsite:version:walk@1"])
        #expect(entries.map(\.1) == ["2025-03-01T00:00:00Z", "2025-03-01T00:00:00Z", "2025-03-01T00:00:00Z", "1970-01-01T00:00:00Z"])
        #expect(entries.map(\.2) == [nil, "Ana &lt;ana@x&gt;", nil, nil])
        #expect(feed.contains("<updated>2025-03-01T00:00:00Z</updated>\n  <author><name>"))
    }

    /// The dashboard lists the 50 most recently dated labels and says how many more there are.
    @Test func theDashboardListsTheNewestLabels() throws {
        var files: [String: String] = [:]
        for index in 0..<60 {
            files["prompts/f\(index)/family.yaml"] = "title: F\(index)\nlabels: { production: 1 }\n"
            files["prompts/f\(index)/v1.prompt"] = "---\nversion: 1\ndate: 2025-01-\(String(format: "%02d", index % 28 + 1))T00:00:00Z\n---\nHi \(index).\n"
        }
        let content = try TemporaryContent(files)
        let dashboard = try BuiltSite.build(content: content.root).text("index.html")
        let labels = dashboard.components(separatedBy: "<h2>Labels</h2>")[1].components(separatedBy: "</section>")[0]
        #expect(labels.matches(of: /<tr><td>F\d+<\/td>/).count == 50)
        #expect(labels.contains("… and 10 more labels, on their families' pages."))
    }

    /// The feed holds the newest 200 entries: readers fetch it again and again.
    @Test func theFeedHoldsTheNewestEntries() throws {
        var files = ["prompts/walk/family.yaml": "title: Walk\n"]
        for number in 1...260 {
            let day = String(format: "2025-01-01T00:%02d:%02dZ", number / 60, number % 60)
            files["prompts/walk/v\(number).prompt"] = "---\nversion: \(number)\n\(number > 1 ? "parent: \(number - 1)\n" : "")date: \(day)\n---\nA walk \(number).\n"
        }
        let content = try TemporaryContent(files)
        let feed = try BuiltSite.build(content: content.root).text("feed.xml")
        let ids = feed.matches(of: /<id>urn:promptsite:version:walk@(\d+)<\/id>/).map { Int($0.1)! }
        #expect(ids.count == 200)
        #expect(ids.first == 260 && ids.last == 61)
    }
}

/// Every link on a page leads to a page the build wrote: a label on a version that does not exist,
/// or a default provider no file defines, is shown and marked, not linked.
@Suite struct LinksToUnpublishedPagesTests {
    /// A log file's diagnostics link to the analytics overview, which lists each log file.
    @Test func logDiagnosticsLinkToTheAnalyticsOverview() throws {
        let content = try TemporaryContent(["logs/a.jsonl": #"{"status":"success"}"# + "\n{oops\n"])
        let checks = try BuiltSite.build(content: content.root).text("checks/index.html")
        #expect(checks.contains(#"<a href="../analytics/index.html">logs/a.jsonl:2:2</a>"#), "\(checks)")
    }

    @Test func labelsAndProvidersWithoutPagesAreNotLinked() throws {
        let content = try TemporaryContent([
            "providers/inkwell.yaml": Fixture.provider("inkwell"),
            "prompts/lab/family.yaml": "title: Lab\nprompt_type: visual\nlabels: { production: 9, staging: 1 }\n",
            "prompts/lab/v1.prompt": "---\nversion: 1\n---\nA lab.\n",
        ])
        let site = try BuiltSite.build(content: content.root) { $0.defaultProviders = ["inkwell", "ghost"] }
        let family = try site.text("prompts/lab/index.html")
        #expect(family.contains(#"<a class="label" href="../../prompts/lab/v1/index.html">staging → v1</a>"#))
        #expect(family.contains(#"<span class="label missing" title="no such version">production → v9</span>"#))
        #expect(!family.contains("v9/index.html"))
        #expect(!(try site.text("prompts/index.html")).contains("v9/index.html"))
        #expect(!(try site.text("index.html")).contains("v9/index.html"))
        let version = try site.text("prompts/lab/v1/index.html")
        #expect(version.contains(#"<a href="../../../providers/inkwell/index.html">inkwell</a>"#))
        #expect(version.contains(#"<span class="missing" title="not defined in this repository">ghost</span>"#))
        #expect(!version.contains("providers/ghost/"))
    }
}

/// Images beside the docs are published at their places, byte for byte, so the pages that show
/// them find them; an SVG (which runs its scripts when opened) or any other file is not, with a warning.
@Suite struct DocImageTests {
    @Test func imagesBesideTheDocsArePublished() throws {
        let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0xFF])
        let content = try TemporaryContent([
            "docs/guide.md": "# Guide\n\n![diagram](img/flow.png)\n",
            "docs/img/evil.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
            "docs/notes.txt": "notes",
        ])
        try content.write("docs/img/flow.png", data: png)
        try content.write("docs/my img.png", data: png)
        try content.write("docs/spaced.md", data: Data("# Spaced\n\n![a](my%20img.png) ![b](<my img.png>)\n".utf8))
        let site = try BuiltSite.build(content: content.root)
        // A name published escaped is linked by that name.
        #expect(try Data(contentsOf: site.output.appendingPathComponent("docs/my~20img.png")) == png)
        #expect(try site.text("docs/spaced.html").contains(#"<img src="my~20img.png" alt="a" /> <img src="my~20img.png" alt="b" />"#))
        #expect(try Data(contentsOf: site.output.appendingPathComponent("docs/img/flow.png")) == png)
        #expect(try site.text("docs/guide.html").contains(#"<img src="img/flow.png" alt="diagram" />"#))
        #expect(!site.files().contains("docs/img/evil.svg") && !site.files().contains("docs/notes.txt"))
        let loaded = CatalogLoader.load(contentDirectory: content.root)
        #expect(loaded.diagnostics.map(\.description).sorted() == [
            "docs/img/evil.svg: warning[unexpected-file]: `evil.svg` is not published: the docs are `.md` pages and the images beside them (.png, .jpg, .jpeg, .gif, .webp, .avif)",
            "docs/notes.txt: warning[unexpected-file]: `notes.txt` is not published: the docs are `.md` pages and the images beside them (.png, .jpg, .jpeg, .gif, .webp, .avif)",
        ])
        #expect(loaded.diagnostics.first { $0.location?.file == "docs/img/evil.svg" }?.hint == "an SVG file can carry scripts: export the picture as PNG")
    }
}

/// The way back to the site root counts a page's non-empty folders, whatever its slashes.
@Suite struct RootPrefixTests {
    @Test func countsNonEmptyFolders() {
        #expect(SitePaths.root(from: "index.html") == "")
        #expect(SitePaths.root(from: "prompts/index.html") == "../")
        #expect(SitePaths.root(from: "prompts/harbor/v2/index.html") == "../../../")
        // Empty components count for nothing (as `split(separator:)` left them out).
        #expect(SitePaths.root(from: "/prompts//harbor/index.html/") == "../../")
        #expect(SitePaths.root(from: "") == "")
        #expect(SitePaths.root(from: "///") == "")
        #expect(SitePaths.root(from: "docs/café/naïve.html") == "../../")
        #expect(SitePaths.link(from: "prompts/harbor/v2/index.html", to: "providers/video/index.html") == "../../../providers/video/index.html")
    }
}

/// Links the build writes into `href`: scripting and data schemes become `#`, others stay.
@Suite struct SafeURLTests {
    @Test func schemesThatRunCodeAreBlanked() {
        #expect(HTML.safeURL("javascript:alert(1)") == "#")
        #expect(HTML.safeURL(" JavaScript :alert(1)") == "#")
        #expect(HTML.safeURL("java\tscript:alert(1)") == "#")
        #expect(HTML.safeURL("vbscript:msgbox") == "#")
        #expect(HTML.safeURL("data:text/html,<script>") == "#")
        #expect(HTML.safeURL("https://example.com/a:b") == "https://example.com/a:b")
        #expect(HTML.safeURL("../v2/index.html") == "../v2/index.html")
        #expect(HTML.safeURL("a/javascript/index.html") == "a/javascript/index.html")
        #expect(HTML.safeURL("") == "")
    }
}
