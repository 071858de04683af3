import Diagnostics
import PromptTemplates

/// `contexts/<id>.yaml` (SPEC §2.9): sample game state for previews of NPC-aware prompts
/// and programs. Any top-level scope is allowed (`npc`, `relationship`, `flags`, or the
/// flat names a program reads such as `chemistry`).
public struct PreviewContext: Sendable {
    /// The file stem.
    public let id: String
    public let file: String
    public let location: SourceLocation
    /// The mapping as written.
    public let node: SourceNode

    /// The state as template values (nested mappings reached by dotted paths).
    public var values: TemplateValues {
        guard case .map(let root) = node.templateValue else { return TemplateValues() }
        return TemplateValues(root)
    }
}

enum ContextLoader {
    static let folder = "contexts"

    static func load(_ tree: ContentTree) -> (contexts: [PreviewContext], diagnostics: [Diagnostic], files: [String]) {
        var contexts: [PreviewContext] = []
        var diagnostics: [Diagnostic] = []
        var files: [String] = []
        for entry in tree.entries(in: folder).sorted(by: { $0.path < $1.path }) {
            guard !entry.isDirectory, entry.name.hasSuffix(".yaml") || entry.name.hasSuffix(".yml") else {
                if !entry.name.hasSuffix(".md") {
                    diagnostics.append(.warning("unexpected-file", "`\(entry.name)` is not a `.yaml` context file and is ignored",
                                                at: SourceLocation(file: entry.path), hint: "contexts are read from `contexts/<id>.yaml`"))
                }
                continue
            }
            files.append(entry.path)
            let id = entry.name.hasSuffix(".yaml") ? String(entry.name.dropLast(5)) : String(entry.name.dropLast(4))
            switch readYAMLMapping(entry, what: "context `\(id)`") {
            case .failure(let diagnostic):
                diagnostics.append(diagnostic)
            case .success(let node):
                // The built-in scopes as the editor schema (`promptsite schema context`) types them.
                diagnostics += ContentSchemas.context.mismatches(node).map { problem in
                    .error("invalid-field", "context `\(id)`: \(problem.message)", at: problem.location,
                           hint: "previews read the built-in fields as `promptsite schema context` describes them (e.g. `world_time` in seconds, 0–86399)")
                }
                contexts.append(PreviewContext(id: id, file: entry.path, location: node.location, node: node))
            }
        }
        return (contexts, diagnostics, files)
    }
}
