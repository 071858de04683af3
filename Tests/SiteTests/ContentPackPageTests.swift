import Foundation
import PromptCatalog
import Testing
import TestSupport
@testable import Site

@Suite struct ContentPackPageTests {
    let content: TemporaryContent
    let site: BuiltSite

    init() throws {
        var files = ContentPackFixture.files
        files["providers/inkwell.yaml"] = Fixture.provider("inkwell", limit: 100)
        content = try TemporaryContent(files)
        site = try BuiltSite.build(content: content.root, project: content.project)
    }

    @Test func indexListsEveryPack() throws {
        let page = try site.text("content-packs/index.html")
        #expect(page.contains("<tr><td><a href=\"../content-packs/prompt/lantern_scenes/index.html\">lantern_scenes</a><br><small>Lantern Scenes</small></td><td>prompt</td>"
            + "<td>Harbor lighting and camera for the lantern festival.</td><td>8</td><td>1</td></tr>"))
        #expect(page.contains("<tr><td><a href=\"../content-packs/primitives/harbor_moods/index.html\">harbor_moods</a></td><td>primitives</td><td>Harbor moods</td><td>2</td><td>0</td></tr>"))
        #expect(try site.text("action-blocks/index.html").contains("<a href=\"../content-packs/index.html\">Content packs</a>"))
    }

    @Test func packPageShowsManifestMatrixBlocksAndTemplates() throws {
        let page = try site.text("content-packs/prompt/lantern_scenes/index.html")
        #expect(page.contains("<dt>title</dt><dd>Lantern Scenes</dd>"))
        // Matrix "Light by variant": rows by tag:modifier_family, columns by tag:variant, blocks of package lantern_scenes.
        #expect(page.contains("<thead><tr><th></th><th>amber</th><th>teal</th><th>festival</th><th>pan_left</th><th>hold</th><th>pier_end</th><th>boathouse</th><th>—</th></tr></thead>"))
        #expect(page.contains("<tr><th>lantern_light</th><td><a href=\"../../../content-packs/prompt/lantern_scenes/blocks/lantern.light.glow.amber/index.html\">amber</a> </td>"
            + "<td><a href=\"../../../content-packs/prompt/lantern_scenes/blocks/lantern.light.glow.teal/index.html\">teal</a> </td><td><a href=\"../../../content-packs/prompt/lantern_scenes/blocks/lantern.special.festival_glow/index.html\">festival</a> </td>"
            + "<td></td><td></td><td></td><td></td><td></td></tr>"))
        #expect(page.contains("<tr><td><a href=\"../../../content-packs/prompt/lantern_scenes/templates/lantern-harbor-shot/index.html\">lantern-harbor-shot</a></td><td>Lantern harbor shot</td><td>4</td><td>24</td></tr>"))
        #expect(page.contains("<tr><td><a href=\"../../../content-packs/prompt/lantern_scenes/blocks/lantern.camera.drift.hold/index.html\">lantern.camera.drift.hold</a></td><td>camera</td><td>Camera drift.</td><td>13</td></tr>"))
    }

    @Test func blockPageShowsTextTagsAndSlots() throws {
        let page = try site.text("content-packs/prompt/lantern_scenes/blocks/lantern.camera.drift.pan_left/index.html")
        #expect(page.contains("<pre class=\"prompt\">A slow camera drift to the left.</pre>"))
        #expect(page.contains("<dt>vertical_angle</dt><dd>eye</dd>"))
        #expect(page.contains("<li><a href=\"../../../../../content-packs/prompt/lantern_scenes/templates/lantern-harbor-shot/index.html\">lantern-harbor-shot · camera</a></li>"))
    }

    @Test func templatePageShowsSlotsCompositionsAndLimits() throws {
        let page = try site.text("content-packs/prompt/lantern_scenes/templates/lantern-harbor-shot/index.html")
        #expect(page.contains("<td>category light, all {modifier_family: lantern_light}, not {light_temperature: cool}</td><td>2: "
            + "<a href=\"../../../../../content-packs/prompt/lantern_scenes/blocks/lantern.light.glow.amber/index.html\">lantern.light.glow.amber</a> "
            + "<a href=\"../../../../../content-packs/prompt/lantern_scenes/blocks/lantern.special.festival_glow/index.html\">lantern.special.festival_glow</a> </td>"))
        #expect(page.contains("<h3>Shortest (83 characters)</h3>"))
        #expect(page.contains("<h3>Longest (129 characters)</h3>"))
        #expect(page.contains("<tr><td>inkwell</td><td>100</td><td>fits</td><td><span class=\"badge warn\">over</span></td></tr>"))
        #expect(page.contains("<pre class=\"prompt\">A plain stone quay.\nLantern light: amber glow.\nCamera drift.\nHushed harbor at dusk.</pre>"))
    }

    @Test func apiListsBlocksAndTemplates() throws {
        let document = try #require(try site.json("api/v1/content-packs.json") as? [String: Any])
        let blocks = try #require(document["blocks"] as? [[String: Any]])
        #expect(blocks.count == 10)
        let hush = try #require(blocks.first { $0["block_id"] as? String == "harbor.mood.hush" })
        #expect(hush["pack"] as? String == "harbor_moods")
        #expect(hush["category"] as? String == "mood")
        #expect(hush["text"] as? String == "Hushed harbor at dusk.")
        #expect((hush["tags"] as? [String: String])?["loop"] == "True")
        let templates = try #require(document["templates"] as? [[String: Any]])
        #expect(templates.count == 1)
        #expect(templates[0]["slug"] as? String == "lantern-harbor-shot")
        #expect(templates[0]["combinations"] as? Int == 24)
        let slots = try #require(templates[0]["slots"] as? [[String: Any]])
        #expect(slots.map { $0["candidates"] as? Int } == [3, 2, 2, 2])
    }

    @Test func diagnosticsInPackFilesLinkToThePackPage() {
        #expect(SitePaths.page(for: "content-packs/prompt/lantern_scenes/blocks/harbor/dock.schema.yaml") == "content-packs/prompt/lantern_scenes/index.html")
        #expect(SitePaths.page(for: "content-packs/primitives/harbor_moods/blocks/mood.yaml") == "content-packs/primitives/harbor_moods/index.html")
        #expect(SitePaths.page(for: "content-packs/other/x/schema.yaml") == nil)
    }

    @Test func aSiteWithoutPacksSaysSo() throws {
        let plain = try TemporaryContent(["providers/inkwell.yaml": Fixture.provider("inkwell")])
        let built = try BuiltSite.build(content: plain.root, project: plain.project)
        #expect(try built.text("content-packs/index.html").contains("<p class=\"empty\">No content packs in this repository.</p>"))
        #expect(built.files().filter { $0.hasPrefix("content-packs/") } == ["content-packs/index.html"])
        let document = try #require(try built.json("api/v1/content-packs.json") as? [String: [Any]])
        #expect(document.mapValues(\.count) == ["packs": 0, "blocks": 0, "templates": 0])
    }
}
