import Analytics
import Diagnostics
import PromptCatalog

/// `api/v1/suggestions/node-types.json` and `api/v1/suggestions/scenes.json`: the same
/// ranking as the suggestions page (`Suggestions` documents the scoring).
extension MachineOutputs {
    func suggestionFiles() -> [String: String] {
        let index = SuggestionIndex(catalog: catalog, analytics: analytics)
        let scoring = JSONValue.object([
            ("fit_weight", .double(0.6)), ("performance_weight", .double(0.4)), ("neutral_performance", .double(0.5)),
            ("min_samples", .int(analytics.minSamples)), ("confidence_level", .double(analytics.confidence)),
            ("version", .string("the production label's version, else the latest")),
        ])
        let nodeTypes = JSONValue.object([
            ("scoring", scoring),
            ("node_types", .array(index.nodeTypes.map { entry in
                let extensions = entry.nodeType.extensions
                return .object([
                    ("id", .string(entry.nodeType.id)), ("name", .string(entry.nodeType.name)),
                    ("required_prompt_type", .optional(extensions?.requiredPromptType?.value)),
                    ("recommended_families", .array((extensions?.recommendedFamilies ?? []).map { .string($0.value) })),
                    ("suggestions", suggestionsJSON(entry.suggestions)),
                ])
            })),
        ])
        var scenes: [(id: String, title: String, nodes: [JSONValue])] = []
        for entry in index.sceneNodes {
            let node = JSONValue.object([
                ("id", .string(entry.node.id)), ("type", .string(entry.node.type.value)), ("provider", .optional(entry.node.provider?.value)),
                ("strategy", .optional(entry.node.strategy?.value)),
                ("prompt", .optional(entry.node.prompt.map { $0.versionReference?.description ?? "inline" })),
                ("suggestions", suggestionsJSON(entry.suggestions)),
            ])
            if scenes.last?.id == entry.scene.id {
                scenes[scenes.count - 1].nodes.append(node)
            } else {
                scenes.append((entry.scene.id, entry.scene.title, [node]))
            }
        }
        let sceneDocument = JSONValue.object([
            ("scoring", scoring),
            ("scenes", .array(scenes.map { scene in
                .object([("id", .string(scene.id)), ("title", .string(scene.title)), ("nodes", .array(scene.nodes))])
            })),
        ])
        return [
            SitePaths.suggestionsNodeTypesAPI: nodeTypes.serialized(pretty: true) + "\n",
            SitePaths.suggestionsScenesAPI: sceneDocument.serialized(pretty: true) + "\n",
        ]
    }

    private func suggestionsJSON(_ suggestions: [Suggestion]) -> JSONValue {
        .array(suggestions.enumerated().map { index, suggestion in
            .object([
                ("rank", .int(index + 1)), ("family", .string(suggestion.family)), ("version", .int(suggestion.version)),
                ("id", .string("\(suggestion.family)@\(suggestion.version)")), ("label", .optional(suggestion.label)),
                ("score", .double(suggestion.score)), ("fit", .double(suggestion.fit)),
                ("performance", suggestion.performance.map(JSONValue.double) ?? .null), ("confidence", .double(suggestion.confidence)),
                ("current", .bool(suggestion.isCurrent)),
                ("reasons", .array(suggestion.reasons.map { .object([("effect", .string($0.effect.rawValue)), ("text", .string($0.text))]) })),
                ("url", .string(SitePaths.version(suggestion.family, suggestion.version))),
            ])
        })
    }
}
