import Analytics
import Diagnostics
import Foundation
import Markdown
import PromptCatalog
import Similarity

/// Everything a build knows about the content, derived once: the catalog, the generation logs and
/// the analytics made from them, every version's lengths, the near-duplicate clusters, and the
/// problems found while reading. Rules, pages and the JSON API read it; none of them derives
/// these facts again.
public struct Project: Sendable {
    public let config: SiteConfig
    public let catalog: Catalog
    /// Where Site.json is, relative to the content directory, for diagnostics about it.
    public let configFile: String?
    /// Problems found while reading Site.json, the content and the logs (before any rule ran).
    public let readDiagnostics: [Diagnostic]
    /// The generation logs, read (or recalled from the cache) and merged.
    public let logs: LogIngest
    public let analytics: AnalyticsReport
    public let lengths: LengthTable
    public let similar: SimilarPrompts
    /// Each doc's Markdown as HTML, by path (the doc pages and `doc-broken-link` read it; cmark
    /// renders one document at a time).
    public let docHTML: [String: String]

    /// Derives the model from what was read. `findSimilar: false` skips near-duplicates (commands
    /// that never report them).
    public init(config: SiteConfig, loaded: LoadResult, logs: LogIngest = .empty, configDiagnostics: [Diagnostic] = [], findSimilar: Bool = true,
                similarMemo: SimilarityMemo? = nil) {
        self.config = config
        catalog = loaded.catalog
        let configFile = config.file.map { relativePath(of: $0, from: config.contentDirectory) }
        self.configFile = configFile
        readDiagnostics = configDiagnostics.map { $0.relocated(to: configFile) } + loaded.diagnostics + logs.diagnostics
        self.logs = logs
        lengths = LengthTable(loaded.catalog)
        analytics = AnalyticsReport(logs, catalog: loaded.catalog, lengths: lengths, minSamples: config.minSamples, confidence: config.confidence)
        similar = findSimilar ? SimilarPrompts(loaded.catalog, threshold: config.similarityThreshold, memo: similarMemo) : .none
        docHTML = Dictionary(loaded.catalog.docs.map { ($0.path, Markdown.html($0.markdown, unsafeHTML: config.unsafeHTML)) },
                             uniquingKeysWith: { first, _ in first })
    }

    /// An in-memory project (tests, tools): a catalog with no logs.
    public init(catalog: Catalog, config: SiteConfig = SiteConfig(root: URL(fileURLWithPath: "/nonexistent")), diagnostics: [Diagnostic] = []) {
        self.init(config: config, loaded: LoadResult(catalog: catalog, diagnostics: diagnostics))
    }

    /// Reads the content and the logs and derives the model: the first steps of every command.
    /// `memo`: versions parsed by an earlier build (`serve`'s, or kept in the cache); `similarMemo`:
    /// what an earlier build made of the prompts' texts for near-duplicates.
    public static func load(config: SiteConfig, configDiagnostics: [Diagnostic] = [], logs: LogIngestOptions? = LogIngestOptions(),
                            findSimilar: Bool = true, memo: LoadMemo? = nil, similarMemo: SimilarityMemo? = nil, timer: StepTimer = StepTimer()) -> Project {
        let loaded = timer.time("load content") { CatalogLoader.load(contentDirectory: config.contentDirectory, memo: memo) }
        let ingest = timer.time("read logs") {
            logs.map { LogIngestion.ingest(loaded.catalog.logFiles, options: $0).merging(DatabaseLogSource.read(
                config.logDatabase, file: config.file.map { relativePath(of: $0, from: config.contentDirectory) } ?? "Site.json")) } ?? .empty
        }
        return timer.time("derive the project model") {
            Project(config: config, loaded: loaded, logs: ingest, configDiagnostics: configDiagnostics, findSimilar: findSimilar, similarMemo: similarMemo)
        }
    }

    /// The version's lengths against each provider it validates against.
    public func lengths(of version: PromptVersion) -> [ProviderLength] {
        lengths.lengths(of: version, defaultProviders: config.defaultProviders, in: catalog)
    }
}

extension LogIngestOptions {
    /// The cache under `config.cacheDirectory`, or none (`--no-cache`).
    public static func forProject(_ config: SiteConfig, useCache: Bool) -> LogIngestOptions {
        LogIngestOptions(config: config, cache: useCache && cacheProblem(config) == nil ? LogCache(directory: logCacheFolder(config)) : nil)
    }

    /// Why the log cache is not used although asked for (a folder on its way is a link), or nil.
    public static func cacheProblem(_ config: SiteConfig) -> String? {
        SiteConfig.cacheFolderProblem(logCacheFolder(config), in: config.cacheDirectory)
    }

    private static func logCacheFolder(_ config: SiteConfig) -> URL {
        // A summary read with one preset, or one line bound, is never recalled for another.
        var folder = config.logPreset == "promptsite" ? "logs" : "logs-\(config.logPreset)"
        if config.maximumLogLineBytes != LogReader.defaultMaximumLineLength { folder += "-lines\(config.maximumLogLineBytes)" }
        return config.cacheDirectory.appendingPathComponent(folder)
    }
}

extension Diagnostic {
    /// The same diagnostic in another file (Site.json diagnostics are made before the content directory is known).
    func relocated(to file: String?) -> Diagnostic {
        guard let file, let location else { return self }
        return Diagnostic(level, code, message, at: SourceLocation(file: file, line: location.line, column: location.column), hint: hint)
    }
}

/// `path` relative to `base`, with `..` where needed (both are folders or files on the same disk).
public func relativePath(of url: URL, from base: URL) -> String {
    let target = url.standardizedFileURL.pathComponents
    let origin = base.standardizedFileURL.pathComponents
    var common = 0
    while common < min(target.count, origin.count), target[common] == origin[common] { common += 1 }
    let ups = Array(repeating: "..", count: origin.count - common)
    return (ups + target[common...]).joined(separator: "/")
}
