import Analytics
import Foundation
import PromptCatalog
import Testing
import TestSupport

/// Suggestions on a small repository whose order is worked out by hand from the scoring
/// documented on `Suggestion` (fit weights, 0.6 × fit + 0.4 × Wilson lower bound):
///
/// | family  | type      | for establishing_shot                              | logs          |
/// |---------|-----------|----------------------------------------------------|---------------|
/// | beacon  | visual    | recommended, lists it, tags location:harbor        | 190/200 (inkwell) |
/// | anchor  | visual    | recommended, lists it                              | 10/40         |
/// | quay    | visual    | lists it, tags location:harbor                     | none          |
/// | tower   | visual    | tags location:harbor, long text (lists generation) | none          |
/// | chatter | narrative | lists it (wrong type: excluded)                    |               |
/// | retired | visual    | recommended but inactive (excluded)                |               |
@Suite struct SuggestionTests {
    static let tower = String(repeating: "A lighthouse tower over the harbor in a storm. ", count: 4)

    static func records(_ version: String, successes: Int, failures: Int, provider: String = "inkwell") -> [String] {
        (0..<(successes + failures)).map { index in
            let status = index < successes ? "success" : "failed"
            return #"{"version":"\#(version)","provider":"\#(provider)","status":"\#(status)","error":null,"latency_ms":4000,"cost":0.1,"created_at":"2026-11-01T10:00:00Z"}"#
        }
    }

    static func files(logs: Bool) -> [String: String] {
        var files = [
            "providers/inkwell.yaml": Fixture.provider("inkwell", limit: 120),
            "node-types/establishing_shot.yaml": """
                id: establishing_shot
                name: Establishing shot
                generation: true
                prompt_extensions:
                  recommended_families: [beacon, anchor, retired]
                  required_prompt_type: visual
                """,
            "scenes/harbor.yaml": """
                id: harbor
                title: The harbor
                nodes:
                  - { id: shot, type: establishing_shot, provider: inkwell, prompt: { family: beacon, label: production } }
                  - { id: talk, type: dialogue, provider: inkwell, prompt: { family: chatter, latest: true } }
                  - { id: gull, type: generation, prompt: { inline: "A gull over the harbor" } }
                """,
            "prompts/beacon/family.yaml": "title: Beacon\nprompt_type: visual\ntags: [location:harbor, mood:calm]\nnode_types: [establishing_shot]\nlabels: { production: 1 }\n",
            "prompts/beacon/v1.prompt": "---\nversion: 1\n---\nThe harbor beacon at dusk.\n",
            "prompts/beacon/v2.prompt": "---\nversion: 2\nparent: 1\n---\nThe harbor beacon at dusk, gulls circling.\n",
            "prompts/anchor/family.yaml": "title: Anchor\nprompt_type: visual\ntags: [mood:stormy]\nnode_types: [establishing_shot]\n",
            "prompts/anchor/v1.prompt": "---\nversion: 1\n---\nAn anchor in heavy surf.\n",
            "prompts/quay/family.yaml": "title: Quay\nprompt_type: visual\ntags: [location:harbor]\nnode_types: [establishing_shot]\n",
            "prompts/quay/v1.prompt": "---\nversion: 1\n---\nThe quay at noon.\n",
            "prompts/tower/family.yaml": "title: Tower\nprompt_type: visual\ntags: [location:harbor]\nnode_types: [generation]\n",
            "prompts/tower/v1.prompt": "---\nversion: 1\n---\n\(tower)\n",
            "prompts/chatter/family.yaml": "title: Chatter\nprompt_type: narrative\ntags: [location:harbor, llm]\nnode_types: [establishing_shot, dialogue]\n",
            "prompts/chatter/v1.prompt": "---\nversion: 1\n---\nGossip on the quay.\n",
            "prompts/retired/family.yaml": "title: Retired\nprompt_type: visual\ntags: [prop]\nactive: false\n",
            "prompts/retired/v1.prompt": "---\nversion: 1\n---\nAn old bell.\n",
        ]
        if logs {
            files["logs/a.jsonl"] = (records("beacon@1", successes: 190, failures: 10) + records("anchor@1", successes: 10, failures: 30))
                .joined(separator: "\n") + "\n"
        }
        return files
    }

    struct Loaded {
        let content: TemporaryContent
        let catalog: Catalog
        let report: AnalyticsReport?
    }

    func load(logs: Bool = true, minSamples: Int = 30) throws -> Loaded {
        let content = try TemporaryContent(Self.files(logs: logs))
        let catalog = CatalogLoader.load(contentDirectory: content.root).catalog
        let report = logs ? AnalyticsReport(LogIngestion.ingest(catalog.logFiles), catalog: catalog, minSamples: minSamples, confidence: 0.95) : nil
        return Loaded(content: content, catalog: catalog, report: report)
    }

    func forNodeType(_ loaded: Loaded, minSamples: Int = 30) throws -> [Suggestion] {
        let nodeType = try #require(loaded.catalog.nodeType("establishing_shot"))
        return Suggestions.forNodeType(nodeType, catalog: loaded.catalog, analytics: loaded.report, minSamples: minSamples)
    }

    func forShot(_ loaded: Loaded) throws -> [Suggestion] {
        let scene = try #require(loaded.catalog.scene("harbor"))
        let node = try #require(scene.nodes.first { $0.id == "shot" })
        return Suggestions.forSceneNode(node, scene: scene, catalog: loaded.catalog, analytics: loaded.report, minSamples: 30)
    }

    @Test func aRecommendedFamilyWithAGreatRateComesFirstAndTheWrongTypeIsExcluded() throws {
        let suggestions = try forNodeType(try load())
        #expect(suggestions.map(\.family) == ["beacon", "anchor", "quay", "tower"])
        let beacon = suggestions[0]
        #expect(beacon.version == 1 && beacon.label == "production")
        #expect(beacon.reasons.map(\.text) == [
            "visual, as the node type requires", "recommended by the node type", "lists establishing_shot in node_types",
            "95.0% success (91.0–97.3%, n = 200)",
        ])
        #expect(beacon.fit == 0.8)
        #expect(abs(beacon.score - (0.6 * 0.8 + 0.4 * 0.9104218518612239)) < 1e-6)
        #expect(abs(beacon.performance! - 0.910422) < 1e-6)
        // anchor is as fit as beacon, but 10 of 40 succeeded: its lower bound (14.2%) pulls it down.
        #expect(abs(suggestions[1].score - (0.48 + 0.4 * 0.14187118639096302)) < 1e-6)
        #expect(suggestions[1].reasons.last == SuggestionReason(.negative, "25.0% success (14.2–40.2%, n = 40)"))
        // quay: not recommended, shares location:harbor with beacon; no logs, so performance is neutral.
        #expect(suggestions[2].reasons.map(\.text) == [
            "visual, as the node type requires", "lists establishing_shot in node_types", "shares tags location:harbor", "no generations logged",
        ])
        #expect(suggestions[2].version == 1 && suggestions[2].label == nil && suggestions[2].performance == nil)
        #expect(abs(suggestions[2].score - (0.6 * 0.45 + 0.2)) < 1e-6)
        // tower lists only `generation`, which a declared node type does not count.
        #expect(suggestions[3].reasons.map(\.text) == ["visual, as the node type requires", "shares tags location:harbor", "no generations logged"])
        // Confidence grows with the samples behind the performance.
        #expect(abs(beacon.confidence - (0.5 + 0.5 * 200 / 230)) < 1e-6)
        #expect(beacon.confidence > suggestions[1].confidence && suggestions[1].confidence > suggestions[2].confidence)
        #expect(suggestions[2].confidence == 0.5)
    }

    @Test func aSceneNodeWeighsItsProviderLimitAndItsScene() throws {
        let suggestions = try forShot(try load())
        #expect(suggestions.map(\.family) == ["beacon", "anchor", "quay", "tower"])
        let beacon = suggestions[0]
        let length = "The harbor beacon at dusk.".count
        #expect(beacon.reasons.map(\.text) == [
            "visual, as the node type requires", "recommended by the node type", "lists establishing_shot in node_types",
            // chatter, on the scene's other node, is tagged location:harbor too.
            "shares tags location:harbor", "fits inkwell's 120-character limit (worst case \(length))",
            "95.0% success on inkwell (91.0–97.3%, n = 200)", "used by this node now",
        ])
        #expect(beacon.isCurrent && !suggestions[1].isCurrent)
        #expect(abs(beacon.score - (0.6 * 0.9 + 0.4 * 0.9104218518612239)) < 1e-6)
        let tower = suggestions[3]
        #expect(tower.fit == 0)
        #expect(tower.reasons.contains(SuggestionReason(.negative, "over inkwell's 120-character limit (example \(Self.tower.count))")))
        #expect(tower.reasons.allSatisfy { $0.effect != .negative || $0.text.hasPrefix("over inkwell") })
    }

    @Test func aPlainGenerationNodeCountsGenerationInNodeTypesAndTheScenesTags() throws {
        let loaded = try load()
        let scene = try #require(loaded.catalog.scene("harbor"))
        let gull = try #require(scene.nodes.first { $0.id == "gull" })
        let suggestions = Suggestions.forSceneNode(gull, scene: scene, catalog: loaded.catalog, analytics: loaded.report, minSamples: 30)
        // No required type here, so the narrative chatter is a candidate; anchor shares nothing and is left out.
        #expect(suggestions.map(\.family) == ["beacon", "tower", "chatter", "quay"])
        #expect(suggestions[1].reasons.map(\.text) == ["lists generation in node_types", "shares tags location:harbor", "no generations logged"])
        #expect(suggestions.allSatisfy { !$0.isCurrent })
    }

    @Test func withoutLogsTheOrderIsFitAloneAndTiesGoToTheSmallerSlug() throws {
        let suggestions = try forNodeType(try load(logs: false))
        // anchor and beacon have the same fit (0.8): the slug decides.
        #expect(suggestions.map(\.family) == ["anchor", "beacon", "quay", "tower"])
        #expect(suggestions[0].score == suggestions[1].score)
        #expect(suggestions.map(\.score) == suggestions.map { 0.6 * $0.fit + 0.2 }.map { ($0 * 1_000_000).rounded() / 1_000_000 })
        #expect(suggestions.allSatisfy { $0.performance == nil && $0.reasons.last?.text == "no generations logged" })
        let scene = try forShot(try load(logs: false))
        #expect(scene.map(\.family) == ["beacon", "anchor", "quay", "tower"])
    }

    @Test func tooFewSamplesLeavePerformanceNeutral() throws {
        let suggestions = try forNodeType(try load(minSamples: 50), minSamples: 50)
        let anchor = try #require(suggestions.first { $0.family == "anchor" })
        #expect(anchor.performance == nil)
        #expect(anchor.reasons.last?.text == "40 decided generations, fewer than 50: performance not counted")
        #expect(abs(anchor.score - (0.48 + 0.2)) < 1e-6)
        #expect(suggestions.map(\.family) == ["beacon", "anchor", "quay", "tower"])
    }

    @Test func aNodeThatGeneratesNothingHasNoSuggestions() throws {
        let content = try TemporaryContent([
            "scenes/s.yaml": "id: s\ntitle: S\nnodes:\n  - { id: door, type: trigger }\n",
            "prompts/a/family.yaml": "title: A\nprompt_type: visual\nnode_types: [trigger]\n",
            "prompts/a/v1.prompt": "---\nversion: 1\n---\nA door.\n",
        ])
        let catalog = CatalogLoader.load(contentDirectory: content.root).catalog
        let scene = try #require(catalog.scene("s"))
        #expect(Suggestions.forSceneNode(scene.nodes[0], scene: scene, catalog: catalog, analytics: nil, minSamples: 30).isEmpty)
    }

    /// Each node's context (the families of the scene's other nodes) was collected anew for each
    /// node: suggesting for every node of an 8,000-node scene visited 64 million nodes.
    @Test func suggestingForEveryNodeOfALargeSceneIsLinear() throws {
        let nodes = (0..<20_000).map { "  - { id: n\($0), type: generation, prompt: { family: \($0 == 0 ? "only" : "shared"), version: 1 } }\n" }.joined()
        let content = try TemporaryContent([
            "scenes/big.yaml": "id: big\ntitle: Big\nnodes:\n" + nodes,
            "prompts/shared/family.yaml": "title: Shared\nprompt_type: visual\ntags: [mood:calm]\n",
            "prompts/shared/v1.prompt": "---\nversion: 1\n---\nA calm harbor.\n",
            "prompts/only/family.yaml": "title: Only\nprompt_type: visual\ntags: [location:pier]\n",
            "prompts/only/v1.prompt": "---\nversion: 1\n---\nA pier.\n",
            "prompts/pier/family.yaml": "title: Pier\nprompt_type: visual\ntags: [location:pier]\n",
            "prompts/pier/v1.prompt": "---\nversion: 1\n---\nThe pier at dusk.\n",
        ])
        let catalog = CatalogLoader.load(contentDirectory: content.root).catalog
        let scene = try #require(catalog.scene("big"))
        let started = ContinuousClock.now
        let families = Suggestions.SceneFamilies(scene, catalog: catalog)
        let suggested = scene.nodes.map { Suggestions.forSceneNode($0, scene: scene, catalog: catalog, analytics: nil, minSamples: 30, families: families) }
        // About 1 s in a debug build; before, minutes.
        #expect(ContinuousClock.now - started < .seconds(30))
        // `only` is used by n0 alone: it is context for every other node (pier shares its tag), never for n0.
        #expect(!suggested[0].contains { $0.family == "pier" })
        #expect(suggested[1].contains { $0.family == "pier" && $0.reasons.contains { $0.text == "shares tags location:pier" } })
    }
}
