import ArgumentParser
import Checks
import Diagnostics
import Foundation
import PromptCatalog
import PromptTemplates
import Project

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Print a version's (or a program's) final prompt text and its length against provider limits.",
        discussion: """
        `render program <id> --context ID` prints a narrative program's final text; standard error lists which stages produced output.
        Values come from the declared defaults, then the first example (or --example), then --context, then --var.
        Randomization pools are drawn with --seed (default: a seed derived from the version, so output is stable).
        The text goes to standard output; the length report to standard error.
        Exit status: 0 when it fits every limit, 1 when a required value is missing, a limit is exceeded or the template has errors \
        (an include naming nothing or looping, an undeclared variable: the text is printed with them left out), 2 on bad usage.
        """
    )

    @Argument(help: "family@N, family@label or family (latest); or `program`.")
    var reference: String

    @Argument(help: "The program id, after `program`.")
    var programID: String?

    @Option(help: "The context (contexts/<id>.yaml) whose sample state fills context paths.")
    var context: String?

    @Option(name: .customLong("var"), help: "A variable value, name=value (repeatable; dotted names such as npc.name work).")
    var variables: [String] = []

    @Option(help: "The example whose values to start from (default: the first).")
    var example: String?

    @Option(help: "Report the length against this provider only.")
    var provider: String?

    @Option(help: "Seed for drawing randomization pools.")
    var seed: UInt64?

    @OptionGroup var project: ProjectOptions

    func run() throws {
        let (config, _) = try project.loadExisting()
        let loaded = CatalogLoader.load(contentDirectory: config.contentDirectory)
        let catalog = loaded.catalog
        if reference == "program" {
            return try renderProgram(catalog, diagnostics: loaded.diagnostics, config: config)
        }
        if let programID {
            throw usageError("unexpected argument `\(programID)`; to render a program write `render program \(programID)`")
        }
        // Bad usage is found before any text is printed.
        if let provider, catalog.provider(provider) == nil {
            throw usageError("no provider `\(provider)`; \(suggestion(provider, among: catalog.providers.map(\.id), kind: "providers"))")
        }
        let contextValues = try selectedContext(catalog, loadDiagnostics: loaded.diagnostics)?.values ?? TemplateValues()
        let resolved = resolve(catalog)
        if case .failure = resolved {
            // A version whose file did not load says why (it read as "has no version 1").
            let family = reference.split(separator: "@").first.map(String.init) ?? reference
            report(loaded.diagnostics.filter { $0.level == .error && $0.location?.file.hasPrefix("prompts/\(family)/") == true }, config: config)
        }
        let version = try usage(resolved)
        let variables = catalog.variables(of: version)
        guard version.template.errors.isEmpty else {
            // Cut as `check` cuts them: a body of 100,000 `{{` printed 55 MB of diagnostics.
            report(Diagnostic.capped(Diagnostic.sorted(TemplateRules.syntaxErrors(in: version))), config: config)
            throw ExitCode(ExitStatus.checksFailed)
        }
        var chosen: Example?
        if let example {
            guard let found = version.examples.first(where: { $0.name == example }) else {
                let names = version.examples.map(\.name).joined(separator: ", ")
                throw usageError("\(version.id) has no example `\(example)`; examples: \(names.isEmpty ? "none" : names)")
            }
            chosen = found
        }
        let overrides = try contextValues.merging(usage(variables.overrides(from: self.variables)))
        // A `--var` the text never reads is most likely a typo: said, not silently dropped.
        // Every path read and each of its dotted prefixes (`npc` for `npc.name`), and the paths sorted,
        // made once: a search of them per --var was quadratic in the number of --var.
        let paths = variables.template.references.map(\.path)
        let read = Set(paths.map(\.description))
        let readPrefixes = Set(paths.flatMap { path in (1..<max(path.components.count, 1)).map { path.components[..<$0].joined(separator: ".") } })
        let sortedRead = read.sorted()
        for assignment in self.variables {
            let name = String(assignment.prefix { $0 != "=" })
            guard !read.contains(name), !readPrefixes.contains(name) else { continue }
            let close = closestMatch(to: name, in: sortedRead).map { "; did you mean `\($0)`?" } ?? ""
            Terminal.error("warning: --var \(name) sets nothing \(version.id) reads\(close)")
        }
        let rendered = variables.preview(example: chosen, overrides: overrides, seed: seed)
        Terminal.print(rendered.text + "\n")
        let missing = variables.missingRequired(in: rendered)
        // What the text left out: includes that name nothing (or loop) and undeclared variables.
        let errors = Self.templateErrors(in: version, config: config, loaded: loaded)
        report(errors, config: config)
        var failed = !errors.isEmpty
        if rendered.cut {
            Terminal.error("error[preview-too-long]: the text renders to more than \(Template.maximumRenderedBytes >> 20) MB and stops there; a long value is repeated many times")
            failed = true
        }
        if !missing.isEmpty {
            let names = missing.map(\.description).joined(separator: ", ")
            Terminal.error("error: no value for required \(missing.count == 1 ? "variable" : "variables") \(names); pass --var \(missing[0])=...")
            failed = true
        }
        failed = try reportLengths(rendered.text.count, version: version, catalog: catalog, defaults: config.defaultProviders) || failed
        if failed { throw ExitCode(ExitStatus.checksFailed) }
    }

    /// Diagnostics on stderr as `check` prints them: paths from the working folder, hints, source lines.
    private func report(_ diagnostics: [Diagnostic], config: SiteConfig) {
        guard !diagnostics.isEmpty else { return }
        Terminal.error(diagnosticsText(diagnostics, content: config.contentDirectory))
    }

    /// The errors `check` reports in the version's file from the template and include rules
    /// (Site.json's `checks.ignore` applies), and an include cycle the version is in even when
    /// `check` reports it on another member: the text is printed anyway, with them left out.
    static func templateErrors(in version: PromptVersion, config: SiteConfig, loaded: LoadResult) -> [Diagnostic] {
        let project = Project(config: config, loaded: loaded, findSimilar: false)
        return runChecks(project, rules: IncludeRules.renderRules).diagnostics.filter { $0.level == .error && $0.location?.file == version.file }
    }

    /// `render program <id>`: the final text on standard output, each stage's outcome on standard error.
    /// Exit 1 when the program file has errors (broken conditions are left out of the run) or PixSim7
    /// would raise. The program is found by its id or its file name, as PixSim7 loads `<name>.json`.
    private func renderProgram(_ catalog: Catalog, diagnostics: [Diagnostic], config: SiteConfig) throws {
        guard let programID else { throw usageError("name the program: `render program <id> --context ID`") }
        guard let program = catalog.program(named: programID) ?? catalog.program(programID) else {
            throw usageError("no program `\(programID)` (no programs/\(programID).json, and no program with that id; PixSim7 would run its built-in "
                             + "`default_dialogue` here, which promptsite does not carry); \(suggestion(programID, among: catalog.programs.map(\.id), kind: "programs"))")
        }
        if !variables.isEmpty || example != nil || provider != nil || seed != nil {
            throw usageError("`render program` takes only --context")
        }
        let chosen = try selectedContext(catalog, loadDiagnostics: diagnostics)
        if chosen == nil { Terminal.error("context: none (every path is missing); pass --context ID") }
        let errors = diagnostics.filter { $0.level == .error && $0.location?.file == program.file }
        report(errors, config: config)
        let run = program.program.run(chosen?.values ?? TemplateValues())
        Terminal.print(run.finalText + "\n")
        for (stage, output) in zip(program.stages, run.outputs) {
            let outcome = output.text.map { "\($0.count) characters" } ?? "no output"
            Terminal.error("stage \(stage.id) (\(stage.type)): \(outcome)")
        }
        if let chosen {
            var seen = Set<String>()
            let missing = program.pathsRead.filter { !chosen.provides($0.path, for: $0.use) && $0.path.description != "null" && seen.insert($0.path.description).inserted }
            if !missing.isEmpty {
                Terminal.error("not in context \(chosen.id) (PixSim7 reads flat keys): " + missing.map { "\($0.path) (\($0.use.rawValue))" }.joined(separator: ", "))
            }
        }
        if let failure = run.failure {
            Terminal.error("error: PixSim7 raises \(failure.exception) here, so it sends no prompt: \(failure.message)")
            throw ExitCode(ExitStatus.checksFailed)
        }
        if !errors.isEmpty { throw ExitCode(ExitStatus.checksFailed) }
    }

    /// The context named by --context, nil when none was given.
    private func selectedContext(_ catalog: Catalog, loadDiagnostics: [Diagnostic]) throws -> PreviewContext? {
        guard let context else { return nil }
        guard let found = catalog.context(context) else {
            // A file that did not load says why, rather than "no context".
            let problems = loadDiagnostics.filter { ["contexts/\(context).yaml", "contexts/\(context).yml"].contains($0.location?.file ?? "") }
            if !problems.isEmpty {
                Terminal.error(problems.map(\.description).joined(separator: "\n"))
                throw usageError("context `\(context)` could not be loaded: fix contexts/\(context).yaml")
            }
            throw usageError("no context `\(context)`; \(suggestion(context, among: catalog.contexts.map(\.id), kind: "contexts"))")
        }
        return found
    }

    private func suggestion(_ name: String, among ids: [String], kind: String) -> String {
        let close = closestMatch(to: name, in: ids).map { "did you mean `\($0)`? " } ?? ""
        return close + "\(kind): " + (ids.isEmpty ? "none" : ids.joined(separator: ", "))
    }

    private func resolve(_ catalog: Catalog) -> Result<PromptVersion, ReferenceError> {
        guard let parsed = VersionReference(reference) else {
            return .failure(ReferenceError(message: "`\(reference)` is not family@N, family@label or family"))
        }
        return parsed.resolve(in: catalog)
    }

    /// Prints `length N / limit for provider`; true when some limit is exceeded.
    private func reportLengths(_ length: Int, version: PromptVersion, catalog: Catalog, defaults: [String]) throws -> Bool {
        var ids = version.providerIDs(defaults: defaults)
        if let provider {
            guard catalog.provider(provider) != nil else {
                throw usageError("no provider `\(provider)`; providers: \(catalog.providers.map(\.id).joined(separator: ", "))")
            }
            ids = [provider]
        }
        var over = false
        if ids.isEmpty { Terminal.error("length: \(length) characters (no provider to compare with)") }
        for id in ids {
            guard let limit = catalog.provider(id)?.promptLimit else {
                Terminal.error("length: \(length) characters; \(id): no prompt limit known")
                continue
            }
            let verdict = length <= limit ? "fits (\(limit - length) to spare)" : "OVER the limit by \(length - limit)"
            over = over || length > limit
            Terminal.error("length: \(length) / \(limit) characters for \(id): \(verdict)")
        }
        return over
    }
}

extension RenderCommand {
    /// `render`'s arguments with each `--var name=value` (or `--var=name=value`) taken out, and those
    /// assignments in order. ArgumentParser copies a repeated option's array (and the set of where
    /// its values came from) for every value, so 20,000 `--var` took over 20 s to parse; taken out
    /// here, they are set on the parsed command. Anything else, a `--var` after `--`, and a `--var`
    /// whose value looks like an option (which ArgumentParser rejects) are left for ArgumentParser.
    static func separatingAssignments(_ arguments: [String]) -> (arguments: [String], assignments: [String]) {
        guard arguments.first == commandName else { return (arguments, []) }
        var rest: [String] = [], assignments: [String] = []
        rest.reserveCapacity(arguments.count)
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" {
                rest += arguments[index...]
                break
            }
            if argument == "--var", index + 1 < arguments.count, !arguments[index + 1].hasPrefix("-") {
                assignments.append(arguments[index + 1])
                index += 2
                continue
            }
            if argument.hasPrefix("--var=") {
                assignments.append(String(argument.dropFirst("--var=".count)))
            } else {
                rest.append(argument)
            }
            index += 1
        }
        return (rest, assignments)
    }

    private static var commandName: String { configuration.commandName ?? "render" }
}

/// A usage problem: printed, then exit 2.
func usageError(_ message: String) -> ExitCode {
    Terminal.error("error: \(message)")
    return ExitCode(ExitStatus.usage)
}

func usage<Value>(_ result: Result<Value, ReferenceError>) throws -> Value {
    switch result {
    case .success(let value): return value
    case .failure(let error): throw usageError(error.message)
    }
}
