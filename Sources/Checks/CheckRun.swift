import Analytics
import Diagnostics
import Foundation
import PromptCatalog

/// What the rules see: the catalog and the settings that change what they report.
public struct CheckContext: Sendable {
    public let catalog: Catalog
    public let defaultProviders: [String]
    /// Where Site.json is, relative to the content directory, for diagnostics about it.
    public let configFile: String?

    public init(catalog: Catalog, defaultProviders: [String] = [], configFile: String? = nil) {
        self.catalog = catalog
        self.defaultProviders = defaultProviders
        self.configFile = configFile
    }
}

/// A named group of rules: a pure function from the catalog to diagnostics.
public struct CheckRule: Sendable {
    public let name: String
    public let run: @Sendable (CheckContext) -> [Diagnostic]
}

/// Every rule, in the order they are listed in the README.
public let allRules: [CheckRule] = [
    CheckRule(name: "version graph", run: VersionGraphRules.check),
    CheckRule(name: "templates", run: TemplateRules.check),
    CheckRule(name: "variable types", run: VariableRules.check),
    CheckRule(name: "strategies", run: StrategyRules.check),
    CheckRule(name: "providers", run: ProviderRules.check),
    CheckRule(name: "lengths", run: LengthRules.check),
    CheckRule(name: "programs", run: ProgramRules.check),
    CheckRule(name: "action blocks", run: BlockRules.check),
    CheckRule(name: "block versioning", run: BlockBridgeRules.check),
    CheckRule(name: "plugin validators", run: PluginRules.check),
    CheckRule(name: "node types", run: NodeTypeRules.check),
    CheckRule(name: "scenes", run: SceneRules.check),
]

/// The outcome of `promptsite check`: the catalog and every diagnostic, after Site.json's policy.
public struct CheckOutcome: Sendable {
    public let catalog: Catalog
    public let diagnostics: [Diagnostic]
    public let policy: CheckPolicy
    /// The generation logs, read (or recalled from the cache) and merged.
    public let logs: LogIngest
    /// Prompt pairs at or above `similarity.threshold`.
    public let nearDuplicates: [NearDuplicate]

    public var failed: Bool { policy.fails(diagnostics) }
}

/// Loads the content directory, runs every rule and reads the generation logs
/// (`logs: nil` leaves the logs unread, for commands that do not need them).
public func runChecks(config: SiteConfig, configDiagnostics: [Diagnostic] = [], strict: Bool = false,
                      logs: LogIngestOptions? = LogIngestOptions()) -> CheckOutcome {
    let loaded = CatalogLoader.load(contentDirectory: config.contentDirectory)
    let configFile = config.file.map { relativePath(of: $0, from: config.contentDirectory) }
    let context = CheckContext(catalog: loaded.catalog, defaultProviders: config.defaultProviders, configFile: configFile)
    let ingest = logs.map { LogIngestion.ingest(loaded.catalog.logFiles, options: $0) } ?? .empty
    let logDiagnostics = ingest.diagnostics + LogReferences.diagnostics(ingest, catalog: loaded.catalog)
    let duplicates = NearDuplicates.find(in: loaded.catalog, threshold: config.similarityThreshold)
    let found = loaded.diagnostics + allRules.flatMap { $0.run(context) } + logDiagnostics
        + NearDuplicates.diagnostics(duplicates, catalog: loaded.catalog)
    var policy = config.checks
    policy.strict = policy.strict || strict
    let relocated = configDiagnostics.map { $0.relocated(to: configFile) }
    return CheckOutcome(catalog: loaded.catalog, diagnostics: Diagnostic.sorted(policy.apply(to: relocated + found)), policy: policy,
                        logs: ingest, nearDuplicates: duplicates)
}

extension LogIngestOptions {
    /// The cache under `config.cacheDirectory`, or none (`--no-cache`).
    public static func forProject(_ config: SiteConfig, useCache: Bool) -> LogIngestOptions {
        // A summary read with one preset is never recalled for another.
        let folder = config.logPreset == "promptsite" ? "logs" : "logs-\(config.logPreset)"
        return LogIngestOptions(config: config, cache: useCache ? LogCache(directory: config.cacheDirectory.appendingPathComponent(folder)) : nil)
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
