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

    public init(config: SiteConfig, configDiagnostics: [Diagnostic] = [], strict: Bool = false, project: URL) {
        self.config = config
        self.configDiagnostics = configDiagnostics
        self.strict = strict
        self.project = project
    }
}

/// What a build did.
public struct BuildResult: Sendable {
    public let check: CheckOutcome
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
    let check = runChecks(config: config, configDiagnostics: request.configDiagnostics, strict: request.strict)
    lap("load and check")
    if request.strict, check.failed {
        return BuildResult(check: check, wrote: false, pageCount: 0, fileCount: 0, seconds: clock() - start, steps: steps)
    }
    let theme = Theme.load(overridesIn: config.templatesDirectory)
    let library = try step("compile templates") { try theme.library() }
    let lengths = LengthIndex(check.catalog, defaultProviders: config.defaultProviders)
    let planner = PagePlanner(catalog: check.catalog, diagnostics: check.diagnostics, config: config, lengths: lengths)
    let pages = planner.pages()
    lap("plan pages")
    let rendered = try step("render pages") { try render(pages, with: library) }
    var files: [String: Data] = rendered
    let machine = MachineOutputs(catalog: check.catalog, diagnostics: check.diagnostics, config: config, lengths: lengths)
    for (path, text) in machine.files() { files[path] = Data(text.utf8) }
    files["sitemap.xml"] = Data(machine.sitemap(pages: pages.map(\.path)).utf8)
    for (path, text) in theme.assets { files["assets/" + path] = Data(text.utf8) }
    lap("render pages and API")
    try step("write \(config.outputDirectory.path)") { try OutputWriter.write(files, to: config.outputDirectory) }
    lap("write atomically")
    return BuildResult(check: check, wrote: true, pageCount: pages.count, fileCount: files.count, seconds: clock() - start, steps: steps)
}

/// Renders every page on all cores.
func render(_ pages: [PlannedPage], with library: MustacheLibrary) throws -> [String: Data] {
    let outputs = parallelMap(pages) { page -> (String, Data?) in
        let context = MustacheContext.box(page.model) ?? [String: Any]()
        return (page.path, library.render(context, withTemplate: page.template).map { Data($0.utf8) })
    }
    var files: [String: Data] = [:]
    for (path, data) in outputs {
        guard let data else { throw BuildError(step: "render pages", message: "no template for \(path)") }
        files[path] = data
    }
    return files
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
