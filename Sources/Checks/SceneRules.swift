import Diagnostics
import PromptCatalog
import PromptTemplates

/// scene-unresolved, scene-missing-variable, scene-unknown-variable, scene-strategy, inline-prompt, node-type-mismatch, and the node's
/// rendered length against its provider (over-limit), unknown providers and node types.
enum SceneRules {
    static func check(_ context: CheckContext) -> [Diagnostic] {
        context.catalog.scenes.flatMap { scene in scene.nodes.flatMap { check($0, scene: scene, catalog: context.catalog) } }
    }

    static func check(_ node: SceneNode, scene: Scene, catalog: Catalog) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let nodeType = catalog.nodeType(node.type.value)
        if node.type.value != "generation", nodeType == nil {
            diagnostics.append(.warning("unknown-node-type", "node `\(node.id)` has type `\(node.type.value)`, which is neither `generation` nor a node type",
                                        at: node.type.location,
                                        hint: NodeTypeRules.suggestion(node.type.value, in: catalog.nodeTypes.map(\.id) + ["generation"], or: "add node-types/\(node.type.value).yaml")))
        }
        if let provider = node.provider, catalog.provider(provider.value) == nil {
            diagnostics.append(.error("unknown-provider", "node `\(node.id)` uses provider `\(provider.value)`, which no providers/*.yaml defines",
                                      at: provider.location, hint: NodeTypeRules.suggestion(provider.value, in: catalog.providers.map(\.id), or: "add the provider file")))
        }
        if let strategy = node.strategy, Strategy(rawValue: strategy.value) == nil {
            diagnostics.append(.error("unknown-strategy", "unknown strategy `\(strategy.value)` on node `\(node.id)`", at: strategy.location,
                                      hint: NodeTypeRules.suggestion(strategy.value, in: Strategy.allCases.map(\.rawValue), or: "strategies are: once, per_playthrough, per_player, always")))
        }
        guard let prompt = node.prompt else { return diagnostics }
        guard let reference = prompt.versionReference else {
            diagnostics.append(.warning("inline-prompt", "node `\(node.id)` has an inline prompt: it is not versioned, checked or measured",
                                        at: prompt.location, hint: "move the text into a family (prompts/<family>/v1.prompt) and reference it with `{ family, label }`"))
            return diagnostics
        }
        let version: PromptVersion
        switch reference.resolve(in: catalog) {
        case .failure(let error):
            diagnostics.append(.error("scene-unresolved", "node `\(node.id)` of scene \(scene.id): \(error.message)", at: prompt.location,
                                      hint: "reference an existing family and version, label or `latest: true`"))
            return diagnostics
        case .success(let resolved): version = resolved
        }
        diagnostics += promptTypeMismatch(node, prompt: prompt, version: version, nodeType: nodeType, catalog: catalog)
        let variables = catalog.variables(of: version, nodeType: nodeType?.id)
        diagnostics += missingVariables(node, prompt: prompt, version: version, variables: variables)
        diagnostics += unknownVariables(node, prompt: prompt, version: version, variables: variables)
        diagnostics += strategyProblems(node, version: version, nodeType: nodeType)
        guard version.template.errors.isEmpty else { return diagnostics }
        var supplied = TemplateValues()
        for member in prompt.variables?.members ?? [] { supplied.set(member.value.templateValue, at: VariablePath(member.key)) }
        let text = variables.preview(overrides: supplied).text
        diagnostics += nodeValidators(node, nodeType: nodeType, prompt: prompt, version: version, text: text, template: variables.template, catalog: catalog)
        if let providerID = node.provider?.value, let provider = catalog.provider(providerID), let limit = provider.promptLimit {
            let length = text.count
            if length > limit {
                diagnostics.append(.error("over-limit", "node `\(node.id)` renders \(version.id) to \(length) characters, \(length - limit) over \(provider.id)'s limit of \(limit)",
                                          at: prompt.location, hint: "use a shorter version or shorter variable values, or a provider with a larger limit"))
            }
        }
        return diagnostics
    }

    /// Validators scoped to this node's type (`applies_to: { node_types: [...] }`) run on what the
    /// node renders, reported at the node: the family need not list the node type itself.
    static func nodeValidators(_ node: SceneNode, nodeType: NodeType?, prompt: ScenePrompt, version: PromptVersion, text: String,
                               template: Template? = nil, catalog: Catalog) -> [Diagnostic] {
        guard let nodeType, let family = catalog.family(version.family) else { return [] }
        return catalog.plugins.flatMap { plugin in
            plugin.validators.filter { $0.scope.nodeTypes.contains(nodeType.id) && $0.scope.includes(family, nodeType: nodeType.id) }
                .compactMap { validator -> Diagnostic? in
                    guard let found = PluginRules.problem(validator, plugin: plugin, version: version, text: text, template: template) else { return nil }
                    return Diagnostic(found.level, found.code, "node `\(node.id)` (\(nodeType.id)): \(found.message)", at: prompt.location, hint: found.hint)
                }
        }
    }

    /// The node's type requires a prompt type the resolved family does not have. Families that
    /// list the node type or that it recommends are reported at the family by NodeTypeRules.
    static func promptTypeMismatch(_ node: SceneNode, prompt: ScenePrompt, version: PromptVersion, nodeType: NodeType?, catalog: Catalog) -> [Diagnostic] {
        guard let nodeType, let required = nodeType.extensions?.requiredPromptType, PromptType(rawValue: required.value) != nil,
              let family = catalog.family(version.family), let type = family.promptType, type.rawValue != required.value,
              !family.nodeTypes.contains(nodeType.id), !(nodeType.extensions?.recommendedFamilies.contains { $0.value == family.slug } ?? false)
        else { return [] }
        return [.error("node-type-mismatch", "node `\(node.id)` is a \(nodeType.id), which requires \(required.value) prompts, but family `\(family.slug)` is \(type.rawValue)",
                       at: prompt.location, hint: "use a \(required.value) family for this node, or another node type (\(nodeType.file))")]
    }

    /// Required variables (no default, not a context field, not a plugin variable) the node does not supply.
    static func missingVariables(_ node: SceneNode, prompt: ScenePrompt, version: PromptVersion, variables: VersionVariables) -> [Diagnostic] {
        let supplied = Set((prompt.variables?.members ?? []).map(\.key))
        let used = Set(variables.template.references.map(\.path))
        return variables.declarations.filter { spec in
            spec.required && spec.defaultValue == nil && used.contains(spec.path) && !supplied.contains(spec.path.description)
                && !supplied.contains(spec.path.root) && ContextSchema.field(spec.path) == nil
        }.map { spec in
            .error("scene-missing-variable", "node `\(node.id)` does not supply `\(spec.path)`, which \(version.id) requires",
                   at: prompt.variables?.location ?? prompt.location, hint: "add `\(spec.path): …` under the node's `prompt.variables`")
        }
    }

    /// Values the node supplies that the version neither declares nor reads (a typo, or a variable
    /// renamed in a later version): they change nothing the node renders.
    static func unknownVariables(_ node: SceneNode, prompt: ScenePrompt, version: PromptVersion, variables: VersionVariables) -> [Diagnostic] {
        let paths = variables.declarations.map(\.path) + variables.template.references.map(\.path)
        let known = Set(paths.map(\.description)).union(paths.map(\.root))
        return (prompt.variables?.members ?? []).filter { member in
            !known.contains(member.key) && !known.contains(String(member.key.prefix { $0 != "." }))
        }.map { member in
            .warning("scene-unknown-variable", "node `\(node.id)` supplies `\(member.key)`, which \(version.id) neither declares nor reads",
                     at: member.keyLocation,
                     hint: NodeTypeRules.suggestion(member.key, in: Array(Set(paths.map(\.description))).sorted(), or: "remove it, or declare it in \(version.file)"))
        }
    }

    /// The node's strategy must be one the version lists (when it lists any) and one its node type allows.
    static func strategyProblems(_ node: SceneNode, version: PromptVersion, nodeType: NodeType?) -> [Diagnostic] {
        guard let strategy = node.strategy, Strategy(rawValue: strategy.value) != nil else { return [] }
        var diagnostics: [Diagnostic] = []
        let listed = version.strategies.map(\.value)
        if !listed.isEmpty, !listed.contains(strategy.value) {
            diagnostics.append(.error("scene-strategy", "node `\(node.id)` uses strategy `\(strategy.value)`, which \(version.id) does not allow (\(listed.joined(separator: ", ")))",
                                      at: strategy.location, hint: "use one of the version's strategies, or add `\(strategy.value)` to its `strategies`"))
        }
        if let allowed = nodeType?.extensions?.strategies.map(\.value), !allowed.isEmpty, !allowed.contains(strategy.value) {
            diagnostics.append(.error("scene-strategy", "node `\(node.id)` uses strategy `\(strategy.value)`, which node type \(nodeType!.id) does not allow (\(allowed.joined(separator: ", ")))",
                                      at: strategy.location, hint: "use one of \(allowed.joined(separator: ", "))"))
        }
        return diagnostics
    }
}
