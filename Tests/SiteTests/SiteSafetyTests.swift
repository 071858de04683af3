import Foundation
import Testing
import TestSupport
@testable import Site

@Suite struct SiteSafetyTests {
    @Test func hostileContentIsInert() throws {
        let evil = "<script>alert(1)</script>\"' onmouseover=\"alert(2)"
        let content = try TemporaryContent([
            "providers/inkwell.yaml": Fixture.provider("inkwell"),
            "prompts/evil/family.yaml": """
            title: '\(evil.replacingOccurrences(of: "'", with: "''"))'
            prompt_type: visual
            description: "Click [me](javascript:alert(3)) or <img src=x onerror=alert(4)> <script>alert(5)</script>"
            tags: ['<b>tag</b>']
            labels: { production: 1 }
            """,
            "prompts/evil/v1.prompt": Fixture.version("""
            version: 1
            message: '\(evil.replacingOccurrences(of: "'", with: "''"))'
            branch: '<script>b</script>'
            variables:
              lead: { type: string, max_length: 40, description: '<script>alert(6)</script>' }
            examples:
              - { name: '<i>x</i>', vars: { lead: '</pre><script>alert(7)</script>' } }
            """, "A <script>alert(8)</script> walk with {{lead}} & \"quotes\""),
            "prompts/evil/v2.prompt": Fixture.version("version: 2\nparent: 1\nmessage: second", "A <b>bold</b> </script><script>alert(9)</script> walk {{lead}}"),
            "docs/evil.md": "# Evil\n\n<script>alert(10)</script>\n\n[link](javascript:alert(11))\n\n<iframe src=x></iframe>\n",
        ])
        let site = try BuiltSite.build(content: content.root)
        var scanned = 0
        for page in site.files() where page.hasSuffix(".html") {
            let html = try site.text(page)
            // Our own script tags are the only ones (site.js, and the compare data on family pages);
            // no handler attribute or javascript: URL survives.
            let ours = 1 + count("<script type=\"application/json\" class=\"versions-data\">", in: html)
            #expect(count("<script", in: html) == ours, "\(page) has a script tag from content")
            #expect(count("</script>", in: html) == ours, "\(page) closes a script early")
            // Quoted attribute values are inert; what is left of each tag must hold no handler.
            let unquoted = html.replacing(/="[^"]*"/, with: "=\"\"")
            #expect(unquoted.matches(of: /<[a-zA-Z][^>]*\son[a-z]+\s*=/).isEmpty, "\(page) has an event handler attribute")
            #expect(!html.contains("href=\"javascript:"), "\(page)")
            #expect(!html.contains("<iframe"), "\(page)")
            #expect(!html.contains("<b>tag</b>"), "\(page)")
            scanned += 1
        }
        #expect(scanned >= 8)
        // JSON stays JSON and cannot close a script element.
        let api = try site.text("api/v1/families/evil.json")
        #expect(!api.contains("</script"))
        #expect(!api.contains("<script"))
        #expect(try site.text("prompts/evil/v1/index.html").contains("&lt;script&gt;alert(8)&lt;/script&gt;"))
    }

    /// A diagnostic links to its file's page only when the build published that page: a file that
    /// could not be loaded, a provider whose id is not its file name, the loser of a page collision
    /// have none (the checks page linked to pages never written), and a dotted provider id links
    /// to its own page (it linked to `providers/my/`).
    @Test func diagnosticsLinkOnlyToPublishedPages() throws {
        let content = try TemporaryContent([
            "providers/inkwell.yaml": Fixture.provider("inkwell"),
            "providers/my.model.yaml": "id: my.model\nname: x\nprompt_limit: 100\nbogus: 1\n",
            "providers/broken.yaml": "id: [\n",
            "providers/named.yaml": Fixture.provider("other"),
            "prompts/a/family.yaml": Fixture.family(),
            "prompts/a/v1.prompt": Fixture.version("version: 1", "Text"),
            "prompts/a/v2.prompt": "---\nversion: [\n---\nText\n",
            "node-types/broken.yaml": "id: [\n",
            "plugins/Guide/plugin.yaml": "id: guide\nname: Guide\n",
            "plugins/guide/plugin.yaml": "id: guide2\nname: Guide 2\n",
            "docs/bad.md": "ok",
        ])
        try Data([0x66, 0xFF, 0xFE]).write(to: content.root.appendingPathComponent("docs/bad.md"))
        let site = try BuiltSite.build(content: content.root)
        let links = try site.linkProblems(in: ["checks/index.html"])
        #expect(links.problems == [])
        let checks = try site.text("checks/index.html")
        #expect(checks.contains("href=\"../providers/my.model/index.html\""))
        #expect(!checks.contains("providers/broken/index.html") && !checks.contains("prompts/a/v2/index.html"))
    }

    @Test func unsafeHTMLIsOptIn() throws {
        let content = try TemporaryContent(["docs/raw.md": "# Raw\n\n<div class=\"note\">kept</div>\n"])
        let safe = try BuiltSite.build(content: content.root)
        #expect(!(try safe.text("docs/raw.html")).contains("<div class=\"note\">"))
        let unsafe = try BuiltSite.build(content: content.root) { $0.unsafeHTML = true }
        #expect(try unsafe.text("docs/raw.html").contains("<div class=\"note\">kept</div>"))
    }

    @Test func refusesDangerousOutputFolders() throws {
        let content = try TemporaryContent(["prompts/a/family.yaml": Fixture.family()])
        for output in [content.root, content.project, URL(fileURLWithPath: "/"), content.project.deletingLastPathComponent()] {
            #expect(throws: OutputWriter.Refusal.self) {
                try BuiltSite.build(content: content.root, project: content.project, output: output)
            }
        }
        #expect(throws: OutputWriter.Refusal.self) {
            try BuiltSite.build(content: content.root, project: content.project, output: content.root.appendingPathComponent("site"))
        }
        #expect(FileManager.default.fileExists(atPath: content.root.appendingPathComponent("prompts/a/family.yaml").path))
    }

    @Test func strictBuildWithErrorsLeavesThePreviousOutput() throws {
        let content = try TemporaryContent([
            "prompts/a/family.yaml": Fixture.family(),
            "prompts/a/v1.prompt": Fixture.version("version: 1", "Hello"),
        ])
        let first = try BuiltSite.build(content: content.root, project: content.project)
        let before = try first.text("prompts/a/v1/index.html")
        try content.write("prompts/a/v2.prompt", Fixture.version("version: 2\nparent: 9", "{{broken"))
        let strict = try BuiltSite.build(content: content.root, project: content.project, strict: true)
        #expect(!strict.result.wrote)
        #expect(try first.text("prompts/a/v1/index.html") == before)
        #expect(!first.exists("prompts/a/v2/index.html"))
        // Without --strict the site is built, with the errors on the checks page.
        let lenient = try BuiltSite.build(content: content.root, project: content.project)
        #expect(lenient.exists("prompts/a/v2/index.html"))
        let checks = try lenient.text("checks/index.html")
        #expect(checks.contains("missing-parent"))
        #expect(checks.contains("href=\"../prompts/a/v2/index.html\""))
        // No staging folders are left behind: only the lock file, which the next build reuses, and the
        // replaced site kept as the spare the next incremental build fills.
        let siblings = try FileManager.default.contentsOfDirectory(atPath: content.project.path)
        #expect(Set(siblings.filter { $0.hasPrefix(".Output") }) == [".Output.lock", ".Output.spare"])
    }

    /// An empty folder given as the output is replaced once, then removed: it never becomes the
    /// spare (which has no marker, so every later build refused to touch it).
    @Test func anEmptyOutputFolderIsReplacedAndNotKeptAsTheSpare() throws {
        let content = try TemporaryContent([
            "prompts/a/family.yaml": Fixture.family(),
            "prompts/a/v1.prompt": Fixture.version("version: 1", "Hello"),
        ])
        let output = content.project.appendingPathComponent("site")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: false)
        _ = try BuiltSite.build(content: content.root, project: content.project, output: output)
        var siblings = try FileManager.default.contentsOfDirectory(atPath: content.project.path)
        #expect(Set(siblings.filter { $0.hasPrefix(".site") }) == [".site.lock"])
        try content.write("prompts/a/v1.prompt", Fixture.version("version: 1", "Hello again"))
        let second = try BuiltSite.build(content: content.root, project: content.project, output: output)
        #expect(try second.text("prompts/a/v1/index.html").contains("Hello again"))
        try content.write("prompts/a/v1.prompt", Fixture.version("version: 1", "Hello a third time"))
        let third = try BuiltSite.build(content: content.root, project: content.project, output: output)
        #expect(try third.text("prompts/a/v1/index.html").contains("Hello a third time"))
        siblings = try FileManager.default.contentsOfDirectory(atPath: content.project.path)
        #expect(Set(siblings.filter { $0.hasPrefix(".site") }) == [".site.lock", ".site.spare"])
    }

    @Test func userTemplatesOverrideFileByFile() throws {
        let content = try TemporaryContent(["prompts/a/family.yaml": Fixture.family(), "prompts/a/v1.prompt": Fixture.version("version: 1", "Hi")])
        let templates = content.project.appendingPathComponent("MyTheme")
        try FileManager.default.createDirectory(at: templates.appendingPathComponent("assets"), withIntermediateDirectories: true)
        try "{{<layout}}{{$main}}<p class=\"custom\">{{familyCount}} custom</p>{{/main}}{{/layout}}".write(to: templates.appendingPathComponent("dashboard.mustache"), atomically: true, encoding: .utf8)
        try "body { color: red }".write(to: templates.appendingPathComponent("assets/style.css"), atomically: true, encoding: .utf8)
        let site = try BuiltSite.build(content: content.root, project: content.project, templates: templates)
        #expect(try site.text("index.html").contains("<p class=\"custom\">1 custom</p>"))
        #expect(try site.text("assets/style.css") == "body { color: red }")
        // Files not overridden fall back to the built-in theme.
        #expect(try site.text("prompts/index.html").contains("<table class=\"list families\">"))
        #expect(try site.text("assets/site.js") == DefaultTheme.files["assets/site.js"])
    }

    @Test func brokenUserTemplateNamesItsFile() throws {
        let content = try TemporaryContent()
        let templates = content.project.appendingPathComponent("T")
        try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
        try "{{#open}} never closed".write(to: templates.appendingPathComponent("catalog.mustache"), atomically: true, encoding: .utf8)
        #expect {
            try BuiltSite.build(content: content.root, project: content.project, templates: templates)
        } throws: { error in
            "\(error)".contains("catalog.mustache")
        }
    }

    @Test func emptyContentBuildsAnEmptySite() throws {
        let content = try TemporaryContent()
        let site = try BuiltSite.build(content: content.root)
        #expect(site.exists("index.html"))
        #expect(site.exists("prompts/index.html"))
        #expect(site.exists("docs/index.html"))
    }

    @Test func pathsCannotEscape() {
        #expect(!OutputWriter.isSafeRelativePath("../x"))
        #expect(!OutputWriter.isSafeRelativePath("/etc/passwd"))
        #expect(!OutputWriter.isSafeRelativePath("a/../../b"))
        #expect(OutputWriter.isSafeRelativePath("prompts/a/v1/index.html"))
        for unsafe in ["", ".", "..", "a/..", "./a", "a/./b", "a//b", "a/", "/", "a/b/.."] {
            #expect(!OutputWriter.isSafeRelativePath(unsafe), "\(unsafe.debugDescription) was accepted")
        }
        for safe in ["...", "a/.hidden", "x/..y", "..z/b", "a.b/c..", "é/ü.html"] {
            #expect(OutputWriter.isSafeRelativePath(safe), "\(safe.debugDescription) was refused")
        }
    }
}
