import Diagnostics
import Foundation
import PromptTemplates

/// What loading a content directory gives: the catalog and every problem found while reading it.
public struct LoadResult: Sendable {
    public let catalog: Catalog
    public let diagnostics: [Diagnostic]

    public init(catalog: Catalog, diagnostics: [Diagnostic]) {
        self.catalog = catalog
        self.diagnostics = diagnostics
    }
}

/// Loads `prompts/`, `providers/`, `action-blocks/`, `programs/`, `contexts/`, `plugins/`, `node-types/`, `scenes/`,
/// `content-packs/` and `docs/` from a content directory,
/// and lists the log files under `logs/`. Every file is read
/// and parsed once; a broken file becomes diagnostics, never a crash.
public enum CatalogLoader {
    /// The folders of a content root that are read (`prompts`, `providers`, …): nothing else in it is.
    public static var contentFolders: Set<String> { ContentTree.contentFolders }

    /// Whether an entry named `name` anywhere under the content folder `top` is read (the input fingerprint walks the same names).
    public static func reads(_ name: String, inContentFolder top: String) -> Bool { ContentTree.reads(name, inContentFolder: top) }

    /// `memo`: versions parsed by an earlier load of this process (`serve`), reused when their files did not change.
    public static func load(contentDirectory: URL, memo: LoadMemo? = nil) -> LoadResult {
        var tree = ContentTree(root: contentDirectory)
        tree.memo = memo
        memo?.startLoad()
        defer { memo?.finishLoad() }
        return load(tree)
    }

    /// A catalog from files held in memory (content-relative path → text), read exactly as from a
    /// folder: for tests and tools that never touch the disk.
    public static func load(files: [String: String]) -> LoadResult {
        load(ContentTree(root: URL(fileURLWithPath: "/in-memory-content"), memory: files.mapValues { Data($0.utf8) }))
    }

    static func load(_ tree: ContentTree) -> LoadResult {
        // The walk for skipped links reads every folder again, one at a time: on another thread
        // while the families load (10,000 versions: 15 ms that were all waiting).
        let links = BackgroundWork { tree.skippedLinks() }
        var diagnostics: [Diagnostic] = []
        var files: [String] = []

        let providerEntries = tree.entries(in: "providers").filter { !$0.isDirectory && ($0.name.hasSuffix(".yaml") || $0.name.hasSuffix(".yml")) }
        var providers: [Provider] = []
        for entry in providerEntries {
            files.append(entry.path)
            let loaded = ProviderLoader.load(entry)
            providers += loaded.value.map { [$0] } ?? []
            diagnostics += loaded.diagnostics
        }
        diagnostics += duplicateProviderIDs(providers)

        var familyFolders: [ContentEntry] = []
        for entry in tree.entries(in: "prompts") {
            if entry.isDirectory {
                familyFolders.append(entry)
            } else {
                diagnostics.append(.warning("unexpected-file", "`\(entry.name)` is not inside a family folder and is ignored",
                                            at: SourceLocation(file: entry.path), hint: "move it to prompts/<family>/"))
            }
        }
        let loadedFamilies = parallelMap(familyFolders) { FamilyLoader.load($0, tree: tree) }
        var families: [PromptFamily] = []
        for loaded in loadedFamilies {
            families.append(loaded.family)
            diagnostics += loaded.diagnostics
            files += loaded.files
        }
        let actionBlocks = ActionBlockLoader.load(tree)
        let docs = DocsLoader.load(tree)
        let programs = ProgramLoader.load(tree)
        let contexts = ContextLoader.load(tree)
        var logs = tree.files(under: "logs", suffixes: LogFileEntry.suffixes, what: "generation log")
        logs.entries = onePathPerFile(logs.entries, diagnostics: &logs.diagnostics)
        let plugins = PluginLoader.load(tree)
        let nodeTypes = NodeTypeLoader.load(tree)
        let scenes = SceneLoader.load(tree)
        let contentPacks = ContentPackLoader.load(tree)
        let parts: [(diagnostics: [Diagnostic], files: [String])] = [
            (actionBlocks.diagnostics, actionBlocks.files), (docs.diagnostics, docs.docs.map(\.path) + docs.images.map(\.path)),
            (programs.diagnostics, programs.files), (contexts.diagnostics, contexts.files), (logs.diagnostics, []),
            (plugins.diagnostics, plugins.files), (nodeTypes.diagnostics, nodeTypes.files), (scenes.diagnostics, scenes.files),
            (contentPacks.diagnostics, contentPacks.files),
        ]
        for part in parts {
            diagnostics += part.diagnostics
            files += part.files
        }
        diagnostics = links.result + diagnostics
        let catalog = Catalog(families: families, providers: providers, docs: docs.docs, docImages: docs.images, blocks: actionBlocks.blocks,
                              packages: actionBlocks.packages, programs: programs.programs, contexts: contexts.contexts, files: files,
                              logFiles: logs.entries.map { LogFileEntry(path: $0.path, url: $0.url) },
                              plugins: plugins.plugins, nodeTypes: nodeTypes.nodeTypes, scenes: scenes.scenes,
                              contentPacks: contentPacks.packs)
        return LoadResult(catalog: catalog, diagnostics: diagnostics)
    }

    private static func duplicateProviderIDs(_ providers: [Provider]) -> [Diagnostic] {
        var firstFile: [String: String] = [:]
        var diagnostics: [Diagnostic] = []
        for provider in providers {
            if let earlier = firstFile[provider.id] {
                diagnostics.append(.error("invalid-field", "provider id `\(provider.id)` is also defined in \(earlier)", at: provider.location,
                                          hint: "give each provider a unique id matching its file name"))
            } else {
                firstFile[provider.id] = provider.file
            }
        }
        return diagnostics
    }
}

/// A loaded value (absent when the file was unusable) and the diagnostics found on the way.
struct Loaded<Value> {
    let value: Value?
    let diagnostics: [Diagnostic]
}

extension Loaded: Sendable where Value: Sendable {}

/// Work started on another thread now, its result taken when it is needed.
public final class BackgroundWork<Value: Sendable>: @unchecked Sendable {
    // Written once by the worker before `done` is signalled, read only after waiting for it.
    private var value: Value?
    private let done = DispatchSemaphore(value: 0)

    public init(_ work: @escaping @Sendable () -> Value) {
        DispatchQueue.global(qos: .userInitiated).async {
            self.value = work()
            self.done.signal()
        }
    }

    /// Waits for the work (as often as asked).
    public var result: Value {
        done.wait()
        defer { done.signal() }
        return value!
    }
}

/// Maps in parallel on all cores, keeping the order of the input.
public func parallelMap<Input: Sendable, Output: Sendable>(_ inputs: [Input], _ transform: @Sendable (Input) -> Output) -> [Output] {
    guard inputs.count > 1 else { return inputs.map(transform) }
    let results = UnsafeMutableBufferPointer<Output?>.allocate(capacity: inputs.count)
    results.initialize(repeating: nil)
    // The results are moved out below, so the buffer holds nothing when it is freed (copying
    // them out left every result retained once more: each build leaked its whole model).
    defer { results.deallocate() }
    // Each iteration writes only its own slot, so the buffer is shared safely.
    nonisolated(unsafe) let slots = results
    DispatchQueue.concurrentPerform(iterations: inputs.count) { index in
        slots[index] = transform(inputs[index])
    }
    return (0..<inputs.count).map { (results.baseAddress! + $0).move()! }
}

/// Reads a YAML file whose top level must be a mapping.
func readYAMLMapping(_ entry: ContentEntry, what: String) -> Result<SourceNode, Diagnostic> {
    let text: String
    switch SourceFile.read(entry) {
    case .success(let read): text = read
    case .failure(let diagnostic): return .failure(diagnostic)
    }
    let start = SourceLocation(file: entry.path, line: 1, column: 1)
    if text.allSatisfy(\.isWhitespace) {
        return .failure(.error("invalid-field", "\(what) is empty", at: start, hint: "see the README for the fields of \(what)"))
    }
    switch YAMLReader.parse(text, file: entry.path) {
    case .failure(let diagnostic): return .failure(diagnostic)
    case .success(let node):
        guard let node, node.members != nil else {
            return .failure(.error("invalid-field", "\(what) must be a YAML mapping of fields, found \(node?.kindName ?? "nothing")",
                                   at: node?.location ?? start, hint: "write `field: value` lines, e.g. `title: ...`"))
        }
        return .success(node)
    }
}

/// Log files reached by several names (links to one file, a hard link) are read once, under the
/// first name: read under each, every generation counted two or three times. The others get a
/// `log-duplicate-file` warning.
func onePathPerFile(_ entries: [ContentEntry], diagnostics: inout [Diagnostic]) -> [ContentEntry] {
    var firstPath: [String: String] = [:]
    return entries.sorted { $0.path < $1.path }.filter { entry in
        guard entry.data == nil else { return true }
        var info = stat()
        guard stat(entry.filePath, &info) == 0 else { return true }
        let identity = "\(info.st_dev):\(info.st_ino)"
        guard let earlier = firstPath[identity] else {
            firstPath[identity] = entry.path
            return true
        }
        diagnostics.append(.warning("log-duplicate-file", "\(entry.path) is the same file as \(earlier) (a link); its generations are counted once, under \(earlier)",
                                    at: SourceLocation(file: entry.path), hint: "remove the link, or point it at another log"))
        return false
    }
}
