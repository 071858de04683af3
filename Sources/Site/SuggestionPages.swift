import Analytics
import PromptCatalog

extension SitePaths {
    static let suggestions = "suggestions/index.html"
    static let suggestionsNodeTypesAPI = "api/v1/suggestions/node-types.json"
    static let suggestionsScenesAPI = "api/v1/suggestions/scenes.json"
}

/// The suggestions of every node type and every generation node of every scene, computed
/// once for the page and the API (`Suggestions` documents the scoring).
struct SuggestionIndex: Sendable {
    struct NodeTypeEntry: Sendable {
        let nodeType: NodeType
        let suggestions: [Suggestion]
    }

    struct SceneNodeEntry: Sendable {
        let scene: Scene
        let node: SceneNode
        let suggestions: [Suggestion]
    }

    let nodeTypes: [NodeTypeEntry]
    /// Scenes in id order, each with its generation nodes in file order.
    let sceneNodes: [SceneNodeEntry]

    init(catalog: Catalog, analytics: AnalyticsReport) {
        let report: AnalyticsReport? = analytics.isEmpty ? nil : analytics
        nodeTypes = catalog.nodeTypes.filter(\.generation).map {
            NodeTypeEntry(nodeType: $0, suggestions: Suggestions.forNodeType($0, catalog: catalog, analytics: report, minSamples: analytics.minSamples))
        }
        sceneNodes = catalog.scenes.flatMap { scene in
            let families = Suggestions.SceneFamilies(scene, catalog: catalog)
            return scene.nodes.filter(\.isGeneration).map { node in
                SceneNodeEntry(scene: scene, node: node,
                               suggestions: Suggestions.forSceneNode(node, scene: scene, catalog: catalog, analytics: report,
                                                                     minSamples: analytics.minSamples, families: families))
            }
        }
    }
}

extension PagePlanner {
    func suggestionPages() -> [PlannedPage] {
        let path = SitePaths.suggestions
        let index = SuggestionIndex(catalog: catalog, analytics: analytics)
        let nodeTypes = index.nodeTypes.map { entry in
            let nodeType = entry.nodeType
            var facts: [String] = []
            if let required = nodeType.extensions?.requiredPromptType { facts.append("requires \(required.value) prompts") }
            if let recommended = nodeType.extensions?.recommendedFamilies, !recommended.isEmpty {
                facts.append("recommends " + recommended.map(\.value).joined(separator: ", "))
            }
            return group(anchor: "node-type-" + SitePaths.pathSegment(nodeType.id), title: nodeType.name, id: nodeType.id, facts: facts,
                         suggestions: entry.suggestions, from: path)
        }
        var scenes: [SceneSuggestions] = []
        for entry in index.sceneNodes {
            let node = entry.node
            var facts = ["type \(node.type.value)"]
            if let provider = node.provider?.value {
                let limit = catalog.provider(provider)?.promptLimit
                facts.append("provider \(provider)" + (limit.map { " (\(MetricFormat.count($0))-character limit)" } ?? ""))
            }
            if let prompt = node.prompt {
                facts.append(prompt.versionReference.map { "uses \($0)" } ?? "uses an inline prompt")
            }
            let row = group(anchor: "scene-" + SitePaths.pathSegment(entry.scene.id) + "--" + SitePaths.pathSegment(node.id),
                            title: node.id, id: "\(entry.scene.id)/\(node.id)", facts: facts, suggestions: entry.suggestions, from: path)
            if scenes.last?.id == entry.scene.id {
                // Appended in place: rebuilding the scene with `nodes + [row]` copied its rows once per node.
                scenes[scenes.count - 1].nodes.append(row)
            } else {
                scenes.append(SceneSuggestions(anchor: "scene-" + SitePaths.pathSegment(entry.scene.id), id: entry.scene.id,
                                               title: entry.scene.title, nodes: [row]))
            }
        }
        let model = SuggestionsPage(
            page: PageFrame(path: path, title: "Suggestions", section: "analytics", site: site),
            nodeTypes: nodeTypes, scenes: scenes, minSamples: analytics.minSamples,
            confidence: MetricFormat.confidence(analytics.confidence), hasLogs: !analytics.isEmpty,
            analyticsURL: SitePaths.link(from: path, to: SitePaths.analytics),
            nodeTypesAPI: SitePaths.link(from: path, to: SitePaths.suggestionsNodeTypesAPI),
            scenesAPI: SitePaths.link(from: path, to: SitePaths.suggestionsScenesAPI))
        return [PlannedPage(path: path, template: "suggestions", model: model)]
    }

    private func group(anchor: String, title: String, id: String, facts: [String], suggestions: [Suggestion], from path: String) -> SuggestionGroup {
        let rows = suggestions.enumerated().map { index, suggestion in
            SuggestionRow(
                rank: index + 1, family: suggestion.family, familyTitle: catalog.family(suggestion.family)?.title ?? suggestion.family,
                familyURL: SitePaths.link(from: path, to: SitePaths.family(suggestion.family)),
                version: "v\(suggestion.version)", versionURL: SitePaths.link(from: path, to: SitePaths.version(suggestion.family, suggestion.version)),
                label: suggestion.label, score: MetricFormat.fixed(suggestion.score, decimals: 2), fit: MetricFormat.fixed(suggestion.fit, decimals: 2),
                performance: MetricFormat.percent(suggestion.performance), confidence: MetricFormat.fixed(suggestion.confidence * 100, decimals: 0) + "%",
                reasons: suggestion.reasons.map { reason in
                    switch reason.effect {
                    case .positive: SuggestionReasonView(text: reason.text, kind: "plus", sign: "+")
                    case .negative: SuggestionReasonView(text: reason.text, kind: "minus", sign: MetricFormat.minus)
                    case .neutral: SuggestionReasonView(text: reason.text, kind: "neutral", sign: "·")
                    }
                },
                isCurrent: suggestion.isCurrent)
        }
        return SuggestionGroup(anchor: anchor, title: title, id: id, facts: facts.isEmpty ? nil : facts.joined(separator: " · "), rows: rows, hasRows: !rows.isEmpty)
    }
}
