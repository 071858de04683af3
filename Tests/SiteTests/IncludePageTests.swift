import Foundation
import PromptCatalog
import Testing
import TestSupport
@testable import Site

@Suite struct IncludePageTests {
    let content: TemporaryContent
    let site: BuiltSite

    init() throws {
        content = try TemporaryContent([
            "providers/inkwell.yaml": Fixture.provider("inkwell", limit: 100),
            "prompts/style/family.yaml": Fixture.family(title: "Style", type: "snippet", extra: "labels:\n  production: 1"),
            "prompts/style/v1.prompt": Fixture.version("version: 1", "Soft light."),
            "prompts/lonely/family.yaml": Fixture.family(title: "Lonely", type: "snippet"),
            "prompts/lonely/v1.prompt": Fixture.version("version: 1", "Nobody includes me."),
            "prompts/walk/family.yaml": Fixture.family(title: "Walk"),
            "prompts/walk/v1.prompt": Fixture.version("version: 1\nvariables:\n  lead: { type: string, max_length: 20 }\nexamples:\n  - { name: e, vars: { lead: Mara } }",
                                                      "{{lead}} walks. {{> style@production}}"),
            "prompts/scene/family.yaml": Fixture.family(title: "Scene"),
            "prompts/scene/v1.prompt": Fixture.version("version: 1\nvariables:\n  lead: { type: string, max_length: 20 }\nexamples:\n  - { name: e, vars: { lead: Ana } }",
                                                       "Dusk. {{> walk@1}}"),
        ])
        site = try BuiltSite.build(content: content.root, project: content.project)
    }

    @Test func versionPageShowsIncludesComposedTextAndPreview() throws {
        let page = try site.text("prompts/scene/v1/index.html")
        #expect(page.contains("<tr><td><code>{{&gt; walk@1}}</code></td><td><a href=\"../../../prompts/walk/v1/index.html\">walk@1</a></td><td>1</td></tr>"))
        #expect(page.contains("<tr><td><code>{{&gt; style@production}}</code></td><td><a href=\"../../../prompts/style/v1/index.html\">style@1</a></td><td>2 <small>in walk@1</small></td></tr>"))
        #expect(page.contains("<pre class=\"template composed\">Dusk. {{lead}} walks. Soft light.</pre>"))
        #expect(page.contains("<pre>Dusk. Ana walks. Soft light.</pre>"))
        #expect(page.contains("<span class=\"include\" title=\"includes walk@1\">{{&gt; walk@1}}</span>"))
    }

    @Test func snippetPageListsIncludersDirectAndTransitive() throws {
        let page = try site.text("prompts/style/v1/index.html")
        #expect(page.contains("<li><a href=\"../../../prompts/walk/v1/index.html\">walk@1</a> <small>directly</small></li>"))
        #expect(page.contains("<li><a href=\"../../../prompts/scene/v1/index.html\">scene@1</a> <small>through 2 includes</small></li>"))
        #expect(!page.contains("<h3>Includes</h3>"))
    }

    @Test func familyPageOfASnippetHasTheIncludeGraph() throws {
        let page = try site.text("prompts/style/index.html")
        #expect(page.contains("<section id=\"included-by\">"))
        #expect(page.contains("data-from=\"walk@1\" data-to=\"style@1\""))
        #expect(page.contains("data-from=\"scene@1\" data-to=\"walk@1\""))
        #expect(page.contains("<g class=\"node depth-2\" data-version=\"scene@1\"><a href=\"../../prompts/scene/v1/index.html\">"))
        #expect(try site.text("prompts/lonely/index.html").contains("no prompt includes it yet"))
        #expect(try !site.text("prompts/scene/index.html").contains("included-by"))
    }

    @Test func includesAPIListsEdgesIncludersAndComposedText() throws {
        let document = try #require(site.json("api/v1/includes.json") as? [String: Any])
        let versions = try #require(document["versions"] as? [[String: Any]])
        #expect(versions.map { $0["id"] as? String } == ["scene@1", "style@1", "walk@1"])
        let walk = versions[2]
        #expect((walk["includes"] as? [[String: String]]) == [["written": "{{> style@production}}", "target": "style@production", "version": "style@1"]])
        let includers = { (entry: [String: Any]) in (entry["included_by"] as? [[String: Any]] ?? []).map { "\($0["id"] ?? "") at \($0["depth"] ?? "")" } }
        #expect(includers(walk) == ["scene@1 at 1"])
        #expect(walk["composed"] as? String == "{{lead}} walks. Soft light.")
        #expect(includers(versions[1]) == ["walk@1 at 1", "scene@1 at 2"])
    }

    @Test func snippetsAreNotMeasuredOnProviders() throws {
        let page = try site.text("prompts/style/v1/index.html")
        #expect(!page.contains("<tr class=\"ok\"><td><a href=\"../../../providers/inkwell/index.html\">inkwell</a>"))
        #expect(try site.text("prompts/walk/v1/index.html").contains("<tr class=\"ok\"><td><a href=\"../../../providers/inkwell/index.html\">inkwell</a></td><td>100</td><td>23</td><td>39</td>"))
    }

    @Test func aLargeGraphShowsFortyPerColumnAndCountsTheRest() throws {
        var files = ["prompts/style/family.yaml": Fixture.family(type: "snippet"), "prompts/style/v1.prompt": Fixture.version("version: 1", "Soft.")]
        for index in 0..<45 {
            files["prompts/f\(index)/family.yaml"] = Fixture.family()
            files["prompts/f\(index)/v1.prompt"] = Fixture.version("version: 1", "Walk. {{> style}}")
        }
        let content = try TemporaryContent(files)
        let catalog = CatalogLoader.load(contentDirectory: content.root).catalog
        let svg = IncludeGraphSVG.render(family: try #require(catalog.family("style")), graph: catalog.includeGraph) { "\($0).html" }
        #expect(svg.components(separatedBy: "<g class=\"node depth-1\"").count - 1 == 40)
        #expect(svg.contains(">… and 5 more</text>"))
        #expect(svg.contains("aria-label=\"Prompts that include style: 45\""))
        #expect(svg.components(separatedBy: "<path class=\"edge\"").count - 1 == 40)
    }
}
