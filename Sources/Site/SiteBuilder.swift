import Analytics
import Checks
import Diagnostics
import Foundation
import PageTemplates
import Project
import PromptCatalog
import Similarity

/// What `promptsite build` was asked to do.
public struct BuildRequest: Sendable {
    public var config: SiteConfig
    public var configDiagnostics: [Diagnostic]
    public var strict: Bool
    /// The folder the build may never replace (the project root).
    public var project: URL
    /// How generation logs are read (with or without the cache).
    public var logs: LogIngestOptions
    /// Reuse unchanged files of the previous output (`--no-cache` turns it off).
    public var incremental: Bool
    /// Told which step runs and how far it got (a terminal's progress line).
    public var progress: BuildProgress?
    /// Seconds since 1970 (tests move it to tell "edited just now" from "edited before the last build").
    public var wallClock: @Sendable () -> Double = { Date().timeIntervalSince1970 }
    /// Plan every page even when its key says it is unchanged, and stop if one changed anyway
    /// (PageKeys.swift); on with `PROMPTSITE_VERIFY_PAGE_KEYS=1`, as `make test` sets it.
    public var verifyPageKeys = ProcessInfo.processInfo.environment["PROMPTSITE_VERIFY_PAGE_KEYS"] == "1"
    /// Versions parsed by an earlier build of this process (`serve` keeps one across rebuilds).
    public var memo: LoadMemo?
    /// What an earlier build of this process made of the prompts' texts for near-duplicates (`serve`).
    public var similarMemo: SimilarityMemo?
    /// Given the build's large intermediate values (the planned files, the last build's records)
    /// instead of freeing them on return: a one-shot command keeps them until the process exits,
    /// which frees them at once (taking them apart object by object took tens of milliseconds on
    /// one core at the end of a one-edit rebuild). Nil frees them (`serve`, tests).
    public var keep: (@Sendable (any Sendable) -> Void)?

    public init(config: SiteConfig, configDiagnostics: [Diagnostic] = [], strict: Bool = false, project: URL,
                logs: LogIngestOptions = LogIngestOptions(), incremental: Bool = true, progress: BuildProgress? = nil) {
        self.config = config
        self.configDiagnostics = configDiagnostics
        self.strict = strict
        self.project = project
        self.logs = logs
        self.incremental = incremental
        self.progress = progress
    }
}

/// What a build did.
public struct BuildResult: Sendable {
    /// The project model; nil when nothing changed since the last build and nothing was read.
    public let project: Project?
    /// Every diagnostic after Site.json's policy (replayed from the cache when nothing changed).
    public let check: CheckOutcome
    /// Content files that were checked (for the reports).
    public let checkedFiles: [String]
    /// False when `--strict` stopped the build before writing.
    public let wrote: Bool
    public let pageCount: Int
    public let fileCount: Int
    /// Files rendered or written anew, and files taken unchanged from the previous output.
    public let rendered: Int
    public let reused: Int
    /// Pages whose key was the last build's: taken from the previous output without being planned (PageKeys.swift).
    public var keyMatched = 0
    /// Version files taken parsed from the cache (`.promptsite-cache/versions/`) instead of being parsed.
    public var recalledVersions = 0
    /// Prompt texts whose words and LSH keys were taken from the cache (`.promptsite-cache/similar/`).
    public var recalledPrompts = 0
    /// Nothing the site is made from changed: the previous output was kept as it is.
    public let upToDate: Bool
    /// Notes for the user (a cache that was ignored, and why).
    public let notes: [String]
    public let seconds: Double
    /// Seconds spent in each step, in order.
    public let steps: [StepTime]
}

/// A named step failed: which step, and why.
public struct BuildError: Error, Sendable, CustomStringConvertible {
    public let step: String
    public let message: String
    public var description: String { "\(step): \(message)" }
}

/// load content → read logs → derive the project model → check → plan sections → render → write
/// (incremental, atomic).
public func buildSite(_ request: BuildRequest, clock: @escaping @Sendable () -> Double = { Date().timeIntervalSinceReferenceDate }) throws -> BuildResult {
    let start = clock()
    let progress = request.progress
    let timer = StepTimer(clock: clock, onStart: { progress?.step($0) })
    let config = request.config
    try OutputWriter.validate(output: config.outputDirectory, content: config.contentDirectory, project: request.project)
    var notes: [String] = []
    var usable = request.incremental ? SiteCache(config: config) : nil
    if let folder = usable?.folder, let problem = SiteConfig.cacheFolderProblem(folder, in: config.cacheDirectory) {
        notes.append("site cache not used: \(problem); every file is rendered")
        usable = nil
    }
    let cache = usable
    let inputs = timer.time("fingerprint inputs") { cache.map { _ in InputFingerprint(request) } }
    if let cache, let inputs {
        switch cache.upToDate(inputs: inputs, output: config.outputDirectory) {
        case .upToDate(let state):
            progress?.finish()
            return state.result(request: request, seconds: clock() - start, steps: timer.steps)
        case .changed: break
        case .ignored(let why): notes.append("site cache ignored: \(why)")
        }
    }
    // The theme compiles and the last build's records are read on another thread while the content loads.
    let theme = Theme.load(overridesIn: config.templatesDirectory)
    notes += theme.problems
    let salt = BuildSalt.of(theme: theme, config: config, verifyingKeys: request.verifyPageKeys)
    let early = BackgroundWork { () -> (library: Result<PageTemplateLibrary, any Error>, cached: SiteCache.Previous?) in
        (Result { try theme.library() }, cache.map { $0.previous(output: config.outputDirectory, salt: salt) })
    }
    // Versions parsed by earlier builds: this process's (`serve`), else those kept in the cache
    // from the first rebuild on (a first build's, CI's from a fresh clone, would never be read;
    // writing it cost a cold build 2% of its time).
    let stored = request.memo == nil && cache?.recordedBefore == true ? timer.time("recall parsed versions") { StoredMemos(config: config, clock: request.wallClock) } : nil
    if let memo = request.memo ?? stored?.versions, let inputs {
        memo.useStamps(Dictionary(inputs.versionStamps, uniquingKeysWith: { first, _ in first }))
    }
    let project = Project.load(config: config, configDiagnostics: request.configDiagnostics, logs: request.logs,
                               memo: request.memo ?? stored?.versions, similarMemo: request.similarMemo ?? stored?.similar, timer: timer)
    notes += project.logs.notes
    let check = timer.time("check") { runChecks(project, strict: request.strict) }
    // --strict or Site.json `checks.strict`: a failing check writes nothing (`check.failed` counts warnings then).
    if request.strict || config.checks.strict, check.failed {
        notes += stored?.notes ?? []
        progress?.finish()
        return BuildResult(project: project, check: check, checkedFiles: project.catalog.files, wrote: false, pageCount: 0, fileCount: 0,
                           rendered: 0, reused: 0, upToDate: false, notes: notes, seconds: clock() - start, steps: timer.steps)
    }
    let (compiled, cached) = early.result
    notes += stored?.notes ?? []
    let storing = stored.map { stored in BackgroundWork { stored.save() } }
    // Waited for on every way out, a thrown error too: the process must not exit mid-write.
    defer { _ = storing?.result }
    let library = try step("compile templates") { try compiled.get() }
    let planner = PagePlanner(project: project, diagnostics: check.diagnostics)
    var files = timer.time("plan sections") { SiteSection.plan(allSections, planner) }
    let pages = files.map(\.path).filter { $0.hasSuffix(".html") }
    files.append(PagePlanner.sitemap(pages: pages, baseURL: config.baseURL))
    files += theme.assets.sorted { $0.key < $1.key }.map { asset in OutputFile(path: "assets/" + asset.key, content: .data { asset.value }) }

    // Each file's fingerprint covers everything it is made from: its view model (or bytes), the
    // theme, Site.json and this binary. A file whose fingerprint the last build recorded is taken
    // from the previous output; the others are rendered, on all cores, right before being written.
    notes += cached?.notes ?? []
    let known = cached?.files
    let previous = known?.records ?? [:]
    let comparable = known?.sameSalt == true ? previous : [:]
    let verify = request.verifyPageKeys
    let keyMatches = { (file: OutputFile) -> Bool in
        guard case .keyed(let key?, _) = file.content else { return false }
        return comparable[file.path]?.key == key
    }
    let prepared = PendingOutputs(files: files, keyMatches: keyMatches) { file in
        PreparedOutput(file, salt: salt, library: library, previous: comparable[file.path], verifyKeys: verify)
    }
    let written = try timer.time("fingerprint, render and write atomically") {
        try SiteCache.write(prepared, into: config.outputDirectory, previous: previous, spare: previous.isEmpty ? nil : cached?.spare,
                            liveSince: cached?.liveSince, spareLiveSince: cached?.spareLiveSince,
                            cache: cache, progress: progress)
    }
    timer.time("record the build") {
        cache?.record(files: written.records, marker: written.marker, spare: written.spare, previousChecksum: cached?.filesChecksum,
                      salt: salt, inputs: inputs, output: config.outputDirectory,
                      diagnostics: check.diagnostics, checkedFiles: project.catalog.files, pageCount: pages.count)
        notes += storing?.result ?? []
    }
    request.keep?((files, prepared, cached, planner, written, pages))
    progress?.finish()
    var result = BuildResult(project: project, check: check, checkedFiles: project.catalog.files, wrote: true, pageCount: pages.count,
                             fileCount: files.count, rendered: written.rendered, reused: written.reused, upToDate: false, notes: notes,
                             seconds: clock() - start, steps: timer.steps)
    result.keyMatched = written.keyMatched
    result.recalledVersions = stored?.versions.reused ?? 0
    result.recalledPrompts = stored?.similar.recalled ?? 0
    return result
}

/// One output file ready to be written: its fingerprint, and how to make its bytes.
struct PreparedOutput: Sendable {
    let path: String
    let fingerprint: UInt64
    /// The key of a keyed page's inputs, recorded for the next build.
    let key: UInt64?
    let produce: @Sendable () throws -> Data
    /// Set when verifying page keys and a page whose key matched came out different.
    let failure: BuildError?
    /// A keyed page whose key is the last build's: not planned, encoded or hashed (unless verifying).
    let keyMatched: Bool

    /// `previous`: what the last build recorded for this path (when made with the same binary,
    /// theme and settings). Content with a key is fingerprinted by its key (the key names all it
    /// is made from): it is planned only to be written, never hashed, and content whose key the
    /// last build recorded is taken from the previous output. Other content is fingerprinted by
    /// what it holds: a page is first encoded without its deferred parts, only to be hashed; it is
    /// encoded in full only if it has to be rendered. `verifyKeys` (the tests) fingerprints keyed
    /// content by what it holds too, plans it even when its key matched, and stops if it changed;
    /// the salt tells such a build's records from the others'.
    init(_ file: OutputFile, salt: UInt64, library: PageTemplateLibrary, previous: OutputRecord? = nil, verifyKeys: Bool = false) {
        path = file.path
        guard case .keyed(let key, let plan) = file.content else {
            (fingerprint, produce) = Self.prepare(file, salt: salt, library: library, previous: previous)
            (self.key, keyMatched, failure) = (nil, false, nil)
            return
        }
        self.key = key
        keyMatched = key != nil && previous?.key == key
        if let key, !verifyKeys {
            var hasher = Fingerprint(seed: salt)
            hasher.add(file.path)
            hasher.add(tag: 0x4B)
            hasher.add(key)
            fingerprint = hasher.digest
            produce = { try Self.producer(OutputFile(path: file.path, content: plan()), library: library)() }
            failure = nil
            return
        }
        (fingerprint, produce) = Self.prepare(OutputFile(path: file.path, content: plan()), salt: salt, library: library, previous: previous)
        failure = keyMatched && fingerprint != previous?.fingerprint
            ? BuildError(step: "verify page keys", message: "\(path): its key matched the last build's but the page changed: the key misses one of its inputs")
            : nil
    }

    /// The fingerprint of content that is not keyed, and how to make its bytes.
    private static func prepare(_ file: OutputFile, salt: UInt64, library: PageTemplateLibrary,
                                previous: OutputRecord?) -> (fingerprint: UInt64, produce: @Sendable () throws -> Data) {
        var hasher = Fingerprint(seed: salt)
        hasher.add(file.path)
        switch file.content {
        case .page(let template, let model):
            return page(template, model: model, hasher: hasher, library: library, path: file.path, previous: previous)
        case .json(let value):
            hasher.add(json: value)
            return (hasher.digest, { OutputFile.bytes(of: value) })
        case .data(let make):
            let data = make()
            data.withUnsafeBytes { hasher.add(bytes: $0) }
            return (hasher.digest, { data })
        case .keyed(_, let plan):
            // Keys name whole files: keyed content inside keyed content is planned as it is.
            return prepare(OutputFile(path: file.path, content: plan()), salt: salt, library: library, previous: previous)
        }
    }

    /// How to make the bytes of content fingerprinted otherwise (by its key): nothing is hashed.
    private static func producer(_ file: OutputFile, library: PageTemplateLibrary) -> @Sendable () throws -> Data {
        switch file.content {
        case .page(let template, let model):
            return renderer(library, template: template, path: file.path) { try PageValue(encoding: model) }
        case .json(let value):
            return { OutputFile.bytes(of: value) }
        case .data(let make):
            return make
        case .keyed(_, let plan):
            return producer(OutputFile(path: file.path, content: plan()), library: library)
        }
    }

    private static func page(_ template: String, model: any PageModel, hasher: Fingerprint, library: PageTemplateLibrary, path: String,
                             previous: OutputRecord?) -> (fingerprint: UInt64, produce: @Sendable () throws -> Data) {
        var hasher = hasher
        hasher.add(template)
        let encoded = Result { try PageValue(encoding: model, makingDeferred: previous == nil) }
        if case .success(let tree) = encoded { tree.hash(into: &hasher) }
        if previous == nil {
            return (hasher.digest, renderer(library, template: template, path: path) { try encoded.get() })
        }
        // Expected to be taken from the previous output: the tree without its deferred parts
        // is dropped, and the page encoded again only if the old file turns out to be unusable.
        return (hasher.digest, renderer(library, template: template, path: path) { try PageValue(encoding: model) })
    }

    private static func renderer(_ library: PageTemplateLibrary, template: String, path: String,
                                 tree: @escaping @Sendable () throws -> PageValue) -> @Sendable () throws -> Data {
        {
            guard let html = try library.render(tree(), withTemplate: template) else {
                throw BuildError(step: "render pages", message: "no template `\(template)` for \(path)")
            }
            return Data(html)
        }
    }
}

/// One page through its template (tests render single pages).
func render(_ page: PlannedPage, with library: PageTemplateLibrary) throws -> Data {
    try PreparedOutput(.page(page), salt: 0, library: library).produce()
}

private func step<Value>(_ name: String, _ body: () throws -> Value) throws -> Value {
    do {
        return try body()
    } catch let error as BuildError {
        throw error
    } catch {
        throw BuildError(step: name, message: "\(error)")
    }
}
