import Foundation
import PromptCatalog
import PromptTemplates
import Testing
import TestSupport
@testable import Site

@Suite struct SiteBuildTests {
    let site: BuiltSite
    let catalog = CatalogLoader.load(contentDirectory: Repository.sampleContent).catalog

    init() throws { site = try BuiltSite.sample() }

    @Test func writesEveryPageAndFile() throws {
        #expect(site.result.wrote)
        for path in ["index.html", "prompts/index.html", "providers/index.html", "checks/index.html", "docs/index.html",
                     "docs/style-guide.html", "404.html", "search-index.json", "api/v1/families.json", "api/v1/providers.json",
                     "sitemap.xml", "feed.xml", "reports/checks.json", "reports/junit.xml", "reports/checks.sarif",
                     "assets/style.css", "assets/site.js"] {
            #expect(site.exists(path), "missing \(path)")
        }
        for family in catalog.families {
            #expect(site.exists("prompts/\(family.slug)/index.html"))
            #expect(site.exists("api/v1/families/\(family.slug).json"))
            for version in family.versions { #expect(site.exists("prompts/\(family.slug)/v\(version.number)/index.html")) }
        }
        for provider in catalog.providers { #expect(site.exists("providers/\(provider.id)/index.html")) }
    }

    @Test func versionPageShowsTheParentDiffWithInsertedWords() throws {
        let page = try site.text("prompts/harbor-storm-arrival/v4/index.html")
        #expect(page.contains("Changes from <a href=\"../v2/index.html\">v2</a>"))
        #expect(page.contains("<ins>sunset</ins>"))
        #expect(page.contains("<del>dusk</del>"))
        // The front matter diff names the branch that appeared.
        #expect(page.contains("<code>branch</code></td><td>added</td>"))
        #expect(page.contains("<ins>warm-light</ins>"))
    }

    @Test func versionPageHighlightsVariablesAndLinksThemToTheTable() throws {
        let version = try #require(catalog.family("harbor-storm-arrival")?.version(4))
        let page = try site.text("prompts/harbor-storm-arrival/v4/index.html")
        for path in version.template.variablePaths where version.variable(path) != nil {
            let anchor = "var-" + path.components.joined(separator: "-")
            #expect(page.contains("<a class=\"var\" href=\"#\(anchor)\""))
            #expect(page.contains("<tr id=\"\(anchor)\">"))
        }
    }

    /// Distinct variables get distinct row ids: `a.b` and `a-b` shared `var-a-b`, so `{{a-b}}`
    /// led to `a.b`'s row and the page had a duplicate id.
    @Test func variableAnchorsAreDistinct() {
        let paths = [["a", "b"], ["a-b"], ["x<y"], ["x_y"], ["é"], ["a~2Db"], ["a", "b-c"], ["a-b", "c"]].map(VariablePath.init)
        let anchors = paths.map(TemplateHighlighter.anchor)
        #expect(Set(anchors).count == paths.count, "\(anchors)")
        #expect(anchors.prefix(5) == ["var-a-b", "var-a~2Db", "var-x~3Cy", "var-x_y", "var-é"])
    }

    @Test func familyGraphHasOneNodePerVersion() throws {
        for family in catalog.families {
            let page = try site.text("prompts/\(family.slug)/index.html")
            #expect(count("<g class=\"node", in: page) == family.versions.count, "\(family.slug)")
        }
    }

    @Test func labelsPointAtTheRightVersion() throws {
        let page = try site.text("prompts/harbor-storm-arrival/index.html")
        #expect(page.contains("<a class=\"label\" href=\"../../prompts/harbor-storm-arrival/v6/index.html\">production → v6</a>"))
        let v6 = try site.text("prompts/harbor-storm-arrival/v6/index.html")
        #expect(v6.contains("<span class=\"label\">production</span>"))
    }

    @Test func apiCarriesTheLengths() throws {
        let document = try #require(try site.json("api/v1/families/harbor-storm-arrival.json") as? [String: Any])
        let versions = try #require(document["versions"] as? [[String: Any]])
        #expect(versions.count == 6)
        let family = try #require(catalog.family("harbor-storm-arrival"))
        for entry in versions {
            let number = try #require(entry["number"] as? Int)
            let version = try #require(family.version(number))
            let expected = LengthTable(catalog).lengths(of: version, defaultProviders: ["inkwell"], in: catalog)
            let lengths = try #require(entry["lengths"] as? [String: [String: Any]])
            #expect(Set(lengths.keys) == Set(expected.map(\.provider.id)))
            for length in expected {
                #expect(lengths[length.provider.id]?["example"] as? Int == length.exampleLength)
                #expect(lengths[length.provider.id]?["limit"] as? Int == length.limit)
                #expect(lengths[length.provider.id]?["worst_case"] as? Int == length.worstCase.length)
            }
        }
        #expect(document["labels"] as? [String: Int] == ["production": 6, "staging": 5])
    }

    @Test func everyLocalLinkResolves() throws {
        let links = try site.linkProblems()
        #expect(links.problems.isEmpty, "\(links.problems)")
        #expect(links.checked > 500)
    }

    @Test func noNetworkResources() throws {
        for page in site.files() where page.hasSuffix(".html") || page.hasSuffix(".css") || page.hasSuffix(".js") {
            let text = try site.text(page)
            #expect(text.matches(of: /(?:src|href)="https?:/).isEmpty, "\(page) loads a network resource")
            #expect(!text.contains("@import url(http"), "\(page)")
        }
    }

    @Test func docsAreRenderedWithGFM() throws {
        let guide = try site.text("docs/style-guide.html")
        #expect(guide.contains("<table>"))
        #expect(guide.contains("type=\"checkbox\""))
    }

    /// A version page previews its examples and, for each context that fills a path it reads, the
    /// text `render <version> --context <id>` prints (SPEC §5: "preview per example and context").
    @Test func versionPagesPreviewEachContextTheyRead() throws {
        let page = try site.text("prompts/keeper-dialogue/v5/index.html")
        let captions = page.matches(of: /<figcaption>([^<]*) <small>/).map { String($0.1) }
        #expect(captions == ["greeting", "context keeper-trusting", "context keeper-wary"])
        let version = try #require(catalog.family("keeper-dialogue")?.version(5))
        let wary = try #require(catalog.context("keeper-wary"))
        let text = catalog.variables(of: version).preview(overrides: wary.values).text
        #expect(page.contains("<figcaption>context keeper-wary <small>\(text.count) characters</small></figcaption><pre>\(HTML.escape(text))</pre>"))
        // A version that reads nothing a context fills has no context preview.
        #expect(!(try site.text("prompts/harbor-storm-arrival/v4/index.html")).contains("<figcaption>context "))
    }

    @Test func feedAndSitemap() throws {
        let feed = try site.text("feed.xml")
        #expect(count("<entry>", in: feed) == catalog.versionCount + catalog.families.flatMap(\.labels).count)
        // Atom ids are absolute IRIs: with a path for a base URL, the feed's is a URN (it was `/`).
        #expect(feed.contains("<id>urn:promptsite:site:Lanternfall%20prompt%20catalog</id>"))
        #expect(feed.contains("<id>urn:promptsite:version:harbor-storm-arrival@4</id>"))
        #expect(!feed.contains("<id>/</id>"))
        let sitemap = try site.text("sitemap.xml")
        #expect(sitemap.contains("<loc>/prompts/harbor-storm-arrival/v4/</loc>"))
        #expect(!sitemap.contains("404"))
    }

    @Test func reportsMatchTheChecks() throws {
        let report = try #require(try site.json("reports/checks.json") as? [String: Any])
        #expect(report["summary"] as? [String: Int] == ["errors": 0, "warnings": 1, "infos": 1])
        let sarif = try #require(try site.json("reports/checks.sarif") as? [String: Any])
        #expect(sarif["version"] as? String == "2.1.0")
    }

    @Test func twoBuildsAreByteIdentical() throws {
        let again = try BuiltSite.build(content: Repository.sampleContent)
        #expect(site.files() == again.files())
        for file in site.files() {
            let first = try Data(contentsOf: site.output.appendingPathComponent(file))
            let second = try Data(contentsOf: again.output.appendingPathComponent(file))
            #expect(first == second, "\(file) differs between builds")
        }
    }

    @Test func embeddedThemeMatchesTemplatesFolder() throws {
        let folder = Repository.root.appendingPathComponent("Templates")
        let enumerator = FileManager.default.enumerator(atPath: folder.path)
        var onDisk: [String: String] = [:]
        while let path = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let url = folder.appendingPathComponent(path)
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                onDisk[path] = try String(contentsOf: url, encoding: .utf8)
            }
        }
        #expect(onDisk == DefaultTheme.files, "Templates/ changed: run `make theme` to re-embed it")
    }
}
