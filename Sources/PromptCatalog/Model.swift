import Diagnostics
import Foundation
import PromptTemplates

/// Everything loaded from a content directory.
public struct Catalog: Sendable {
    public let families: [PromptFamily]
    public let providers: [Provider]
    public let docs: [DocFile]
    /// Images beside the docs, published at their places.
    public let docImages: [DocImage]
    /// Action blocks from `action-blocks/**/*.json`, by file path then position in the file.
    public let blocks: [ActionBlock]
    /// Action-block packages (files that are objects with `action_blocks`), by file path.
    public let packages: [ActionBlockPackage]
    /// Narrative programs from `programs/**/*.json`, by file path.
    public let programs: [PromptProgram]
    /// Preview contexts from `contexts/<id>.yaml`, by id.
    public let contexts: [PreviewContext]
    /// Content-relative paths of every file that was read.
    public let files: [String]
    /// Generation logs under `logs/` (read by the analytics, not by the loader), by path.
    public let logFiles: [LogFileEntry]
    /// `plugins/<id>/plugin.yaml`, `node-types/<id>.yaml`, `scenes/<id>.yaml`, by id.
    public let plugins: [Plugin]
    public let nodeTypes: [NodeType]
    public let scenes: [Scene]
    /// PixSim7's content packs from `content-packs/` (prompt and primitive packs, compiled blocks, slot templates).
    public let contentPacks: ContentPacks

    public init(families: [PromptFamily], providers: [Provider], docs: [DocFile] = [], docImages: [DocImage] = [], blocks: [ActionBlock] = [],
                packages: [ActionBlockPackage] = [], programs: [PromptProgram] = [], contexts: [PreviewContext] = [], files: [String],
                logFiles: [LogFileEntry] = [], plugins: [Plugin] = [], nodeTypes: [NodeType] = [], scenes: [Scene] = [],
                contentPacks: ContentPacks = .empty) {
        self.contentPacks = contentPacks
        self.logFiles = logFiles.sorted { $0.path < $1.path }
        self.plugins = plugins.sorted { $0.id < $1.id }
        self.nodeTypes = nodeTypes.sorted { $0.id < $1.id }
        self.scenes = scenes.sorted { $0.id < $1.id }
        self.families = families.sorted { $0.slug < $1.slug }
        self.providers = providers.sorted { $0.id < $1.id }
        self.docs = docs
        self.docImages = docImages
        self.blocks = blocks.sorted { $0.idLocation < $1.idLocation }
        self.packages = packages.sorted { $0.file < $1.file }
        self.programs = programs.sorted { $0.file < $1.file }
        self.contexts = contexts.sorted { $0.id < $1.id }
        self.files = files.sorted()
        familyIndex = Self.firstIndex(of: self.families.map(\.slug))
        blockIndex = Self.firstIndex(of: self.blocks.map(\.id))
        var versioning: [String: String] = [:]
        for family in self.families { if let block = family.actionBlock, versioning[block] == nil { versioning[block] = family.slug } }
        familyVersioningBlock = versioning
        let families = self.families, index = familyIndex
        includeGraph = IncludeGraph(families: families) { slug in index[slug].map { families[$0] } }
    }

    public static let empty = Catalog(families: [], providers: [], files: [])

    /// Who includes whom, resolved once.
    public let includeGraph: IncludeGraph

    /// Lookups by name are asked for every version, block and log cell: kept O(1).
    private let familyIndex: [String: Int]
    private let blockIndex: [String: Int]
    private let familyVersioningBlock: [String: String]

    private static func firstIndex(of names: [String]) -> [String: Int] {
        var index: [String: Int] = [:]
        for (position, name) in names.enumerated() where index[name] == nil { index[name] = position }
        return index
    }

    public func family(_ slug: String) -> PromptFamily? { familyIndex[slug].map { families[$0] } }
    /// The family whose `action_block` names this block (the first by slug).
    /// (A closure, not `family`: a method reference copies the whole catalog into its context.)
    public func familyVersioning(block id: String) -> PromptFamily? { familyVersioningBlock[id].flatMap { family($0) } }
    public func provider(_ id: String) -> Provider? { providers.first { $0.id == id } }
    /// The first block with this id (duplicates are reported as `block-duplicate-id`).
    public func block(_ id: String) -> ActionBlock? { blockIndex[id].map { blocks[$0] } }
    public func package(_ name: String) -> ActionBlockPackage? { packages.first { $0.name == name } }
    /// The first program with this id (duplicates are reported as `program-duplicate-id`).
    /// The program with this id, else the one whose file is `<name>.json` (PixSim7 loads `programs_dir/<name>.json`).
    public func program(_ id: String) -> PromptProgram? {
        programs.first { $0.id == id } ?? program(named: id)
    }

    /// The program in `<name>.json` (the first such file), as PixSim7's `NarrativeEngine` loads
    /// one: by file name only, whatever the id inside says.
    public func program(named name: String) -> PromptProgram? {
        // `programs_dir / f"{name}.json"`: a name with folders (`sub/y`) is a path under programs/,
        // and `x` is programs/x.json, never programs/aaa/x.json.
        programs.first { $0.file == "programs/\(name).json" }
    }
    public func context(_ id: String) -> PreviewContext? { contexts.first { $0.id == id } }
    public func plugin(_ id: String) -> Plugin? { plugins.first { $0.id == id } }
    public func nodeType(_ id: String) -> NodeType? { nodeTypes.first { $0.id == id } }
    public func scene(_ id: String) -> Scene? { scenes.first { $0.id == id } }
    public var versionCount: Int { families.reduce(0) { $0 + $1.versions.count } }
}

/// A generation log file: `logs/**/*.jsonl`, `*.csv` or `*.jsonl.gz`.
public struct LogFileEntry: Sendable, Hashable {
    /// Relative to the content directory.
    public let path: String
    public let url: URL

    public init(path: String, url: URL) {
        self.path = path
        self.url = url
    }

    /// The file names generation logs may have.
    public static let suffixes = [".jsonl", ".csv", ".jsonl.gz"]
}

public enum PromptType: String, Sendable, CaseIterable {
    case visual, narrative, hybrid
    /// Meant only to be included by other prompts (`{{> family}}`): not measured against
    /// providers on its own, not a generation candidate.
    case snippet
}

/// `prompts/<slug>/family.yaml` and its versions.
public struct PromptFamily: Sendable {
    public let slug: String
    public let file: String
    public let title: String
    public let description: String?
    public let promptType: PromptType?
    public let category: String?
    public let tags: [String]
    public let nodeTypes: [String]
    public let actionBlock: String?
    /// Where `action_block:` is written (its value), for the diagnostics about it.
    public var actionBlockLocation: SourceLocation? = nil
    public let scene: String?
    public let npc: String?
    public let labels: [FamilyLabel]
    public let active: Bool
    /// Versions sorted by number (duplicates kept, so checks can report them).
    public let versions: [PromptVersion]

    public func version(_ number: Int) -> PromptVersion? { versions.first { $0.number == number } }
    public var latest: PromptVersion? { versions.last }
    public func label(_ name: String) -> FamilyLabel? { labels.first { $0.name == name } }
}

/// A label such as `production: 3`.
public struct FamilyLabel: Hashable, Sendable {
    public let name: String
    public let version: Int
    public let location: SourceLocation
}

/// `prompts/<family>/v<N>.prompt`: front matter and the template body.
///
/// Versions are copied wherever a list of them is filtered, mapped or captured (rules, lengths,
/// pages), so their fields live in one immutable box: a copy is one retain instead of one per
/// field. The box is never mutated, so a version is still a plain value.
public struct PromptVersion: Sendable {
    /// What the loader read (`VersionLoader` is the only maker).
    struct Fields: Sendable {
        let family: String
        let number: Int
        let file: String
        let location: SourceLocation
        let declaredVersion: Located<Int>?
        let parent: Located<Int>?
        let branch: String
        let message: String?
        let author: String?
        let date: Date?
        let semver: String?
        let tags: [String]
        let providers: [Located<String>]?
        let variables: [VariableSpec]
        let strategies: [Located<String>]
        let randomization: [PoolSpec]
        let providerHints: [ProviderHint]
        let negative: Located<String>?
        let examples: [Example]
        let template: Template
        let bodyLine: Int
        let frontMatter: FrontMatterTree
        /// XXH64 of the file's text as read: everything above is made from it.
        let sourceDigest: UInt64
        /// The first declaration of each path and the first pool of each name, by position: asked
        /// for every reference of every template (a search of the list was quadratic in them).
        var variableIndex: [VariablePath: Int] = [:]
        var poolIndex: [String: Int] = [:]
    }

    private let storage: Shared<Fields>

    init(_ fields: Fields) {
        var indexed = fields
        for (position, spec) in fields.variables.enumerated() where indexed.variableIndex[spec.path] == nil { indexed.variableIndex[spec.path] = position }
        for (position, pool) in fields.randomization.enumerated() where indexed.poolIndex[pool.name] == nil { indexed.poolIndex[pool.name] = position }
        storage = Shared(indexed)
    }

    public var family: String { storage.value.family }
    /// N from the file name `v<N>.prompt`.
    public var number: Int { storage.value.number }
    public var file: String { storage.value.file }
    public var location: SourceLocation { storage.value.location }
    /// `version:` as written, with its place.
    public var declaredVersion: Located<Int>? { storage.value.declaredVersion }
    public var parent: Located<Int>? { storage.value.parent }
    public var branch: String { storage.value.branch }
    public var message: String? { storage.value.message }
    public var author: String? { storage.value.author }
    public var date: Date? { storage.value.date }
    public var semver: String? { storage.value.semver }
    public var tags: [String] { storage.value.tags }
    /// `providers:` as written; nil means Site.json `defaultProviders`.
    public var providers: [Located<String>]? { storage.value.providers }
    public var variables: [VariableSpec] { storage.value.variables }
    public var strategies: [Located<String>] { storage.value.strategies }
    public var randomization: [PoolSpec] { storage.value.randomization }
    public var providerHints: [ProviderHint] { storage.value.providerHints }
    public var negative: Located<String>? { storage.value.negative }
    public var examples: [Example] { storage.value.examples }
    public var template: Template { storage.value.template }
    /// The file line where the template body starts.
    public var bodyLine: Int { storage.value.bodyLine }
    /// The front matter as written, for field-level diffs.
    public var frontMatter: SourceNode? { storage.value.frontMatter.tree }
    /// The tree as stored: what the cache writes back without reading it.
    var keptFrontMatter: FrontMatterTree { storage.value.frontMatter }
    /// A 64-bit hash of the file's text as it was read (every field above is made from that text,
    /// the file's path and the family's folder): what changes when anything read from the file does.
    public var sourceDigest: UInt64 { storage.value.sourceDigest }

    public var id: String { "\(family)@\(number)" }

    public func variable(_ path: VariablePath) -> VariableSpec? { storage.value.variableIndex[path].map { variables[$0] } }
    public func pool(_ name: String) -> PoolSpec? { storage.value.poolIndex[name].map { randomization[$0] } }

    /// Where a position inside the template body is in the file.
    public func location(of position: TemplatePosition) -> SourceLocation {
        SourceLocation(file: file, line: bodyLine + position.line - 1, column: position.column)
    }

    /// The providers this version is validated against.
    public func providerIDs(defaults: [String]) -> [String] {
        providers.map { $0.map(\.value) } ?? defaults
    }
}

/// A version's front matter as a tree: as parsed, or as the bytes of a kept record, read when
/// asked for. Only field-level diffs and one rule read a version's tree, for few versions;
/// building every tree was a third of recalling a version from the cache.
enum FrontMatterTree: Sendable, CustomReflectable, CustomStringConvertible {
    case parsed(SourceNode?)
    /// A record's node bytes (`VersionRecords`), with the file its locations are in.
    case recorded([UInt8], file: String)

    var tree: SourceNode? {
        switch self {
        case .parsed(let node): node
        // The memo's bytes were checked against their checksum when read: they read as written.
        case .recorded(let bytes, let file): VersionRecords.node(bytes, file: file)
        }
    }

    // The tree, not its storage: a recalled version dumps as the parsed one does.
    var customMirror: Mirror { Mirror(reflecting: tree as Any) }
    var description: String { String(describing: tree) }
}

public enum VariableType: String, Sendable, CaseIterable {
    case string, int, float, bool, `enum`
}

/// A declared variable: `lead: { type: string, required: true, max_length: 40 }`.
///
/// Declarations are copied whenever lists of them are joined or searched (previews, lengths,
/// rules), so their fields live in one immutable box, as a version's do.
public struct VariableSpec: Sendable {
    /// The largest `max_length` accepted: a hundred million characters is already far beyond
    /// any provider, and keeps worst-case sums exact.
    public static let largestMaxLength = 100_000_000

    /// What the loader read (`VariableSpecReader` is the only maker).
    struct Fields: Sendable {
        let path: VariablePath
        let location: SourceLocation
        let typeName: Located<String>?
        let type: VariableType?
        let required: Bool
        let defaultValue: SourceNode?
        let description: String?
        let maxLength: Located<Int>?
        let min: Located<Double>?
        let max: Located<Double>?
        let values: [Located<String>]
    }

    private let storage: Shared<Fields>

    init(_ fields: Fields) { storage = Shared(fields) }

    public var path: VariablePath { storage.value.path }
    public var location: SourceLocation { storage.value.location }
    /// `type:` as written; `type` is nil when it names no known type.
    public var typeName: Located<String>? { storage.value.typeName }
    public var type: VariableType? { storage.value.type }
    public var required: Bool { storage.value.required }
    public var defaultValue: SourceNode? { storage.value.defaultValue }
    public var description: String? { storage.value.description }
    public var maxLength: Located<Int>? { storage.value.maxLength }
    public var min: Located<Double>? { storage.value.min }
    public var max: Located<Double>? { storage.value.max }
    public var values: [Located<String>] { storage.value.values }
}

/// An immutable value behind one reference: copying a struct that holds it is one retain, however
/// many fields the value has. It is never mutated, so the holder is still a plain value.
final class Shared<Value: Sendable>: Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// A randomization pool: `name: [a, b]` or `name: { values: [...], weights: [...] }`.
public struct PoolSpec: Sendable {
    public let name: String
    public let location: SourceLocation
    public let pool: RandomizationPool
    public let valueLocations: [SourceLocation]
    public let weightsGiven: Bool
}

/// `provider_hints: { pixverse: { quality: 720p } }`, one hint per parameter.
public struct ProviderHint: Sendable {
    public let provider: Located<String>
    public let parameter: Located<String>
    public let value: SourceNode
}

/// A named set of variable values; the first example is the default preview.
public struct Example: Sendable {
    public let name: String
    public let location: SourceLocation
    /// Leaf values by dotted path, with where each was written.
    public let assignments: [(path: VariablePath, node: SourceNode)]

    public var values: TemplateValues {
        var values = TemplateValues()
        for assignment in assignments { values.set(assignment.node.templateValue, at: assignment.path) }
        return values
    }
}

/// The generation strategies of SPEC §2.2.
public enum Strategy: String, Sendable, CaseIterable {
    case once, per_playthrough, per_player, always

    /// Whether randomization pools may be used with this strategy.
    public var allowsRandomization: Bool { self == .always || self == .per_playthrough }
}

/// `providers/<id>.yaml`.
public struct Provider: Sendable {
    public let id: String
    public let file: String
    public let location: SourceLocation
    public let name: String
    public let promptLimit: Int?
    public let negativePromptLimit: Int?
    public let operations: [String]
    public let parameters: [ProviderParameter]
    public let cost: ProviderCost?

    public func parameter(_ name: String) -> ProviderParameter? { parameters.first { $0.name == name } }
}

public enum ParameterType: String, Sendable, CaseIterable {
    case int, float, bool, string, `enum`
}

public struct ProviderParameter: Sendable {
    public let name: String
    public let type: ParameterType
    public let min: Double?
    public let max: Double?
    public let values: [String]
    public let location: SourceLocation
}

public struct ProviderCost: Sendable, Hashable {
    public let perGeneration: Double?
    public let perSecond: Double?
    public let currency: String
}
