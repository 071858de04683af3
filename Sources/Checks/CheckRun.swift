import Analytics
import Diagnostics
import Foundation
import Project
import PromptCatalog
import Similarity

/// What the rules see: the project model (catalog, logs, lengths, near-duplicates) and the settings.
public struct CheckContext: Sendable {
    public let project: Project
    /// The project's catalog, held here: rules pass it along for every version, and reading it
    /// through a computed property copied the whole catalog (a retain per field) each time.
    public let catalog: Catalog

    public init(project: Project) {
        self.project = project
        catalog = project.catalog
    }

    public var defaultProviders: [String] { project.config.defaultProviders }
    /// Where Site.json is, relative to the content directory, for diagnostics about it.
    public var configFile: String? { project.configFile }

    /// The version's lengths against each provider it validates against (computed once, in the project).
    public func lengths(of version: PromptVersion) -> [ProviderLength] { project.lengths(of: version) }
}

/// A named group of rules: a pure function from the project model to diagnostics.
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
    CheckRule(name: "plugin code patterns", run: PluginRules.codePatterns),
    CheckRule(name: "node types", run: NodeTypeRules.check),
    CheckRule(name: "page names", run: PageNameRules.check),
    CheckRule(name: "doc links", run: DocRules.check),
    CheckRule(name: "scenes", run: SceneRules.check),
    CheckRule(name: "content packs", run: ContentPackRules.check),
    CheckRule(name: "includes", run: IncludeRules.check),
    CheckRule(name: "log references", run: { LogReferences.diagnostics($0.project.logs, catalog: $0.catalog) }),
    CheckRule(name: "near-duplicates", run: SimilarityRules.check),
]

/// The outcome of the rules: every diagnostic (what reading found and what the rules found), after Site.json's policy.
public struct CheckOutcome: Sendable {
    public let diagnostics: [Diagnostic]
    public let policy: CheckPolicy

    public var failed: Bool { policy.fails(diagnostics) }

    public init(diagnostics: [Diagnostic], policy: CheckPolicy) {
        self.diagnostics = diagnostics
        self.policy = policy
    }
}

/// A project and what the rules found in it.
public struct CheckedProject: Sendable {
    public let project: Project
    public let outcome: CheckOutcome

    public var diagnostics: [Diagnostic] { outcome.diagnostics }
    public var failed: Bool { outcome.failed }
}

/// Runs every rule on the project model (in parallel) and applies Site.json's policy.
public func runChecks(_ project: Project, strict: Bool = false, rules: [CheckRule] = allRules) -> CheckOutcome {
    let context = CheckContext(project: project)
    let found = parallelMap(rules) { $0.run(context) }.flatMap { $0 }
    var policy = project.config.checks
    policy.strict = policy.strict || strict
    return CheckOutcome(diagnostics: Diagnostic.capped(Diagnostic.sorted(Diagnostic.distinct(policy.apply(to: project.readDiagnostics + found)))), policy: policy)
}

/// Loads the content directory, reads the logs (`logs: nil` leaves them unread) and runs every rule:
/// what `promptsite check` does. `memo`, `similarMemo`: what an earlier build parsed and measured.
public func runChecks(config: SiteConfig, configDiagnostics: [Diagnostic] = [], strict: Bool = false,
                      logs: LogIngestOptions? = LogIngestOptions(), memo: LoadMemo? = nil, similarMemo: SimilarityMemo? = nil) -> CheckedProject {
    let project = Project.load(config: config, configDiagnostics: configDiagnostics, logs: logs, memo: memo, similarMemo: similarMemo)
    return CheckedProject(project: project, outcome: runChecks(project, strict: strict))
}
