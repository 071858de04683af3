import Foundation
import Testing
import TestSupport
@testable import Site

/// The suggestions page and API on the sample content (ranking itself: AnalyticsTests/SuggestionTests).
@Suite struct SuggestionPageTests {
    @Test func thePageListsEveryNodeTypeAndSceneNodeAndItsLinksResolve() throws {
        let site = try BuiltSite.sample()
        let html = try site.text("suggestions/index.html")
        for anchor in ["node-type-dialogue", "node-type-establishing_shot", "node-type-quest_trigger",
                       "scene-harbor-evening--walk", "scene-night-market--rumors", "scene-smuggler-cove--barter"] {
            #expect(html.contains("id=\"\(anchor)\""), "missing \(anchor)")
        }
        #expect(html.contains(#"<a href="../prompts/harbor-storm-arrival/v6/index.html">v6</a>"#))
        #expect(html.contains("fits tidewave&#39;s 2048-character limit") || html.contains("fits tidewave&#x27;s 2048-character limit"))
        let links = try site.linkProblems(in: ["suggestions/index.html"])
        #expect(links.problems.isEmpty, "\(links.problems)")
        #expect(links.checked > 50)
        // Reachable from the analytics pages.
        #expect(try site.text("analytics/index.html").contains(#"href="../suggestions/index.html""#))
    }

    @Test func theAPIRanksTheSampleNodeTypes() throws {
        let site = try BuiltSite.sample()
        let document = try #require(try site.json("api/v1/suggestions/node-types.json") as? [String: Any])
        let nodeTypes = try #require(document["node_types"] as? [[String: Any]])
        #expect(nodeTypes.map { $0["id"] as? String } == ["dialogue", "establishing_shot", "quest_trigger"])
        let establishing = try #require(nodeTypes[1]["suggestions"] as? [[String: Any]])
        // The three recommended families by their success lower bounds, then visual families sharing location:harbor;
        // beam-sweep and quay-stroll tie exactly and go by slug.
        #expect(establishing.prefix(5).map { $0["id"] as? String } == [
            "harbor-storm-arrival@6", "smuggler-cove-establishing@2", "night-market-stalls@3",
            "block-harbor-beam-sweep-farewell@1", "block-harbor-quay-stroll@1",
        ])
        #expect(establishing[3]["score"] as? Double == establishing[4]["score"] as? Double)
        let top = establishing[0]
        #expect(top["label"] as? String == "production")
        #expect((top["reasons"] as? [[String: Any]])?.map { $0["text"] as? String } == [
            "visual, as the node type requires", "recommended by the node type", "92.5% success (90.8–93.8%, n = 1196)",
        ])
        // Narrative families never come up for a node type that requires visual prompts.
        #expect(!establishing.contains { ($0["family"] as? String).map { ["keeper-dialogue", "smuggler-barter"].contains($0) } ?? false })
        let quest = try #require(nodeTypes[2]["suggestions"] as? [[String: Any]])
        // Both recommended; the portrait's 999 logged generations outweigh the beacon's tighter fit with no logs yet.
        #expect(quest.prefix(2).map { $0["id"] as? String } == ["lighthouse-keeper-portrait@4", "quest-beacon@1"])

        let scenes = try #require((try site.json("api/v1/suggestions/scenes.json") as? [String: Any])?["scenes"] as? [[String: Any]])
        #expect(scenes.map { $0["id"] as? String } == ["harbor-evening", "night-market", "smuggler-cove"])
        let walk = try #require((scenes[0]["nodes"] as? [[String: Any]])?.first)
        #expect(walk["provider"] as? String == "tidewave")
        let first = try #require((walk["suggestions"] as? [[String: Any]])?.first)
        #expect(first["family"] as? String == "harbor-storm-arrival" && first["current"] as? Bool == true)
    }

    @Test func namesAreEscapedAndTheOutputIsDeterministic() throws {
        let content = try TemporaryContent([
            "providers/inkwell.yaml": Fixture.provider("inkwell", limit: 500),
            "node-types/shot.yaml": "id: shot\nname: \"<b>Shot</b> & co\"\ngeneration: true\nprompt_extensions:\n  recommended_families: [quay]\n",
            "scenes/dock.yaml": "id: dock\ntitle: \"<i>Dock</i>\"\nnodes:\n  - { id: n1, type: shot, provider: inkwell, prompt: { family: quay, latest: true } }\n",
            "prompts/quay/family.yaml": "title: \"<script>alert(1)</script>\"\nprompt_type: visual\ntags: [\"<tag>\"]\n",
            "prompts/quay/v1.prompt": "---\nversion: 1\n---\nThe quay.\n",
        ])
        let site = try BuiltSite.build(content: content.root)
        let html = try site.text("suggestions/index.html")
        #expect(!html.contains("<script>alert(1)</script>") && !html.contains("<b>Shot</b>") && !html.contains("<i>Dock</i>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && html.contains("&lt;b&gt;Shot&lt;/b&gt; &amp; co"))
        let api = try site.text("api/v1/suggestions/node-types.json")
        let again = try BuiltSite.build(content: content.root)
        #expect(try again.text("api/v1/suggestions/node-types.json") == api)
        #expect(try again.text("api/v1/suggestions/scenes.json") == site.text("api/v1/suggestions/scenes.json"))
        #expect(api.contains("\"recommended by the node type\""))
    }
}
