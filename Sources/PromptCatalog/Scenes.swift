import Diagnostics

/// `scenes/<id>.yaml` (SPEC §2.8): a scene's nodes and the prompts its generation nodes use.
public struct Scene: Sendable {
    public let id: String
    public let file: String
    public let location: SourceLocation
    public let title: String
    public let nodes: [SceneNode]
}

public struct SceneNode: Sendable {
    public let id: String
    public let location: SourceLocation
    /// `generation` or a node type id.
    public let type: Located<String>
    public let provider: Located<String>?
    public let strategy: Located<String>?
    public let prompt: ScenePrompt?

    public var isGeneration: Bool { prompt != nil || type.value == "generation" }
}

/// A node's `prompt`: exactly one way of naming it.
public struct ScenePrompt: Sendable {
    public enum Reference: Sendable, Equatable {
        case version(family: String, number: Int)
        case label(family: String, label: String)
        case latest(family: String)
        case inline(String)
    }

    public let reference: Reference
    public let location: SourceLocation
    /// `variables:` supplied by the node.
    public let variables: SourceNode?

    public var family: String? {
        switch reference {
        case .version(let family, _), .label(let family, _), .latest(let family): family
        case .inline: nil
        }
    }
}

/// What scene caching follows from a node's strategy (SPEC §2.8).
public enum CacheScope: String, Sendable {
    case global, playthrough, player, none

    public init?(strategy: String) {
        switch strategy {
        case "once": self = .global
        case "per_playthrough": self = .playthrough
        case "per_player": self = .player
        case "always": self = .none
        default: return nil
        }
    }
}

enum SceneLoader {
    static let folder = "scenes"

    static func load(_ tree: ContentTree) -> (scenes: [Scene], diagnostics: [Diagnostic], files: [String]) {
        var scenes: [Scene] = []
        var diagnostics: [Diagnostic] = []
        var files: [String] = []
        for entry in yamlFiles(in: folder, tree: tree, what: "scene", diagnostics: &diagnostics) {
            files.append(entry.path)
            let loaded = load(entry)
            diagnostics += loaded.diagnostics
            if let scene = loaded.value { scenes.append(scene) }
        }
        return (scenes, diagnostics, files)
    }

    static func load(_ entry: ContentEntry) -> Loaded<Scene> {
        let stem = yamlStem(entry.name)
        let node: SourceNode
        switch readYAMLMapping(entry, what: "scene \(stem)") {
        case .success(let read): node = read
        case .failure(let diagnostic): return Loaded(value: nil, diagnostics: [diagnostic])
        }
        var reader = FieldReader(node, schema: ContentSchemas.scene, what: "scene \(stem)")
        let id = reader.string("id") ?? stem
        if id != stem, let idNode = node["id"] {
            reader.report(.error("invalid-field", "scene id `\(id)` does not match its file name `\(entry.name)`", at: idNode.location,
                                 hint: "rename the file to \(id).yaml or set `id: \(stem)`"))
        }
        let title = reader.string("title") ?? id
        var diagnostics: [Diagnostic] = []
        var nodes: [SceneNode] = []
        if let list = reader.field("nodes", required: true) {
            if let items = list.items {
                nodes = items.compactMap { sceneNode($0, scene: id, diagnostics: &diagnostics) }
            } else {
                reader.mistyped("nodes", list, expected: "a list of `{ id, type, ... }` nodes")
            }
        }
        var seen: [String: SourceLocation] = [:]
        for sceneNode in nodes {
            if let first = seen[sceneNode.id] {
                diagnostics.append(.error("invalid-field", "node id `\(sceneNode.id)` is used twice in scene \(id) (first at line \(first.line ?? 0))",
                                          at: sceneNode.location, hint: "give every node of a scene its own id"))
            } else {
                seen[sceneNode.id] = sceneNode.location
            }
        }
        reader.reportUnknownFields()
        let scene = Scene(id: id, file: entry.path, location: node.location, title: title, nodes: nodes)
        return Loaded(value: scene, diagnostics: reader.diagnostics + diagnostics)
    }

    static func sceneNode(_ node: SourceNode, scene: String, diagnostics: inout [Diagnostic]) -> SceneNode? {
        guard node.members != nil else {
            diagnostics.append(.error("invalid-field", "a node of scene \(scene) must be a mapping `{ id, type, ... }`, found \(node.kindName)", at: node.location))
            return nil
        }
        var reader = FieldReader(node, schema: ContentSchemas.sceneNode, what: "a node of scene \(scene)")
        defer { diagnostics += reader.diagnostics }
        guard let id = reader.string("id", required: true) else { return nil }
        let type = reader.string("type").map { Located($0, at: node["type"]!.location) } ?? Located("generation", at: node.location)
        let provider = reader.string("provider").map { Located($0, at: node["provider"]!.location) }
        let strategy = reader.string("strategy").map { Located($0, at: node["strategy"]!.location) }
        var prompt: ScenePrompt?
        if let promptNode = reader.field("prompt") {
            prompt = self.prompt(promptNode, node: id, reader: &reader)
        }
        reader.reportUnknownFields()
        return SceneNode(id: id, location: node.location, type: type, provider: provider, strategy: strategy, prompt: prompt)
    }

    private static func prompt(_ node: SourceNode, node nodeID: String, reader: inout FieldReader) -> ScenePrompt? {
        guard node.members != nil else {
            reader.report(.error("invalid-field", "`prompt` of node `\(nodeID)` must be a mapping such as `{ family: …, label: production }`",
                                 at: node.location))
            return nil
        }
        var fields = FieldReader(node, schema: ContentSchemas.scenePrompt, what: "the prompt of node `\(nodeID)`")
        defer { fields.diagnostics.forEach { reader.report($0) } }
        let family = fields.string("family")
        let number = fields.int("version")
        let label = fields.string("label")
        let latest = fields.bool("latest") ?? false
        let inline = fields.string("inline")
        let variables = fields.mapping("variables")
        fields.reportUnknownFields()
        let forms = [number != nil, label != nil, latest, inline != nil].filter { $0 }.count
        let hint = "write one of `{ family, version: N }`, `{ family, label: NAME }`, `{ family, latest: true }` or `{ inline: \"…\" }`"
        guard forms == 1 else {
            fields.report(.error("invalid-field", forms == 0 ? "the prompt of node `\(nodeID)` names no version, label, latest or inline text"
                                                             : "the prompt of node `\(nodeID)` names more than one of version, label, latest and inline",
                                 at: node.location, hint: hint))
            return nil
        }
        let reference: ScenePrompt.Reference
        if let inline {
            if family != nil {
                fields.report(.warning("invalid-field", "an inline prompt ignores `family`", at: node["family"]?.location, hint: hint))
            }
            reference = .inline(inline)
        } else {
            guard let family else {
                fields.report(.error("invalid-field", "the prompt of node `\(nodeID)` has no `family`", at: node.location, hint: hint))
                return nil
            }
            if let number { reference = .version(family: family, number: number) }
            else if let label { reference = .label(family: family, label: label) }
            else { reference = .latest(family: family) }
        }
        return ScenePrompt(reference: reference, location: node.location, variables: variables)
    }
}

extension ScenePrompt {
    /// The version a node's prompt names; nil for an inline prompt.
    public var versionReference: VersionReference? {
        switch reference {
        case .version(let family, let number): VersionReference(family: family, selector: .number(number))
        case .label(let family, let label): VersionReference(family: family, selector: .label(label))
        case .latest(let family): VersionReference(family: family, selector: .latest)
        case .inline: nil
        }
    }
}
