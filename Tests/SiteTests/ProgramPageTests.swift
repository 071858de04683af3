import Foundation
import PromptCatalog
import Testing
import TestSupport
@testable import Site

private let romanticArc = Repository.pixsim7.appendingPathComponent("example_romantic_arc.json")
private let hasRomanticArc = FileManager.default.fileExists(atPath: romanticArc.path)

/// What Orrin's evening talk gives for `contexts/keeper-wary.yaml`: the conditional adds only the
/// harbor-wall line (17:00 is before the night test, no storm), the selector falls to its default.
private let waryFinalText = """
You are Orrin Vell, keeper of the Lanternfall lighthouse. You have kept the light for forty years and trust few newcomers. You speak in a curt and weathered way.
You are walking the harbor wall while the dockhands light the lanterns.
You do not trust the player yet. Keep your answers short and give nothing away about the lighthouse or the cove.
The player says: "Evening. Is the light working tonight?"
Reply as Orrin Vell in one to three sentences.
"""

@Suite struct ProgramPageTests {
    let site: BuiltSite

    init() throws { site = try BuiltSite.sample() }

    @Test func sampleProgramPageShowsThePreviewOfEachContext() throws {
        let page = try site.text("programs/keeper_evening_talk/index.html")
        let previews = preformatted(in: page)
        #expect(previews.contains(waryFinalText))
        #expect(previews.contains { $0.hasPrefix("You are Orrin Vell") && $0.contains("You are up in the lamp room") && $0.contains("confide in") })
        #expect(page.contains("keeper-wary <small><code>contexts/keeper-wary.yaml</code> · \(waryFinalText.count) characters · 4 of 4 stages produced output"))
        // Stages in order with their type, the conditions as written, selector rules and formatters.
        let order = ["<code>persona</code>", "<code>setting</code>", "<code>stance</code>", "<code>reply</code>"].map { page.range(of: $0)?.lowerBound }
        #expect(order.allSatisfy { $0 != nil } && order.compactMap { $0 } == order.compactMap { $0 }.sorted())
        #expect(page.contains("<code>world_time BETWEEN 64800 AND 86399</code>"))
        #expect(page.contains("<code>flags.storm_warning &amp;&amp; !flags.bell_repaired</code>"))
        #expect(page.contains("<code>trust</code> 40 – 69"))
        #expect(page.contains("<code>relationship_tier</code> = &quot;confidant&quot;"))
        #expect(page.contains("<span class=\"tag\">combine</span> persona, setting, stance joined by &quot;\\n&quot;"))
        #expect(page.contains("<pre class=\"json\">{\n  &quot;max_tokens&quot;: 120\n}</pre>"))
        // Paths read include the selector keys, with how each is read; every context provides them.
        #expect(page.contains("<tr id=\"var-relationship_tier\" class=\"input\"><td><code>relationship_tier</code></td><td>input</td><td>selector</td><td></td></tr>"))
        #expect(page.contains("<tr id=\"var-flags-bell_repaired\" class=\"input\"><td><code>flags.bell_repaired</code></td><td>input</td><td>condition</td><td>keeper-wary</td></tr>"))
        #expect(page.contains("<a class=\"var\" href=\"#var-npc-name\" title=\"npc.name\">{{npc.name}}</a>"))
    }

    @Test func programsIndexListsEveryProgram() throws {
        let index = try site.text("programs/index.html")
        #expect(index.contains("<a href=\"../programs/keeper_evening_talk/index.html\">keeper_evening_talk</a>"))
        #expect(index.contains("<code class=\"input required\">npc.name</code>"))
        #expect(index.contains("<code class=\"input optional\">player_input?</code>"))
        #expect(index.contains("<td>4</td>"))
        #expect(try site.text("index.html").contains("programs/index.html\">Programs</a>"))
    }

    @Test func apiListsTheProgramsWithTheirPreviews() throws {
        let root = try #require(site.json("api/v1/programs.json") as? [String: Any])
        let programs = try #require(root["programs"] as? [[String: Any]])
        #expect(programs.map { $0["id"] as? String } == ["keeper_evening_talk"])
        let program = try #require(programs.first)
        #expect(program["version"] as? String == "1.0.0")
        #expect((program["inputs"] as? [String: [String]])?["required"] == ["npc.name", "relationship_tier", "trust"])
        let stages = try #require(program["stages"] as? [[String: Any]])
        #expect(stages.map { $0["id"] as? String } == ["persona", "setting", "stance", "reply"])
        #expect(stages.map { $0["type"] as? String } == ["template", "conditional", "selector", "formatter"])
        #expect((stages[1]["conditions"] as? [String])?.contains("location.id == 'lamp_room'") == true)
        let previews = try #require(program["previews"] as? [[String: Any]])
        #expect(previews.map { $0["context"] as? String } == ["keeper-trusting", "keeper-wary"])
        #expect(previews[1]["final_text"] as? String == waryFinalText)
        #expect(program["url"] as? String == "programs/keeper_evening_talk/index.html")
    }

    @Test func everyLinkOfTheProgramPagesResolves() throws {
        let checked = try checkLinks(site, pages: ["programs/index.html", "programs/keeper_evening_talk/index.html"])
        #expect(checked > 20)
    }

    @Test(.enabled(if: hasRomanticArc, "../shared/pixsim7 is absent"))
    func romanticArcPageShowsEveryStage() throws {
        let content = try TemporaryContent()
        try content.write("programs/example_romantic_arc.json", data: Data(contentsOf: romanticArc))
        try content.write("contexts/evening.yaml", "npc.name: Mara\nrelationship_tier: friend\nchemistry: 55\n")
        let built = try BuiltSite.build(content: content.root, project: content.project)
        let json = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: romanticArc)) as? [String: Any])
        let id = try #require(json["id"] as? String)
        let stageIDs = try #require(json["stages"] as? [[String: Any]]).compactMap { $0["id"] as? String }
        #expect(stageIDs.count > 3)
        let page = try built.text("programs/\(id)/index.html")
        for stage in stageIDs { #expect(page.contains("<h3><code>\(stage)</code>"), "missing stage \(stage)") }
        #expect(page.contains("friend"))
        #expect(preformatted(in: page).contains { $0.hasPrefix("You are Mara.") })
        #expect(try built.text("programs/index.html").contains(">\(id)</a>"))
        _ = try checkLinks(built, pages: ["programs/index.html", "programs/\(id)/index.html"])
    }

    @Test func brokenConditionIsShownWithItsErrorAndDiagnostic() throws {
        let content = try TemporaryContent([
            "programs/broken.json": """
            {"id": "broken", "inputs": {"required": ["mood"]}, "stages": [
              {"id": "pick", "type": "conditional", "conditions": [
                {"test": "mood == 'calm' &&", "template": "Calm {{mood}}"},
                {"test": "mood != null", "template": "Any {{mood}}"}]}]}
            """,
            "contexts/calm.yaml": "mood: calm\n",
        ])
        let built = try BuiltSite.build(content: content.root, project: content.project)
        let page = try built.text("programs/broken/index.html")
        #expect(page.contains("<code>mood == &#39;calm&#39; &amp;&amp;</code><div class=\"parse-error\"><span class=\"badge bad\">does not parse</span>"))
        #expect(page.contains("<td><code>program-expression</code></td><td><a href=\"../../programs/index.html\">programs/broken.json:3:"))
        // The broken condition is left out of the run; the other still contributes.
        #expect(preformatted(in: page).contains("Any calm"))
        #expect(try built.text("checks/index.html").contains("href=\"../programs/index.html\">programs/broken.json:3:"))
    }

    @Test func aRaisingRunAndIndentedMetadataAreShown() throws {
        let content = try TemporaryContent([
            "programs/p.json": #"{"id": "p", "note": {"a": "x > y"}, "stages": [{"id": "s", "type": "selector", "selectors": [{"match": {"trust": {"min": 1}}, "template": "t"}], "metadata": {"hint": "a > b & c"}}]}"#,
            "contexts/text.yaml": "trust: high\n",
        ])
        let page = try BuiltSite.build(content: content.root, project: content.project).text("programs/p/index.html")
        #expect(page.contains("<span class=\"badge bad\">raises</span> PixSim7 raises TypeError here and sends no prompt: `trust` is &#39;high&#39;"))
        #expect(page.contains("<pre class=\"json\">{\n  &quot;hint&quot;: &quot;a &gt; b &amp; c&quot;\n}</pre>"))
        #expect(page.contains("<pre class=\"json\">{\n  &quot;a&quot;: &quot;x &gt; y&quot;\n}</pre>"))
        #expect(!page.contains("u003e"))
    }

    @Test func programIDsBecomeSafeDistinctFolders() {
        func program(_ id: String) -> PromptProgram? {
            ProgramLoader.parse("{\"id\": \"\(id)\", \"stages\": []}", file: "programs/\(id.count).json").program
        }
        let addresses = ProgramAddresses(["../up", "Talk", "talk", "talk", "index.html"].compactMap(program))
        #expect(addresses.pages.map(\.path) == ["programs/~2E~2E~2Fup/index.html", "programs/Talk/index.html",
                                               "programs/talk~d2/index.html", "programs/index~2Ehtml/index.html"])
    }
}

/// The text of every `<pre>` element (previews, templates) with entities decoded.
private func preformatted(in page: String) -> [String] {
    page.matches(of: /<pre>([^<]*)<\/pre>/).map { match in
        String(match.1).replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }
}

/// Checks every link of the pages (files and same-page anchors); returns how many were checked.
private func checkLinks(_ site: BuiltSite, pages: [String]) throws -> Int {
    let links = try site.linkProblems(in: pages)
    #expect(links.problems.isEmpty, "\(links.problems)")
    return links.checked
}
