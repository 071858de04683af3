// View models of the plugin, node-type, scene and near-duplicate pages, and the parts they add
// to the dashboard and version pages. Text fields are escaped by Mustache; `...HTML` fields are
// markup the build made and escaped itself.

/// A link that may point nowhere: a name the catalog does not define is shown marked, not linked.
/// No field is optional: Mustache would look a missing one up in the enclosing context.
struct MaybeLink: Encodable, Sendable {
    let text: String
    /// Empty when not linked.
    let url: String
    let linked: Bool
    let missing: Bool

    init(_ text: String, url: String?, missing: Bool? = nil) {
        self.text = text
        self.url = url ?? ""
        linked = url != nil
        self.missing = missing ?? (url == nil)
    }
}

struct PluginsPage: Encodable, Sendable {
    let page: PageFrame
    let plugins: [PluginRow]
    /// The plugin guide (`docs/plugin-guide.html`), when the repository has it.
    let guideURL: String?
    let apiURL: String
    let nodeTypesURL: String
    let scenesURL: String
}

struct PluginRow: Encodable, Sendable {
    let id: String
    let name: String
    let url: String
    let version: String
    let description: String
    let variableCount: Int
    let validatorCount: Int
    let transformerCount: Int
    let nodeTypes: [MaybeLink]
}

struct PluginPage: Encodable, Sendable {
    let page: PageFrame
    let id: String
    let name: String
    let version: String?
    let description: String?
    let file: String
    let readmeHTML: String?
    let variables: [PluginVariableRow]
    let validators: [PluginValidatorRow]
    let transformers: [PluginTransformerRow]
    let nodeTypes: [MaybeLink]
    /// Families whose versions use one of its variables.
    let usingFamilies: [Link]
    /// Families at least one validator or transformer with an `applies_to` includes.
    let scopedFamilies: [Link]
    /// Whether a validator or transformer applies to every prompt.
    let appliesToEverything: Bool
    let hasScoped: Bool
    let familyCount: Int
    let diagnostics: [DiagnosticRow]
    let pluginsURL: String
    let guideURL: String?
}

/// Empty strings rather than nil: rows sit inside a page that has a `description` of its own.
struct PluginVariableRow: Encodable, Sendable {
    /// `{{quest.stage}}`.
    let path: String
    let type: String
    /// `0 – 9`, `≤ 30 characters`, `one of: a, b`.
    let bounds: String
    let example: String
    let hasExample: Bool
    let description: String
}

struct PluginValidatorRow: Encodable, Sendable {
    let id: String
    let level: String
    let code: String
    let rule: String
    let appliesTo: String
}

struct PluginTransformerRow: Encodable, Sendable {
    let number: Int
    let change: String
    let appliesTo: String
}

struct NodeTypesPage: Encodable, Sendable {
    let page: PageFrame
    let nodeTypes: [NodeTypeRow]
    let apiURL: String
    let pluginsURL: String
}

struct NodeTypeRow: Encodable, Sendable {
    let id: String
    let name: String
    let url: String
    let generation: Bool
    let plugin: MaybeLink?
    let promptType: String?
    let strategies: [String]
    let sceneNodeCount: Int
}

struct NodeTypePage: Encodable, Sendable {
    let page: PageFrame
    let id: String
    let name: String
    let file: String
    let generation: Bool
    let plugin: MaybeLink?
    let hasExtensions: Bool
    let promptType: String?
    let strategies: [String]
    let variables: [PluginVariableRow]
    let recommended: [MaybeLink]
    let listingFamilies: [Link]
    let sceneNodes: [Link]
    let diagnostics: [DiagnosticRow]
    /// This node type's section of the suggestions page.
    let suggestionsURL: String
    let nodeTypesURL: String
}

struct ScenesPage: Encodable, Sendable {
    let page: PageFrame
    let scenes: [SceneRow]
    let share: GenerationShare
    let apiURL: String
}

struct SceneRow: Encodable, Sendable {
    let id: String
    let title: String
    let url: String
    let nodeCount: Int
    let generationCount: Int
    let inlineCount: Int
    let problemCount: Int
}

struct ScenePage: Encodable, Sendable {
    let page: PageFrame
    let id: String
    let title: String
    let file: String
    let nodes: [SceneNodeRow]
    let diagnostics: [DiagnosticRow]
    /// This scene's section of the suggestions page.
    /// Nil when the scene has no generation node (the suggestions page lists none of it).
    let suggestionsURL: String?
    let scenesURL: String
    let apiURL: String
}

struct SceneNodeRow: Encodable, Sendable {
    let id: String
    let anchor: String
    let type: MaybeLink
    let provider: MaybeLink?
    let strategy: String?
    /// `global`, `playthrough`, `player`, `none`; nil without a (known) strategy.
    let cacheScope: String?
    /// `harbor-storm-arrival @ production` as written; the inline text for an inline prompt.
    let reference: String?
    let resolved: Link?
    let unresolved: String?
    let inline: Bool
    let variables: [SuppliedVariable]
    let length: Int?
    let limit: Int?
    let lengthStatus: String?
    let lengthClass: String?
}

struct SuppliedVariable: Encodable, Sendable {
    let name: String
    let value: String
}

/// "N of M generation nodes reference a versioned prompt", across every scene.
struct GenerationShare: Encodable, Sendable {
    let versioned: Int
    let total: Int
    let inline: Int
    let unresolved: Int
    let percent: String
    let hasNodes: Bool
    let url: String
}

/// Another prompt at least `similarity.threshold` alike.
struct SimilarRow: Encodable, Sendable {
    let link: MaybeLink
    let kind: String
    let percent: String
}

/// What a version's randomization pools can make: the number of variations and, per
/// provider, the shortest and longest rendered text against the limit.
struct VariationsView: Encodable, Sendable {
    let count: String
    let pools: Int
    let minLength: Int
    let maxLength: Int
    let providers: [VariationRow]
}

struct VariationRow: Encodable, Sendable {
    let provider: String
    let url: String
    let limit: String
    let minLength: Int
    let maxLength: Int
    let status: String
    let statusClass: String
}

struct DuplicatesPage: Encodable, Sendable {
    let page: PageFrame
    let threshold: String
    let clusters: [DuplicateClusterView]
    let clusterCount: Int
    let promptCount: Int
    let apiURL: String
}

/// Prompts at least the threshold alike, directly or through each other.
struct DuplicateClusterView: Encodable, Sendable {
    let number: Int
    let anchor: String
    let size: Int
    let families: Int
    /// Across families: its members are reported as `near-duplicate`; within one family it is expected.
    let reported: Bool
    let members: [DuplicateMemberRow]
}

struct DuplicateMemberRow: Encodable, Sendable {
    let prompt: MaybeLink
    let family: String
    /// Its most similar prompts with their similarity (`a@2 95%, b@1 91%`).
    let nearest: String
}
