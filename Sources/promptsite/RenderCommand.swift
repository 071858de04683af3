import ArgumentParser
import Foundation
import PromptCatalog
import PromptTemplates

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Print a version's final prompt text and its length against provider limits.",
        discussion: """
        Values come from the declared defaults, then the first example (or --example), then --var.
        Randomization pools are drawn with --seed (default: a seed derived from the version, so output is stable).
        The text goes to standard output; the length report to standard error.
        Exit status: 0 when it fits every limit, 1 when a required value is missing or a limit is exceeded, 2 on bad usage.
        """
    )

    @Argument(help: "family@N, family@label or family (latest).")
    var reference: String

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
        let (config, _) = try project.load()
        let catalog = CatalogLoader.load(contentDirectory: config.contentDirectory).catalog
        let version = try usage(resolve(catalog))
        let variables = VersionVariables(version)
        guard version.template.errors.isEmpty else {
            for error in version.template.errors {
                Terminal.error("\(version.location(of: error.position)): error[template-syntax]: \(error.message)")
            }
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
        let overrides = try usage(variables.overrides(from: self.variables))
        let rendered = variables.preview(example: chosen, overrides: overrides, seed: seed)
        Terminal.print(rendered.text + "\n")
        let missing = variables.missingRequired(in: rendered)
        var failed = false
        if !missing.isEmpty {
            let names = missing.map(\.description).joined(separator: ", ")
            Terminal.error("error: no value for required \(missing.count == 1 ? "variable" : "variables") \(names); pass --var \(missing[0])=...")
            failed = true
        }
        failed = try reportLengths(rendered.text.count, version: version, catalog: catalog, defaults: config.defaultProviders) || failed
        if failed { throw ExitCode(ExitStatus.checksFailed) }
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
