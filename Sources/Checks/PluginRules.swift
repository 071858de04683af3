import Diagnostics
import Foundation
import PromptCatalog
import PromptTemplates

/// `plugin:<plugin>/<rule>`: each plugin validator run on the rendered (and transformed)
/// preview of every version it applies to.
enum PluginRules {
    /// A `checks.ignore`/`checks.errors` pattern for plugin codes must match one: `plugin:quset/*`
    /// silenced nothing, in silence (plain codes are checked with Site.json itself).
    static func codePatterns(_ context: CheckContext) -> [Diagnostic] {
        let codes = context.catalog.plugins.flatMap { plugin in plugin.validators.map { "plugin:\(plugin.id)/\($0.id)" } }
        return context.project.config.pluginCodePatterns.compactMap { key, pattern -> Diagnostic? in
            let value = pattern.value
            let matches = value.hasSuffix("*") ? codes.contains { $0.hasPrefix(value.dropLast()) } || value == "plugin:*" : codes.contains(value)
            guard !matches else { return nil }
            let suggestion = closestMatch(to: value, in: codes.sorted()).map { "did you mean `\($0)`? " } ?? ""
            let at = SourceLocation(file: context.configFile ?? pattern.location.file, line: pattern.location.line, column: pattern.location.column)
            return .warning("invalid-field", "`checks.\(key)` names `\(value)`, which matches no plugin rule", at: at,
                            hint: "\(suggestion)plugin codes are `plugin:<plugin id>/<rule id>`; `plugin:<id>/*` matches a plugin's rules")
        }
    }

    static func check(_ context: CheckContext) -> [Diagnostic] {
        let catalog = context.catalog
        let validators = catalog.plugins.flatMap { plugin in plugin.validators.map { (plugin: plugin, validator: $0) } }
        // Transformers ran when the project model measured the previews (before any rule).
        let slowTransformers = catalog.plugins.flatMap { plugin in
            plugin.transformers.compactMap { transformer -> Diagnostic? in
                guard case .replace(let pattern, _) = transformer.change, BoundedRegex.isSlow(pattern) else { return nil }
                return .error("plugin-regex-timeout", "plugin \(plugin.name): the transformer pattern `\(pattern)` ran past the regex time limit: the prompts it applies to were left as they were",
                              at: transformer.location,
                              hint: "it backtracks too much: avoid repeating alternatives or groups that match the same text (`(a|a)*`, `(\\w|\\d)+`) and runs of `.*`")
            }
        }
        guard !validators.isEmpty else { return slowTransformers }
        return slowTransformers + parallelFlatMap(catalog.families) { family in
            family.versions.flatMap { version -> [Diagnostic] in
                guard version.template.errors.isEmpty else { return [] }
                // The preview and the composed template the project model measured (not rendered again).
                let measured = context.project.lengths.of(version, in: catalog)
                return validators.filter { $0.validator.scope.includes(family) }.compactMap { item in
                    problem(item.validator, plugin: item.plugin, version: version, text: measured.exampleText, template: measured.template)
                }
            }
        }
    }

    /// `template` is the version's composed template (the one `text` was rendered from).
    static func problem(_ validator: PluginValidator, plugin: Plugin, version: PromptVersion, text: String, template: Template? = nil) -> Diagnostic? {
        let code = "plugin:\(plugin.id)/\(validator.id)"
        let start = version.location(of: TemplatePosition(line: 1, column: 1))
        let hint = "rule `\(validator.id)` of plugin \(plugin.name) (\(plugin.file))"
        switch validator.rule {
        case .forbid(let words):
            for word in words {
                let pattern = "\\b" + NSRegularExpression.escapedPattern(for: word) + "\\b"
                if let found = firstMatch(pattern, in: text, caseInsensitive: true) {
                    return Diagnostic(validator.level, code, "the rendered prompt contains the forbidden `\(found)`",
                                      at: locate(found, in: version) ?? start, hint: hint)
                }
            }
        case .forbidRegex(let pattern):
            switch BoundedRegex.firstMatch(pattern, in: text) {
            case .found(let found):
                return Diagnostic(validator.level, code, "the rendered prompt matches the forbidden pattern `\(pattern)` at `\(found)`",
                                  at: locate(found, in: version) ?? start, hint: hint)
            case .timedOut:
                // One diagnostic on the plugin, however many prompts it was given up on (identical ones are merged).
                return Diagnostic(validator.level, code, "the pattern `\(pattern)` ran past the regex time limit and was given up: prompts were not checked against it",
                                  at: validator.location,
                                  hint: "it backtracks too much: avoid repeating alternatives or groups that match the same text (`(a|a)*`, `(\\w|\\d)+`) and runs of `.*`")
            case .noMatch, nil: break
            }
        case .maxLength(let limit):
            if text.count > limit {
                return Diagnostic(validator.level, code, "the rendered prompt is \(text.count) characters, over the plugin's limit of \(limit)",
                                  at: start, hint: hint)
            }
        case .requireVariables(let paths):
            let used = Set((template ?? version.template).references.map(\.path.description))
            let missing = paths.filter { !used.contains($0) }
            if !missing.isEmpty {
                return Diagnostic(validator.level, code, "the template does not use \(missing.map { "`{{\($0)}}`" }.joined(separator: ", "))",
                                  at: start, hint: hint)
            }
        }
        return nil
    }

    private static func firstMatch(_ pattern: String, in text: String, caseInsensitive: Bool) -> String? {
        guard case .found(let found) = BoundedRegex.firstMatch(pattern, in: text, caseInsensitive: caseInsensitive) else { return nil }
        return found
    }

    /// Where the text appears in the template source, when it is written there (not a variable's value).
    private static func locate(_ found: String, in version: PromptVersion) -> SourceLocation? {
        for (offset, line) in version.template.source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if let range = line.range(of: found, options: .caseInsensitive) {
                let column = line.distance(from: line.startIndex, to: range.lowerBound) + 1
                return version.location(of: TemplatePosition(line: offset + 1, column: column))
            }
        }
        return nil
    }
}
