import Diagnostics
import PromptCatalog
import PromptTemplates

/// variable-type (declarations, defaults, example values), example-incomplete,
/// and example values for names that are not variables.
enum VariableRules {
    static func check(_ context: CheckContext) -> [Diagnostic] {
        context.catalog.families.flatMap(\.versions).flatMap { check($0, catalog: context.catalog) }
    }

    static func check(_ version: PromptVersion, catalog: Catalog) -> [Diagnostic] {
        let declared = version.variables
        var diagnostics = declared.flatMap(declarationProblems)
        let hasPools = !version.randomization.isEmpty
        for spec in declared {
            if let value = spec.defaultValue, let problem = ValueConformance.problem(value, against: spec) {
                diagnostics.append(.error("variable-type", "default of `\(spec.path)` \(problem)", at: value.location,
                                          hint: "make the default fit the declared type"))
            }
            if hasPools, let pool = version.pool(spec.path.description) {
                diagnostics.append(.warning("variable-type", "`\(spec.path)` is both a variable and a randomization pool", at: spec.location,
                                            hint: "rename one of them: the pool's draw would replace the variable's value"))
                diagnostics += poolValueProblems(pool, against: spec)
            }
        }
        for example in version.examples {
            diagnostics += exampleProblems(example, version: version, catalog: catalog)
        }
        return diagnostics
    }

    /// A pool that shares its name with a variable stands in for it: every entry must fit the declaration.
    static func poolValueProblems(_ pool: PoolSpec, against spec: VariableSpec) -> [Diagnostic] {
        pool.pool.values.enumerated().compactMap { index, value in
            guard let problem = poolValueProblem(value, spec) else { return nil }
            let location = index < pool.valueLocations.count ? pool.valueLocations[index] : pool.location
            return .error("variable-type", "pool value `\(value)` of `\(spec.path)` \(problem)", at: location,
                          hint: "make every entry of the pool fit the variable's declaration")
        }
    }

    private static func poolValueProblem(_ value: String, _ spec: VariableSpec) -> String? {
        switch spec.type {
        case .string?:
            if let max = spec.maxLength?.value, value.count > max { return "is \(value.count) characters, over max_length \(max)" }
        case .enum?:
            if !spec.values.isEmpty, !spec.values.contains(where: { $0.value == value }) {
                return "is not one of \(spec.values.map { "`\($0.value)`" }.joined(separator: ", "))"
            }
        case .int?, .float?:
            guard let number = Double(value), spec.type != .int || number.rounded() == number else {
                return "is not \(spec.type == .int ? "a whole number" : "a number")"
            }
            if let min = spec.min?.value, number < min { return "is below min \(TemplateValue.format(min))" }
            if let max = spec.max?.value, number > max { return "is above max \(TemplateValue.format(max))" }
        case .bool?:
            if value != "true", value != "false" { return "is not true or false" }
        case nil:
            break
        }
        return nil
    }

    /// The type names, for hints (made once, not for every declaration).
    private static let typeNames = VariableType.allCases.map(\.rawValue)

    private static func declarationProblems(_ spec: VariableSpec) -> [Diagnostic] {
        let types = typeNames
        guard let typeName = spec.typeName else {
            return [.error("variable-type", "variable `\(spec.path)` has no `type`", at: spec.location,
                           hint: "add `type:` with one of: \(types.joined(separator: ", "))")]
        }
        guard let type = spec.type else {
            let suggestion = closestMatch(to: typeName.value, in: types).map { "did you mean `\($0)`? " } ?? ""
            return [.error("variable-type", "variable `\(spec.path)` has unknown type `\(typeName.value)`", at: typeName.location,
                           hint: "\(suggestion)types are: \(types.joined(separator: ", "))")]
        }
        var problems: [Diagnostic] = []
        if type == .enum, spec.values.isEmpty {
            problems.append(.error("variable-type", "enum variable `\(spec.path)` lists no `values`", at: typeName.location,
                                   hint: "add `values: [a, b]`"))
        }
        if type != .enum, let first = spec.values.first {
            problems.append(.warning("variable-type", "`values` is only used by enum variables; `\(spec.path)` is \(type.rawValue)", at: first.location,
                                     hint: "set `type: enum` or remove `values`"))
        }
        if let maxLength = spec.maxLength {
            if type != .string {
                problems.append(.warning("variable-type", "`max_length` only applies to string variables; `\(spec.path)` is \(type.rawValue)",
                                         at: maxLength.location, hint: "remove `max_length`"))
            } else if maxLength.value < 1 {
                problems.append(.error("variable-type", "`max_length` of `\(spec.path)` must be at least 1", at: maxLength.location))
            }
        }
        let bounds = [spec.min, spec.max].compactMap { $0 }
        if type != .int, type != .float, let bound = bounds.first {
            problems.append(.warning("variable-type", "`min`/`max` only apply to int and float variables; `\(spec.path)` is \(type.rawValue)",
                                     at: bound.location, hint: "remove the bounds or change the type"))
        }
        if let min = spec.min, let max = spec.max, min.value > max.value {
            problems.append(.error("variable-type", "`min` (\(TemplateValue.format(min.value))) of `\(spec.path)` is above `max` (\(TemplateValue.format(max.value)))",
                                   at: min.location, hint: "swap the bounds"))
        }
        return problems
    }

    private static func exampleProblems(_ example: Example, version: PromptVersion, catalog: Catalog) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        let variables = catalog.variables(of: version)
        var assigned = Set<VariablePath>()
        for (path, node) in example.assignments {
            assigned.insert(path)
            if let spec = variables.declaration(path) {
                if let problem = ValueConformance.problem(node, against: spec) {
                    problems.append(.error("variable-type", "example `\(example.name)`: `\(path)` \(problem)", at: node.location,
                                           hint: "make the example value fit the declaration of `\(path)`"))
                }
            } else if !variables.isKnown(path) {
                problems.append(.warning("undefined-variable", "example `\(example.name)` sets `\(path)`, which is not a variable of this version",
                                         at: node.location, hint: "declare `\(path)` under `variables:` or remove it from the example"))
            }
        }
        // Required variables of included versions are requirements of the includer.
        let missing = variables.declarations.filter { spec in
            spec.required && spec.defaultValue == nil && !assigned.contains(spec.path)
                && !assigned.contains { $0.components.starts(with: spec.path.components) }
        }
        if !missing.isEmpty {
            let names = missing.map { "`\($0.path)`" }.joined(separator: ", ")
            problems.append(.warning("example-incomplete", "example `\(example.name)` does not set required \(missing.count == 1 ? "variable" : "variables") \(names)",
                                     at: example.location, hint: "set every required variable so the preview and its length are real"))
        }
        return problems
    }
}

/// Whether a value fits a declared variable; the problem in words when it does not.
enum ValueConformance {
    static func problem(_ node: SourceNode, against spec: VariableSpec) -> String? {
        guard let type = spec.type else { return nil }
        guard case .scalar(let scalar, let text) = node.kind, scalar != .null else {
            return "must be a single \(type.rawValue) value, found \(node.kindName)"
        }
        switch type {
        case .string:
            if let max = spec.maxLength?.value, text.count > max {
                return "is \(text.count) characters long, over its max_length of \(max)"
            }
        case .int:
            guard case .int(let value) = scalar else { return "must be a whole number, found \(scalar.kindName) `\(text)`" }
            return rangeProblem(Double(value), spec)
        case .float:
            guard let value = node.double else { return "must be a number, found \(scalar.kindName) `\(text)`" }
            return rangeProblem(value, spec)
        case .bool:
            guard case .bool = scalar else { return "must be true or false, found \(scalar.kindName) `\(text)`" }
        case .enum:
            let values = spec.values.map(\.value)
            guard values.contains(text) else { return "is `\(text)`, not one of: \(values.joined(separator: ", "))" }
        }
        return nil
    }

    private static func rangeProblem(_ value: Double, _ spec: VariableSpec) -> String? {
        if let min = spec.min?.value, value < min { return "is \(TemplateValue.format(value)), below its min of \(TemplateValue.format(min))" }
        if let max = spec.max?.value, value > max { return "is \(TemplateValue.format(value)), above its max of \(TemplateValue.format(max))" }
        return nil
    }
}
