import Diagnostics

/// `node-types/<id>.yaml` (SPEC §2.7): a kind of game node and what its prompts must be.
public struct NodeType: Sendable {
    public let id: String
    public let file: String
    public let location: SourceLocation
    public let name: String
    public let plugin: Located<String>?
    /// Whether nodes of this type generate assets (and so need prompt extensions).
    public let generation: Bool
    public let extensions: PromptExtensions?
}

/// `prompt_extensions`: what a generation node type asks of its prompts.
public struct PromptExtensions: Sendable {
    public let location: SourceLocation
    public let recommendedFamilies: [Located<String>]
    public let variables: [VariableSpec]
    public let requiredPromptType: Located<String>?
    public let strategies: [Located<String>]
}

enum NodeTypeLoader {
    static let folder = "node-types"

    static func load(_ tree: ContentTree) -> (nodeTypes: [NodeType], diagnostics: [Diagnostic], files: [String]) {
        var nodeTypes: [NodeType] = []
        var diagnostics: [Diagnostic] = []
        var files: [String] = []
        for entry in yamlFiles(in: folder, tree: tree, what: "node type", diagnostics: &diagnostics) {
            files.append(entry.path)
            let loaded = load(entry)
            diagnostics += loaded.diagnostics
            if let nodeType = loaded.value { nodeTypes.append(nodeType) }
        }
        return (nodeTypes, diagnostics, files)
    }

    static func load(_ entry: ContentEntry) -> Loaded<NodeType> {
        let stem = yamlStem(entry.name)
        let node: SourceNode
        switch readYAMLMapping(entry, what: "node type \(stem)") {
        case .success(let read): node = read
        case .failure(let diagnostic): return Loaded(value: nil, diagnostics: [diagnostic])
        }
        var reader = FieldReader(node, schema: ContentSchemas.nodeType, what: "node type \(stem)")
        let id = reader.string("id") ?? stem
        if id != stem, let idNode = node["id"] {
            reader.report(.error("invalid-field", "node type id `\(id)` does not match its file name `\(entry.name)`", at: idNode.location,
                                 hint: "rename the file to \(id).yaml or set `id: \(stem)`"))
        }
        let name = reader.string("name") ?? id
        let plugin = reader.string("plugin").map { Located($0, at: node["plugin"]!.location) }
        let generation = reader.bool("generation") ?? false
        var extensions: PromptExtensions?
        var diagnostics: [Diagnostic] = []
        if let extensionsNode = reader.mapping("prompt_extensions") {
            var section = FieldReader(extensionsNode, schema: ContentSchemas.promptExtensions, what: "prompt_extensions of node type \(id)")
            let families = section.strings("recommended_families")
            var variables: [VariableSpec] = []
            if let vars = section.mapping("variables") {
                variables = VariableSpecReader.read(vars, code: "invalid-field", diagnostics: &diagnostics)
            }
            let promptType = section.string("required_prompt_type").map { Located($0, at: extensionsNode["required_prompt_type"]!.location) }
            if let promptType, PromptType(rawValue: promptType.value) == nil {
                section.report(.error("invalid-field", "`required_prompt_type` of node type \(id) is `\(promptType.value)`", at: promptType.location,
                                      hint: "use visual, narrative or hybrid"))
            }
            let strategies = section.strings("strategies")
            section.reportUnknownFields()
            diagnostics += section.diagnostics
            extensions = PromptExtensions(location: extensionsNode.location, recommendedFamilies: families, variables: variables,
                                          requiredPromptType: promptType, strategies: strategies)
        }
        reader.reportUnknownFields()
        let nodeType = NodeType(id: id, file: entry.path, location: node.location, name: name, plugin: plugin, generation: generation,
                                extensions: extensions)
        return Loaded(value: nodeType, diagnostics: reader.diagnostics + diagnostics)
    }
}

/// The `.yaml`/`.yml` files directly in a folder; anything else (but Markdown notes) is unexpected.
func yamlFiles(in folder: String, tree: ContentTree, what: String, diagnostics: inout [Diagnostic]) -> [ContentEntry] {
    tree.entries(in: folder).filter { entry in
        if !entry.isDirectory, entry.name.hasSuffix(".yaml") || entry.name.hasSuffix(".yml") { return true }
        if !entry.name.hasSuffix(".md") {
            diagnostics.append(.warning("unexpected-file", "`\(entry.name)` is not a `.yaml` \(what) file and is ignored",
                                        at: SourceLocation(file: entry.path), hint: "\(what)s are read from `\(folder)/<id>.yaml`"))
        }
        return false
    }
}

public func yamlStem(_ name: String) -> String {
    name.hasSuffix(".yaml") ? String(name.dropLast(5)) : (name.hasSuffix(".yml") ? String(name.dropLast(4)) : name)
}
