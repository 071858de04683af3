import Diagnostics
import PromptCatalog
import PromptTemplates

/// unknown-provider, hint-unknown-parameter, hint-out-of-range.
enum ProviderRules {
    static func check(_ context: CheckContext) -> [Diagnostic] {
        let catalog = context.catalog
        let known = catalog.providers.map(\.id)
        var diagnostics: [Diagnostic] = []
        let versions = catalog.families.flatMap(\.versions)
        let usesDefaults = versions.contains { $0.providers == nil }
        if usesDefaults {
            for id in context.defaultProviders where catalog.provider(id) == nil {
                let place = context.project.config.defaultProviderLines[id]
                diagnostics.append(.error("unknown-provider", "Site.json `defaultProviders` names `\(id)`, which no providers/*.yaml defines",
                                          at: context.configFile.map { SourceLocation(file: $0, line: place?.line, column: place?.column) },
                                          hint: hint(for: id, known: known)))
            }
        }
        for version in versions {
            for provider in version.providers ?? [] where catalog.provider(provider.value) == nil {
                diagnostics.append(.error("unknown-provider", "`\(provider.value)` is not a provider", at: provider.location,
                                          hint: hint(for: provider.value, known: known)))
            }
            diagnostics += hintProblems(version, context: context)
        }
        return diagnostics
    }

    private static func hint(for id: String, known: [String]) -> String {
        if let close = closestMatch(to: id, in: known) { return "did you mean `\(close)`?" }
        return known.isEmpty ? "add providers/\(id).yaml" : "known providers: \(known.joined(separator: ", ")); or add providers/\(id).yaml"
    }

    private static func hintProblems(_ version: PromptVersion, context: CheckContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let validated = Set(version.providerIDs(defaults: context.defaultProviders))
        var reportedProviders = Set<String>()
        for hint in version.providerHints {
            let id = hint.provider.value
            guard let provider = context.catalog.provider(id) else {
                if reportedProviders.insert(id).inserted {
                    diagnostics.append(.error("unknown-provider", "provider_hints names `\(id)`, which is not a provider", at: hint.provider.location,
                                              hint: self.hint(for: id, known: context.catalog.providers.map(\.id))))
                }
                continue
            }
            if !validated.contains(id), reportedProviders.insert(id).inserted {
                diagnostics.append(.warning("unknown-provider", "provider_hints for `\(id)`, which this version is not validated against",
                                            at: hint.provider.location, hint: "add `\(id)` to `providers:` or remove its hints"))
            }
            guard let parameter = provider.parameter(hint.parameter.value) else {
                let names = provider.parameters.map(\.name)
                let suggestion = closestMatch(to: hint.parameter.value, in: names).map { "did you mean `\($0)`? " } ?? ""
                diagnostics.append(.error("hint-unknown-parameter", "provider `\(id)` has no parameter `\(hint.parameter.value)`",
                                          at: hint.parameter.location,
                                          hint: "\(suggestion)its parameters: \(names.isEmpty ? "none" : names.joined(separator: ", "))"))
                continue
            }
            if let problem = rangeProblem(hint.value, parameter) {
                diagnostics.append(.error("hint-out-of-range", "hint `\(parameter.name)` for `\(id)` \(problem)", at: hint.value.location,
                                          hint: allowed(parameter)))
            }
        }
        return diagnostics
    }

    static func rangeProblem(_ node: SourceNode, _ parameter: ProviderParameter) -> String? {
        guard case .scalar(let scalar, let text) = node.kind, scalar != .null else { return "must be a single value, found \(node.kindName)" }
        switch parameter.type {
        case .int, .float:
            guard let value = node.double, parameter.type == .float || node.int != nil else {
                return "must be \(parameter.type == .int ? "a whole number" : "a number"), found \(scalar.kindName) `\(text)`"
            }
            if let min = parameter.min, value < min { return "is \(text), below the minimum \(TemplateValue.format(min))" }
            if let max = parameter.max, value > max { return "is \(text), above the maximum \(TemplateValue.format(max))" }
        case .bool:
            if node.bool == nil { return "must be true or false, found `\(text)`" }
        case .enum:
            if !parameter.values.contains(text) { return "is `\(text)`, not one of the allowed values" }
        case .string:
            break
        }
        return nil
    }

    private static func allowed(_ parameter: ProviderParameter) -> String {
        switch parameter.type {
        case .enum: return "allowed: \(parameter.values.joined(separator: ", "))"
        case .int, .float:
            let min = parameter.min.map(TemplateValue.format) ?? "-∞"
            let max = parameter.max.map(TemplateValue.format) ?? "∞"
            return "allowed: \(min) to \(max)"
        case .bool: return "allowed: true or false"
        case .string: return "any text"
        }
    }
}
