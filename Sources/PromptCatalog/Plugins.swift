import Diagnostics
import PromptTemplates

/// `plugins/<id>/plugin.yaml` (SPEC §2.6): what a plugin does to prompts, declared up front.
public struct Plugin: Sendable {
    public let id: String
    public let file: String
    public let location: SourceLocation
    public let name: String
    public let version: String?
    public let description: String?
    /// `variables.scope`: its variables are known to every template as `<scope>.<name>`.
    public let scope: String?
    /// The variable source, with full dotted paths (`quest.stage`).
    public let variables: [VariableSpec]
    public let validators: [PluginValidator]
    public let transformers: [PluginTransformer]
    /// Node types this plugin contributes.
    public let nodeTypes: [Located<String>]
    /// The plugin's README (Markdown), when `docs` names a readable file.
    public let readme: String?
    public let readmeFile: String?
}

/// Which prompts a validator or transformer applies to; every list given must match (empty = any).
public struct PluginScope: Sendable, Equatable {
    public var promptTypes: [String] = []
    public var nodeTypes: [String] = []
    public var families: [String] = []
    public var tags: [String] = []

    public init(promptTypes: [String] = [], nodeTypes: [String] = [], families: [String] = [], tags: [String] = []) {
        self.promptTypes = promptTypes
        self.nodeTypes = nodeTypes
        self.families = families
        self.tags = tags
    }

    public var isEverything: Bool { promptTypes.isEmpty && nodeTypes.isEmpty && families.isEmpty && tags.isEmpty }

    /// Whether a prompt of this family (used by a node of `nodeType`, when known) is in scope.
    public func includes(_ family: PromptFamily, nodeType: String? = nil) -> Bool {
        if !promptTypes.isEmpty, !promptTypes.contains(family.promptType?.rawValue ?? "") { return false }
        if !families.isEmpty, !families.contains(family.slug) { return false }
        if !tags.isEmpty, !tags.contains(where: family.tags.contains) { return false }
        if !nodeTypes.isEmpty {
            let types = nodeType.map { [$0] } ?? family.nodeTypes
            if !nodeTypes.contains(where: types.contains) { return false }
        }
        return true
    }
}

/// A rule run on every rendered prompt it applies to, reported as `plugin:<plugin>/<id>`.
public struct PluginValidator: Sendable {
    public enum Rule: Sendable, Equatable {
        /// Words or phrases that must not appear (case-insensitive, whole words).
        case forbid([String])
        /// An ICU regular expression that must not match (validated when loading).
        case forbidRegex(String)
        case maxLength(Int)
        /// Variable paths the template must use.
        case requireVariables([String])
    }

    public let id: String
    public let level: Severity
    public let rule: Rule
    public let scope: PluginScope
    public let location: SourceLocation
}

/// A change applied, in order, when a prompt is rendered for generation.
public struct PluginTransformer: Sendable {
    public enum Change: Sendable, Equatable {
        case prepend(String)
        case append(String)
        /// Every match of an ICU regular expression replaced (`$1` refers to groups).
        case replace(pattern: String, with: String)
    }

    public let change: Change
    public let scope: PluginScope
    public let location: SourceLocation
}
