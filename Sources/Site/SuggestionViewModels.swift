/// `suggestions/index.html`: ranked families per node type and per scene node.
struct SuggestionsPage: Encodable, Sendable {
    let page: PageFrame
    let nodeTypes: [SuggestionGroup]
    let scenes: [SceneSuggestions]
    let minSamples: Int
    let confidence: String
    let hasLogs: Bool
    let analyticsURL: String
    let nodeTypesAPI: String
    let scenesAPI: String
}

/// A scene and the suggestions for each of its generation nodes.
struct SceneSuggestions: Encodable, Sendable {
    let anchor: String
    let id: String
    let title: String
    var nodes: [SuggestionGroup]
}

/// One node type or scene node: what it asks for and its ranked families.
struct SuggestionGroup: Encodable, Sendable {
    let anchor: String
    let title: String
    let id: String
    /// `requires visual prompts · recommends …`, `type dialogue · provider loremind (8,000-character limit) · uses keeper-dialogue@production`.
    let facts: String?
    let rows: [SuggestionRow]
    let hasRows: Bool
}

struct SuggestionRow: Encodable, Sendable {
    let rank: Int
    let family: String
    let familyTitle: String
    let familyURL: String
    let version: String
    let versionURL: String
    let label: String?
    let score: String
    let fit: String
    let performance: String
    let confidence: String
    let reasons: [SuggestionReasonView]
    let isCurrent: Bool
}

struct SuggestionReasonView: Encodable, Sendable {
    let text: String
    /// `plus`, `minus` or `neutral`; the sign shown before the text.
    let kind: String
    let sign: String
}
