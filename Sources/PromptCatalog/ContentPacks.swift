import Diagnostics
import PromptTemplates

/// PixSim7's `content_packs/` folder as read from `Content/content-packs/`: prompt packs
/// (`prompt/<pack>/`, schema-first blocks and slot templates) and legacy primitive packs
/// (`primitives/<pack>/`, plain block lists). Blocks carry PixSim7's ids and texts.
public struct ContentPacks: Sendable {
    /// By kind (prompt first), then folder name.
    public let packs: [ContentPack]
    /// By pack, then file, then position: the order PixSim7's loaders produce them.
    public let blocks: [PackBlock]
    /// By pack, then file, then position.
    public let templates: [PackTemplate]
    /// Each template with the blocks each of its slots accepts, made once: the rules, the pages
    /// and the API each made them again from every template and block.
    public let compositions: [PackComposition]

    public init(packs: [ContentPack], blocks: [PackBlock], templates: [PackTemplate]) {
        self.packs = packs
        self.blocks = blocks
        self.templates = templates
        compositions = Self.compositions(templates: templates, blocks: blocks)
    }

    public static let empty = ContentPacks(packs: [], blocks: [], templates: [])

    public var isEmpty: Bool { packs.isEmpty }

    public func blocks(in pack: ContentPack) -> [PackBlock] { blocks.filter { $0.pack == pack.name && $0.kind == pack.kind } }
    public func templates(in pack: ContentPack) -> [PackTemplate] { templates.filter { $0.pack == pack.name && $0.kind == pack.kind } }
}

/// Which of PixSim7's two pack layouts a pack uses.
public enum PackKind: String, Sendable, Comparable {
    /// `content_packs/prompt/<pack>/`: `schema.yaml`, `blocks.schema.yaml`, `blocks/**/*.schema.yaml`, `templates.yaml`.
    case prompt
    /// `content_packs/primitives/<pack>/`: `blocks.yaml` and `blocks/*.yaml` lists of plain blocks.
    case primitives

    public static func < (lhs: PackKind, rhs: PackKind) -> Bool { lhs.rawValue > rhs.rawValue }
}

/// One pack folder.
public struct ContentPack: Sendable {
    /// The folder name (PixSim7's `content_pack` tag).
    public let name: String
    public let kind: PackKind
    /// Content-relative folder, e.g. `content-packs/prompt/core_camera`.
    public let folder: String
    public let manifest: PackManifest?
}

/// `manifest.yaml` of a pack.
public struct PackManifest: Sendable {
    public let file: String
    public let id: String?
    public let title: String?
    public let description: String?
    public let version: String?
    public let category: String?
    public let packageName: String?
    public let matrixPresets: [MatrixPreset]
}

/// A `matrix_presets` entry: a table of blocks by a row key and a column key
/// (`category`, `package_name`, `role` or `tag:<key>`), filtered by package and tags.
public struct MatrixPreset: Sendable {
    public let label: String
    public let rowKey: String
    public let columnKey: String
    public let packageName: String?
    /// `key:value` pairs separated by commas, as PixSim7 writes them (`modality_support:video`).
    public let tags: [(key: String, value: String)]
    public let includeEmpty: Bool
    public let location: SourceLocation
}

/// A block as PixSim7 compiles it: a variant of a schema entry, a plain block of a schema file,
/// or a legacy primitive.
public struct PackBlock: Sendable {
    /// The fields behind one reference: a template's slots hold their candidate blocks, and a
    /// thousand slots over a thousand blocks copied a million blocks field by field.
    private let storage: Shared<Fields>

    private struct Fields: Sendable {
        let id: String
        let pack: String
        let kind: PackKind
        let category: String
        let text: String
        let tags: [(key: String, value: JSONValue)]
        let packageName: String?
        let schemaID: String?
        let variantKey: String?
        let location: SourceLocation
        let textLocation: SourceLocation
    }

    public init(id: String, pack: String, kind: PackKind, category: String, text: String, tags: [(key: String, value: JSONValue)],
                packageName: String?, schemaID: String?, variantKey: String?, location: SourceLocation, textLocation: SourceLocation) {
        storage = Shared(Fields(id: id, pack: pack, kind: kind, category: category, text: text, tags: tags, packageName: packageName,
                                schemaID: schemaID, variantKey: variantKey, location: location, textLocation: textLocation))
    }

    /// PixSim7's `block_id`: `<id_prefix>.<variant key>`, the variant's `block_id`, or the primitive's.
    public var id: String { storage.value.id }
    public var pack: String { storage.value.pack }
    public var kind: PackKind { storage.value.kind }
    /// The category PixSim7 stores (`content_pack_projection.project_block_to_primitive`): `category` stripped,
    /// else the block's `role` stripped, else `uncategorized`. A primitive's `category` as written.
    public var category: String { storage.value.category }
    public var text: String { storage.value.text }
    /// Tags in the order PixSim7 builds them (derived keys such as `variant`, `op_id`, `source_pack` included).
    public var tags: [(key: String, value: JSONValue)] { storage.value.tags }
    public var packageName: String? { storage.value.packageName }
    /// The schema entry's `id` (`blocks[].id`) and the variant key, for schema blocks.
    public var schemaID: String? { storage.value.schemaID }
    public var variantKey: String? { storage.value.variantKey }
    /// Where the block was declared (the variant, or the plain block).
    public var location: SourceLocation { storage.value.location }
    /// Where its text came from (the variant's `text`, the schema's `text_template`/`text_synthesis`, the block's `text`).
    public var textLocation: SourceLocation { storage.value.textLocation }

    public func tag(_ key: String) -> JSONValue? { tags.first { $0.key == key }?.value }

    /// A tag as PostgreSQL's `jsonb_extract_path_text` gives it (what PixSim7's slot queries compare): strings as
    /// they are, numbers and booleans as JSON text, lists and objects as JSON; nil for null or absent.
    public func tagText(_ key: String) -> String? {
        switch tag(key) {
        case nil, .null?: nil
        case .string(let text)?: text
        case let value?: value.serialized()
        }
    }
}

/// A slot template of `templates.yaml`.
public struct PackTemplate: Sendable {
    public let slug: String
    public let name: String
    public let description: String?
    public let pack: String
    public let kind: PackKind
    public let packageName: String?
    public let compositionStrategy: String
    public let slots: [PackSlot]
    public let location: SourceLocation
}

/// One slot of a template: which blocks may fill it.
public struct PackSlot: Sendable {
    public let key: String?
    public let label: String
    public let role: String?
    public let category: String?
    public let packageName: String?
    public let query: PackTagQuery
    public let optional: Bool
    /// Text the slot adds after its block (`reinforcement_text`) or uses when empty (`fallback_text`).
    public let reinforcementText: String?
    public let fallbackText: String?
    public let location: SourceLocation

    public var name: String { key ?? label }

    /// The slot's filter, as written: `category light, package lantern_scenes, all {k: v}, any {k: a|b}, not {…}`.
    public var filterDescription: String {
        var parts: [String] = []
        if let category { parts.append("category \(category)") }
        if let packageName { parts.append("package \(packageName)") }
        for (name, group) in [("all", query.all), ("any", query.any), ("not", query.not)] where !group.isEmpty {
            parts.append("\(name) {" + group.map { "\($0.key): \($0.values.joined(separator: "|"))" }.joined(separator: ", ") + "}")
        }
        return parts.isEmpty ? "no filter" : parts.joined(separator: ", ")
    }

    /// Whether a block may fill this slot, the way PixSim7's block query filters: `category` equal,
    /// `package_name` as an `all` condition on the `source_pack` tag, then the tag groups.
    public func accepts(_ block: PackBlock) -> Bool {
        if let category, block.category != category { return false }
        return query.withPackage(packageName).matches(block)
    }
}

/// A slot's tag query: every `all` condition, at least one `any` condition, no `not` condition.
/// A condition's value is one value or a list of values (the tag must equal one of them).
public struct PackTagQuery: Sendable {
    public let all: [(key: String, values: [String])]
    public let any: [(key: String, values: [String])]
    public let not: [(key: String, values: [String])]

    public init(all: [(key: String, values: [String])] = [], any: [(key: String, values: [String])] = [],
                not: [(key: String, values: [String])] = []) {
        self.all = all
        self.any = any
        self.not = not
    }

    public var isEmpty: Bool { all.isEmpty && any.isEmpty && not.isEmpty }

    /// PixSim7 adds a slot's `package_name` as `source_pack` to `all` unless `all` already names `source_pack`.
    func withPackage(_ packageName: String?) -> PackTagQuery {
        guard let packageName, !all.contains(where: { $0.key == "source_pack" }) else { return self }
        return PackTagQuery(all: all + [("source_pack", [packageName])], any: any, not: not)
    }

    public func matches(_ block: PackBlock) -> Bool {
        func holds(_ condition: (key: String, values: [String])) -> Bool {
            guard let text = block.tagText(condition.key) else { return false }
            return condition.values.contains(text)
        }
        // An empty value list is skipped, as PixSim7 does.
        let all = all.filter { !$0.values.isEmpty }, any = any.filter { !$0.values.isEmpty }, not = not.filter { !$0.values.isEmpty }
        guard all.allSatisfy(holds) else { return false }
        if !any.isEmpty, !any.contains(where: holds) { return false }
        return !not.contains(where: holds)
    }
}

extension String {
    /// Python's `str.strip()`: the characters `str.isspace()` accepts, which include U+001C–U+001F
    /// (Foundation's `whitespacesAndNewlines` does not), removed at both ends, scalar by scalar.
    public var pythonStripped: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.isPythonSpace }) else { return "" }
        let last = scalars.lastIndex { !$0.isPythonSpace }!
        return String(scalars[first...last])
    }
}

extension Unicode.Scalar {
    /// Python's `str.isspace()` for one character.
    var isPythonSpace: Bool {
        switch value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }
}

extension JSONValue {
    /// Python's `str()` of the value as PyYAML would have read it (`True`, `4.0`, `['a', 'b']`).
    public var pythonText: String {
        switch self {
        case .string(let text): text
        default: pythonRepr
        }
    }

    public var pythonRepr: String {
        switch self {
        case .null: "None"
        case .bool(let flag): flag ? "True" : "False"
        case .int(let number): String(number)
        case .double(let number): TemplateValue.pythonFloat(number)
        case .string(let text): TemplateValue.string(text).pythonRepr
        case .array(let items): "[" + items.map(\.pythonRepr).joined(separator: ", ") + "]"
        case .object(let members): "{" + members.map { TemplateValue.string($0.0).pythonRepr + ": " + $0.1.pythonRepr }.joined(separator: ", ") + "}"
        }
    }
}
