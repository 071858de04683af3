import Checks
import Foundation
import PromptCatalog
import PromptTemplates
import Testing
import TestSupport
@testable import Site

@Suite struct PluginPageTests {
    let site: BuiltSite

    init() throws { site = try BuiltSite.sample() }

    @Test func everyNewPageExistsAndItsLinksResolve() throws {
        let pages = [
            "plugins/index.html", "plugins/quest-tracker/index.html", "plugins/lantern-style/index.html",
            "node-types/index.html", "node-types/dialogue/index.html", "node-types/establishing_shot/index.html",
            "node-types/quest_trigger/index.html", "scenes/index.html", "scenes/harbor-evening/index.html",
            "scenes/night-market/index.html", "scenes/smuggler-cove/index.html", "checks/duplicates/index.html",
        ]
        for page in pages { #expect(site.exists(page), "\(page)") }
        let links = try site.linkProblems(in: pages + ["index.html", "checks/index.html", "docs/plugin-guide.html"])
        #expect(links.problems.isEmpty, "\(links.problems)")
        #expect(links.checked > 100)
        for file in ["api/v1/scenes.json", "api/v1/scenes/harbor-evening.json", "api/v1/plugins.json", "api/v1/node-types.json",
                     "api/v1/near-duplicates.json"] {
            #expect(site.exists(file), "\(file)")
        }
        let sitemap = try site.text("sitemap.xml")
        #expect(sitemap.contains("plugins/quest-tracker/</loc>") && sitemap.contains("scenes/harbor-evening/</loc>"))
        #expect(try site.text("index.html").contains("<a href=\"plugins/index.html\">Plugins</a>"))
    }

    @Test func sceneJSONHasResolvedVersionsAndCacheScopes() throws {
        let scene = try #require(site.json("api/v1/scenes/harbor-evening.json") as? [String: Any])
        let nodes = try #require(scene["nodes"] as? [[String: Any]])
        let byID = Dictionary(uniqueKeysWithValues: nodes.map { ($0["id"] as! String, $0) })
        let walk = try #require(byID["walk"])
        #expect(walk["strategy"] as? String == "always")
        #expect(walk["cache_scope"] as? String == "none")
        #expect(walk["version"] as? String == "harbor-storm-arrival@6")
        #expect(walk["provider"] as? String == "tidewave")
        #expect((walk["variables"] as? [String: Any])?["boat_count"] as? Int == 7)
        #expect(walk["inline"] as? Bool == false)
        #expect(byID["lantern"]?["cache_scope"] as? String == "global")
        let gull = try #require(byID["gull"])
        #expect(gull["inline"] as? Bool == true)
        #expect(gull["version"] is NSNull)
        #expect(gull["length"] as? Int == "A gull glides over the harbor at dusk".count)
        // The rendered length is the one SceneRules measures: the version with the node's variables and transformers.
        let catalog = try #require(site.result.project).catalog
        let version = try #require(catalog.family("harbor-storm-arrival")?.version(6))
        var supplied = TemplateValues()
        supplied.set(.int(7), at: VariablePath("boat_count"))
        let expected = catalog.variables(of: version, nodeType: "establishing_shot").preview(overrides: supplied).text
        #expect(expected.hasPrefix("Painterly, "))
        #expect(walk["length"] as? Int == expected.count)
        #expect(walk["limit"] as? Int == catalog.provider("tidewave")?.promptLimit)

        let index = try #require(site.json("api/v1/scenes.json") as? [String: Any])
        #expect((index["scenes"] as? [[String: Any]])?.map { $0["id"] as? String } == ["harbor-evening", "night-market", "smuggler-cove"])
    }

    @Test func scenePageShowsEveryNode() throws {
        let page = try site.text("scenes/harbor-evening/index.html")
        #expect(page.contains("<tr id=\"node-walk\">"))
        #expect(page.contains("<td class=\"cache-scope\">none</td>"))
        #expect(page.contains("<td class=\"cache-scope\">global</td>"))
        #expect(page.contains("<a href=\"../../prompts/harbor-storm-arrival/v6/index.html\">harbor-storm-arrival@6</a>"))
        #expect(page.contains("<a href=\"../../node-types/establishing_shot/index.html\">establishing_shot</a>"))
        #expect(page.contains("<span class=\"badge warn\">inline</span> A gull glides over the harbor at dusk"))
        #expect(page.contains("<code>boat_count</code> = 7"))
        #expect(page.contains("inline-prompt"))
        // `generation` is the built-in type, not a missing node type.
        #expect(!page.contains("generation</span> <span class=\"badge warn\">missing"))
    }

    @Test func dashboardCountsVersionedGenerationNodes() throws {
        // Counted from the scene files: every node with a prompt, and those that are not inline.
        let scenes = try FileManager.default.contentsOfDirectory(at: Repository.sampleContent.appendingPathComponent("scenes"),
                                                                 includingPropertiesForKeys: nil)
        var total = 0, inline = 0
        for file in scenes where file.pathExtension == "yaml" {
            let text = try String(contentsOf: file, encoding: .utf8)
            total += count("prompt: {", in: text)
            inline += count("prompt: { inline:", in: text)
        }
        #expect(total == 9 && inline == 1)
        let dashboard = try site.text("index.html")
        #expect(dashboard.contains("<a href=\"scenes/index.html\"><strong>\(total - inline) of \(total)</strong> generation nodes</a> reference a versioned prompt (89%); 1 inline."))
        #expect(try site.text("scenes/index.html").contains("<strong>8 of 9</strong> generation nodes reference a versioned prompt (89%); 1 inline."))
    }

    @Test func pluginPageListsVariablesRulesAndFamilies() throws {
        let page = try site.text("plugins/quest-tracker/index.html")
        #expect(page.contains("<td><code>{{quest.stage}}</code></td><td>int</td><td>0 – 9</td><td><code>2</code></td>"))
        #expect(page.contains("<td><code>{{quest.giver}}</code></td><td>string</td><td>≤ 30 characters</td>"))
        #expect(page.contains("<code>no-modern-tech</code>"))
        #expect(page.contains("must not contain “smartphone”, “laptop”, “neon sign”"))
        #expect(page.contains("the template must use {{quest.stage}}</td><td>families for node type quest_trigger</td>"))
        #expect(page.contains("replace /\\s{2,}/ with “ ”"))
        #expect(page.contains("<a href=\"../../node-types/quest_trigger/index.html\">quest_trigger</a>"))
        #expect(page.contains("<h1>Quest Tracker</h1>"), "the README is rendered")
        #expect(page.contains("applies to every family (\(site.result.project!.catalog.families.count))"))
        let lantern = try site.text("plugins/lantern-style/index.html")
        // lantern-style's rules are scoped to visual prompts (and a tag), so its families are listed.
        #expect(lantern.contains("<a href=\"../../prompts/harbor-storm-arrival/index.html\">harbor-storm-arrival</a>"))
        #expect(!lantern.contains("<a href=\"../../prompts/keeper-dialogue/index.html\">"))
        #expect(lantern.contains("prepend “Painterly, ”</td><td>visual prompts</td>"))
        let index = try site.text("plugins/index.html")
        #expect(index.contains("<a href=\"quest-tracker/index.html\">Quest Tracker</a>") || index.contains("<a href=\"../plugins/quest-tracker/index.html\">Quest Tracker</a>"))
        #expect(index.contains("<a href=\"../docs/plugin-guide.html\">plugin guide</a>"))
        let api = try #require(site.json("api/v1/plugins.json") as? [String: Any])
        let plugins = try #require(api["plugins"] as? [[String: Any]])
        #expect(plugins.map { $0["id"] as? String } == ["lantern-style", "quest-tracker"])
    }

    @Test func nodeTypePageLinksPluginFamiliesAndSceneNodes() throws {
        let page = try site.text("node-types/quest_trigger/index.html")
        #expect(page.contains("<a href=\"../../plugins/quest-tracker/index.html\">quest-tracker</a>"))
        #expect(page.contains("<a href=\"../../prompts/lighthouse-keeper-portrait/index.html\">lighthouse-keeper-portrait</a>"))
        #expect(page.contains("<a href=\"../../scenes/harbor-evening/index.html#node-beacon\">harbor-evening / beacon</a>"))
        #expect(page.contains("<a href=\"../../prompts/quest-beacon/index.html\">quest-beacon</a>"))
        #expect(page.contains("<dt>Required prompt type</dt><dd>visual</dd>"))
        #expect(page.contains("<a href=\"../../suggestions/index.html#node-type-quest_trigger\">Suggested families for this node type</a>"))
        #expect(try site.text("suggestions/index.html").contains("id=\"node-type-quest_trigger\""))
        let dialogue = try site.text("node-types/dialogue/index.html")
        #expect(dialogue.contains("<a href=\"../../prompts/keeper-dialogue/index.html\">keeper-dialogue</a>"))
        let api = try #require(site.json("api/v1/node-types.json") as? [String: Any])
        let types = try #require(api["node_types"] as? [[String: Any]])
        #expect(types.first { $0["id"] as? String == "quest_trigger" }?["plugin"] as? String == "quest-tracker")
    }

    @Test func versionWithPoolsShowsItsVariations() throws {
        let content = try TemporaryContent([
            "providers/inkwell.yaml": Fixture.provider("inkwell", limit: 10),
            "prompts/pools/family.yaml": Fixture.family(),
            "prompts/pools/v1.prompt": Fixture.version("""
            version: 1
            strategies: [always]
            randomization:
              a: [x, yyyy]
              b: [zz, w, qqq]
            """, "{{a}} and {{b}}"),
        ])
        let built = try BuiltSite.build(content: content.root)
        let page = try built.text("prompts/pools/v1/index.html")
        // 2 × 3 draws; shortest "x and w" (7), longest "yyyy and qqq" (12), over inkwell's 10 only at the long end.
        #expect(page.contains("make <strong>6</strong> variations"))
        #expect(page.contains("Lengths range from 7 (every pool at its shortest value) to 12 characters"))
        #expect(page.contains("<td>10</td><td>7</td><td>12</td><td><span class=\"badge warn\">longest over</span>"))
        #expect(!(try site.text("prompts/keeper-dialogue/v1/index.html")).contains("id=\"variations\""))
    }

    @Test func nearIdenticalFamiliesListEachOtherAsSimilar() throws {
        let words = "the old lighthouse keeper climbs the spiral stairs at dusk carrying a brass lamp while gulls circle the tower and waves break on the black rocks below the harbor lights flicker one by one across the quiet water"
        let content = try TemporaryContent([
            "providers/inkwell.yaml": Fixture.provider("inkwell", limit: 2000),
            "prompts/keeper-a/family.yaml": Fixture.family(title: "Keeper A"),
            "prompts/keeper-a/v1.prompt": Fixture.version("version: 1", words),
            "prompts/keeper-b/family.yaml": Fixture.family(title: "Keeper B"),
            "prompts/keeper-b/v1.prompt": Fixture.version("version: 1", words.replacingOccurrences(of: "brass lamp", with: "copper lamp")),
        ])
        let built = try BuiltSite.build(content: content.root)
        let project = try #require(built.result.project)
        let cluster = try #require(project.similar.clusters.first)
        #expect(cluster.members.map(\.name) == ["keeper-a@1", "keeper-b@1"])
        let nearest = try #require(project.similar.mostSimilar(to: cluster.members[0].kind).first)
        let percent = Int((nearest.similarity * 100).rounded())
        #expect(percent >= 85 && percent < 100)
        let a = try built.text("prompts/keeper-a/v1/index.html")
        let b = try built.text("prompts/keeper-b/v1/index.html")
        #expect(a.contains("<tr><td><a href=\"../../../prompts/keeper-b/v1/index.html\">keeper-b@1</a></td><td>version</td><td>\(percent)%</td></tr>"))
        #expect(b.contains("<tr><td><a href=\"../../../prompts/keeper-a/v1/index.html\">keeper-a@1</a></td><td>version</td><td>\(percent)%</td></tr>"))
        let report = try built.text("checks/duplicates/index.html")
        #expect(report.contains("<td>keeper-b@1 \(percent)%</td>"))
        #expect(report.contains("<section id=\"cluster-1\" class=\"cluster\">"))
        #expect(a.contains("Part of near-duplicate <a href=\"../../../checks/duplicates/index.html#cluster-1\">cluster 1 (2 prompts)</a>"))
        #expect(report.contains("<code>similarity.threshold</code>"))
        #expect(try built.text("checks/index.html").contains("<a href=\"duplicates/index.html\">Near-duplicates</a>"))
        let api = try #require(built.json("api/v1/near-duplicates.json") as? [String: Any])
        let clusters = try #require(api["clusters"] as? [[String: Any]])
        #expect(clusters.count == 1)
        #expect(clusters.first?["size"] as? Int == 2)
        #expect(clusters.first?["reported"] as? Bool == true)
        #expect(try built.linkProblems(in: ["checks/duplicates/index.html", "prompts/keeper-a/v1/index.html"]).problems.isEmpty)
    }

    /// A scene links to its section of the suggestions page only when that page has one: a
    /// scene with no generation node (none at all, or only player choices) had a dead link.
    @Test func sceneSuggestionLinksLeadSomewhere() throws {
        let content = try TemporaryContent([
            "node-types/choice.yaml": "id: choice\nname: Player choice\ngeneration: false\n",
            "scenes/crossroads.yaml": "id: crossroads\ntitle: Crossroads\nnodes:\n  - id: pick\n    type: choice\n",
            "scenes/draft.yaml": "id: draft\ntitle: Draft\nnodes: []\n",
        ])
        let site = try BuiltSite.build(content: content.root)
        for scene in ["crossroads", "draft"] {
            #expect(try !site.text("scenes/\(scene)/index.html").contains("Suggested families"))
        }
        #expect(try site.linkProblems().problems == [])
    }

    @Test func hostilePluginsNodeTypesAndScenesAreEscaped() throws {
        let evil = "<script>alert(1)</script>"
        let content = try TemporaryContent([
            "providers/inkwell.yaml": Fixture.provider("inkwell"),
            "plugins/evil/plugin.yaml": """
            id: evil
            name: '\(evil)'
            description: '<img src=x onerror=alert(2)>'
            variables:
              scope: ev
              vars:
                x: { type: string, max_length: 5, example: '\(evil)' }
            validators:
              - { id: '\(evil)', level: warning, forbid: ['\(evil)'] }
            transformers:
              - { append: '\(evil)' }
            node_types: ['\(evil)']
            docs: README.md
            """,
            "plugins/evil/README.md": "# Evil\n\n<script>alert(3)</script>\n\n[x](javascript:alert(4))\n",
            "node-types/evil.yaml": "id: evil\nname: '\(evil)'\nplugin: '\(evil)'\ngeneration: true\n",
            "scenes/evil.yaml": """
            id: evil
            title: '\(evil)'
            nodes:
              - { id: '"><script>alert(5)</script>', type: '\(evil)', provider: inkwell, prompt: { inline: '\(evil)' } }
            """,
        ])
        let built = try BuiltSite.build(content: content.root)
        let pages = ["plugins/index.html", "plugins/evil/index.html", "node-types/index.html", "node-types/evil/index.html",
                     "scenes/index.html", "scenes/evil/index.html"]
        for page in pages {
            let html = try built.text(page)
            #expect(count("<script", in: html) == 1, "\(page) has a script tag from content")
            #expect(!html.contains("<img"), "\(page)")
            #expect(!html.contains("href=\"javascript:"), "\(page)")
        }
        #expect(try built.text("plugins/evil/index.html").contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        for file in ["api/v1/plugins.json", "api/v1/scenes/evil.json", "api/v1/node-types.json"] {
            #expect(!(try built.text(file)).contains("<script"), "\(file)")
        }
        // cmark's safe mode blanks the README's `javascript:` link to `href=""`, as on docs pages.
        #expect(try built.linkProblems(in: pages).problems.filter { !$0.contains("link ``") }.isEmpty)
    }
}
