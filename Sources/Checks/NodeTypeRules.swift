import Diagnostics
import PromptCatalog

/// node-extensions-missing, unknown-family (recommended families), node-type-mismatch,
/// unknown-plugin and unknown-node-type between plugins and node types; page-collision between
/// plugins, node types or scenes.
enum NodeTypeRules {
    static func check(_ context: CheckContext) -> [Diagnostic] {
        let catalog = context.catalog
        var diagnostics: [Diagnostic] = []
        let slugs = catalog.families.map(\.slug)
        for nodeType in catalog.nodeTypes {
            if let plugin = nodeType.plugin, catalog.plugin(plugin.value) == nil {
                diagnostics.append(.error("unknown-plugin", "node type \(nodeType.id) names plugin `\(plugin.value)`, which has no plugins/\(plugin.value)/plugin.yaml",
                                          at: plugin.location, hint: suggestion(plugin.value, in: catalog.plugins.map(\.id), or: "add the plugin or remove `plugin`")))
            }
            guard let extensions = nodeType.extensions else {
                if nodeType.generation {
                    diagnostics.append(.error("node-extensions-missing", "node type \(nodeType.id) generates assets but declares no `prompt_extensions`",
                                              at: nodeType.location,
                                              hint: "add `prompt_extensions:` with `required_prompt_type`, `recommended_families`, `variables` and `strategies`"))
                }
                continue
            }
            for family in extensions.recommendedFamilies where catalog.family(family.value) == nil {
                diagnostics.append(.error("unknown-family", "node type \(nodeType.id) recommends family `\(family.value)`, which does not exist",
                                          at: family.location, hint: suggestion(family.value, in: slugs, or: "create prompts/\(family.value)/ or remove it")))
            }
            for strategy in extensions.strategies where Strategy(rawValue: strategy.value) == nil {
                diagnostics.append(.error("unknown-strategy", "unknown strategy `\(strategy.value)` in node type \(nodeType.id)", at: strategy.location,
                                          hint: suggestion(strategy.value, in: Strategy.allCases.map(\.rawValue), or: "strategies are: once, per_playthrough, per_player, always")))
            }
            guard let required = extensions.requiredPromptType, PromptType(rawValue: required.value) != nil else { continue }
            // Families that say they serve this node type, and the ones it recommends, must be of its prompt type.
            let recommended = Set(extensions.recommendedFamilies.map(\.value))
            for family in catalog.families where family.nodeTypes.contains(nodeType.id) || recommended.contains(family.slug) {
                guard let type = family.promptType, type.rawValue != required.value else { continue }
                diagnostics.append(.error("node-type-mismatch", "family `\(family.slug)` is \(type.rawValue), but node type \(nodeType.id) requires \(required.value) prompts",
                                          at: SourceLocation(file: family.file, line: 1, column: 1),
                                          hint: "change the family's `prompt_type`, or stop using it for \(nodeType.id) (\(nodeType.file))"))
            }
        }
        for plugin in catalog.plugins {
            for type in plugin.nodeTypes where catalog.nodeType(type.value) == nil {
                diagnostics.append(.warning("unknown-node-type", "plugin \(plugin.id) contributes node type `\(type.value)`, which has no node-types/\(type.value).yaml",
                                            at: type.location, hint: suggestion(type.value, in: catalog.nodeTypes.map(\.id), or: "add the node type file")))
            }
        }
        return diagnostics
    }

    static func suggestion(_ word: String, in candidates: [String], or fallback: String) -> String {
        closestMatch(to: word, in: candidates).map { "did you mean `\($0)`?" } ?? fallback
    }
}
