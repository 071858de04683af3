import Diagnostics
import PromptCatalog
import PromptTemplates

/// template-syntax, undefined-variable, unused-variable.
public enum TemplateRules {
    static func check(_ context: CheckContext) -> [Diagnostic] {
        context.catalog.families.flatMap(\.versions).flatMap { check($0, catalog: context.catalog) }
    }

    static func check(_ version: PromptVersion, catalog: Catalog) -> [Diagnostic] {
        var diagnostics = syntaxErrors(in: version)
        let variables = catalog.variables(of: version)
        var reported = Set<VariablePath>()
        for reference in version.template.references where !variables.isKnown(reference.path) && reported.insert(reference.path).inserted {
            diagnostics.append(.error("undefined-variable", "`\(reference.path)` is not a declared variable, a randomization pool, a context field or a plugin variable",
                                      at: version.location(of: reference.position), hint: undefinedHint(reference.path, version: version)))
        }
        // A declaration used only by an included version is used.
        let used = Set(variables.template.variablePaths)
        for spec in version.variables where !used.contains(spec.path) {
            diagnostics.append(.warning("unused-variable", "variable `\(spec.path)` is declared but the template never uses it",
                                        at: spec.location, hint: "use `{{\(spec.path)}}` in the template or remove the declaration"))
        }
        for pool in version.randomization where !used.contains(VariablePath([pool.name])) {
            diagnostics.append(.warning("unused-variable", "randomization pool `\(pool.name)` is never used by the template",
                                        at: pool.location, hint: "use `{{\(pool.name)}}` in the template or remove the pool"))
        }
        return diagnostics
    }

    /// The template-syntax errors of a version's own template: the ones parsing kept, then one that
    /// counts the rest (99 and one, the 100 `check` lists per file and code; `render` reports the same).
    public static func syntaxErrors(in version: PromptVersion) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = version.template.errors.map { error in
            .error("template-syntax", error.message, at: version.location(of: error.position), hint: error.hint)
        }
        let more = version.template.unlistedErrorCount
        if more > 0 {
            diagnostics.append(.error("template-syntax", "\(more) more template syntax error\(more == 1 ? "" : "s") in this file, not listed",
                                      at: SourceLocation(file: version.file), hint: "fix the ones listed, then check again"))
        }
        return diagnostics
    }

    private static func undefinedHint(_ path: VariablePath, version: PromptVersion) -> String {
        let candidates = version.variables.map(\.path.description) + version.randomization.map(\.name) + ContextSchema.fixedPaths
        if let close = closestMatch(to: path.description, in: candidates) { return "did you mean `\(close)`?" }
        if ContextSchema.scopes.contains(path.root) {
            return "`\(path.root)` is a context scope; its fields are: \(ContextSchema.fixedPaths.filter { $0.hasPrefix(path.root + ".") }.joined(separator: ", "))"
        }
        return "declare it under `variables:` in the front matter, e.g. `\(path): { type: string, max_length: 40 }`"
    }
}

