import Analytics
import Checks
import Diagnostics
import Foundation
import Mustache
import PromptCatalog

/// What `promptsite build` was asked to do.
public struct BuildRequest: Sendable {
    public var config: SiteConfig
    public var configDiagnostics: [Diagnostic]
    public var strict: Bool
    /// The folder the build may never replace (the project root).
    public var project: URL
    /// How generation logs are read (with or without the cache).
    public var logs: LogIngestOptions

    public init(config: SiteConfig, configDiagnostics: [Diagnostic] = [], strict: Bool = false, project: URL,
                logs: LogIngestOptions = LogIngestOptions()) {
        self.config = config
        self.configDiagnostics = configDiagnostics
        self.strict = strict
        self.project = project
        self.logs = logs
    }
}

/// What a build did.
public struct BuildResult: Sendable {
    public let check: CheckOutcome
    /// Nil when `--strict` stopped the build before the analytics were computed.
    public var analytics: AnalyticsReport? = nil
    /// False when `--strict` stopped the build before writing.
    public let wrote: Bool
    public let pageCount: Int
    public let fileCount: Int
    public let seconds: Double
    /// Seconds spent in each step, in order.
    public let steps: [StepTime]
}

public struct StepTime: Sendable {
    public let name: String
    public let seconds: Double
}

/// A named step failed: which step, and why.
public struct BuildError: Error, Sendable, CustomStringConvertible {
    public let step: String
    public let message: String
    public var description: String { "\(step): \(message)" }
}

/// load content → check → plan pages → render → write atomically.
public func buildSite(_ request: BuildRequest, clock: () -> Double = { Date().timeIntervalSinceReferenceDate }) throws -> BuildResult {
    let start = clock()
    var steps: [StepTime] = []
    var mark = start
    func lap(_ name: String) {
        let now = clock()
        steps.append(StepTime(name: name, seconds: now - mark))
        mark = now
    }
    let config = request.config
    try OutputWriter.validate(output: config.outputDirectory, content: config.contentDirectory, project: request.project)
    let check = runChecks(config: config, configDiagnostics: request.configDiagnostics, strict: request.strict, logs: request.logs)
    lap("load, check and read logs")
    if request.strict, check.failed {
        return BuildResult(check: check, wrote: false, pageCount: 0, fileCount: 0, seconds: clock() - start, steps: steps)
    }
    let theme = Theme.load(overridesIn: config.templatesDirectory)
    let library = try step("compile templates") { try theme.library() }
    let analytics = AnalyticsReport(check.logs, catalog: check.catalog, minSamples: config.minSamples, confidence: config.confidence)
    lap("analytics")
    let lengths = LengthIndex(check.catalog, defaultProviders: config.defaultProviders)
    let planner = PagePlanner(catalog: check.catalog, diagnostics: check.diagnostics, config: config, lengths: lengths, analytics: analytics,
                              nearDuplicates: check.nearDuplicates)
    let pages = planner.pages()
    lap("plan pages")
    let machine = MachineOutputs(catalog: check.catalog, diagnostics: check.diagnostics, config: config, lengths: lengths, analytics: analytics,
                                 nearDuplicates: check.nearDuplicates)
    var extra: [String: String] = machine.files()
    extra["sitemap.xml"] = machine.sitemap(pages: pages.map(\.path))
    for (path, text) in theme.assets { extra["assets/" + path] = text }
    // Each page is rendered right before it is written, on all cores: the site is never
    // held in memory whole, and rendering overlaps the file system's work.
    let outputs: [(path: String, produce: @Sendable () throws -> Data)] =
        pages.map { page in (path: page.path, produce: { @Sendable in try render(page, with: library) }) }
        + extra.sorted { $0.key < $1.key }.map { item in (path: item.key, produce: { @Sendable in Data(item.value.utf8) }) }
    try step("write \(config.outputDirectory.path)") {
        try OutputWriter.replace(config.outputDirectory) { staging in
            try staging.makeFolders(for: outputs.map(\.path))
            try staging.write(outputs)
        }
    }
    lap("render and write atomically")
    let fileCount = outputs.count
    return BuildResult(check: check, analytics: analytics, wrote: true, pageCount: pages.count, fileCount: fileCount, seconds: clock() - start,
                       steps: steps)
}

/// One page through its template.
func render(_ page: PlannedPage, with library: MustacheLibrary) throws -> Data {
    let context = MustacheContext.box(page.model) ?? [String: Any]()
    guard let html = library.render(context, withTemplate: page.template) else {
        throw BuildError(step: "render pages", message: "no template `\(page.template)` for \(page.path)")
    }
    return Data(html.utf8)
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
