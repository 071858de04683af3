import PromptTemplates

/// `family@3`, `family@production` or `family` (its latest version), as typed on the command line.
public struct VersionReference: Hashable, Sendable, CustomStringConvertible {
    public enum Selector: Hashable, Sendable {
        case number(Int)
        case label(String)
        case latest
    }

    public let family: String
    public let selector: Selector

    public init(family: String, selector: Selector) {
        self.family = family
        self.selector = selector
    }

    public init?(_ text: String) {
        let parts = text.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let family = parts.first, !family.isEmpty else { return nil }
        self.family = family
        guard parts.count == 2 else {
            selector = .latest
            return
        }
        let target = parts[1]
        if target.isEmpty { return nil }
        if target == "latest" {
            selector = .latest
        } else if let number = Int(target.hasPrefix("v") ? String(target.dropFirst()) : target) {
            selector = .number(number)
        } else {
            selector = .label(target)
        }
    }

    public var description: String {
        switch selector {
        case .number(let number): "\(family)@\(number)"
        case .label(let label): "\(family)@\(label)"
        case .latest: family
        }
    }

    /// The version this reference names, or a sentence saying why there is none.
    public func resolve(in catalog: Catalog) -> Result<PromptVersion, ReferenceError> {
        guard let family = catalog.family(self.family) else {
            let suggestion = closestMatch(to: self.family, in: catalog.families.map(\.slug)).map { " (did you mean `\($0)`?)" } ?? ""
            return .failure(ReferenceError(message: "no family `\(self.family)`\(suggestion)"))
        }
        let numbers = family.versions.map { "\($0.number)" }.joined(separator: ", ")
        switch selector {
        case .latest:
            guard let latest = family.latest else { return .failure(ReferenceError(message: "family `\(family.slug)` has no versions")) }
            return .success(latest)
        case .number(let number):
            guard let version = family.version(number) else {
                return .failure(ReferenceError(message: "`\(family.slug)` has no version \(number); versions: \(numbers)"))
            }
            return .success(version)
        case .label(let name):
            guard let label = family.label(name) else {
                let labels = family.labels.map(\.name).joined(separator: ", ")
                return .failure(ReferenceError(message: "`\(family.slug)` has no label `\(name)`; labels: \(labels.isEmpty ? "none" : labels)"))
            }
            guard let version = family.version(label.version) else {
                return .failure(ReferenceError(message: "label `\(name)` of `\(family.slug)` points at v\(label.version), which does not exist"))
            }
            return .success(version)
        }
    }
}

public struct ReferenceError: Error, Sendable {
    public let message: String

    public init(message: String) { self.message = message }
}

extension VersionVariables {
    /// Values from `--var name=value` arguments, typed by the declarations
    /// (`--var intensity=7` is an int when `intensity` is declared int).
    public func overrides(from assignments: [String]) -> Result<TemplateValues, ReferenceError> {
        var values = TemplateValues()
        var problems: [String] = []
        for assignment in assignments {
            guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
                problems.append("`\(assignment)` is not name=value")
                continue
            }
            let path = VariablePath(String(assignment[..<equals]))
            let text = String(assignment[assignment.index(after: equals)...])
            switch typed(text, for: path) {
            case .success(let value): values.set(value, at: path)
            case .failure(let problem): problems.append(problem.message)
            }
        }
        return problems.isEmpty ? .success(values) : .failure(ReferenceError(message: problems.joined(separator: "; ")))
    }

    private func typed(_ text: String, for path: VariablePath) -> Result<TemplateValue, ReferenceError> {
        guard let spec = declaration(path), let type = spec.type else { return .success(.string(text)) }
        switch type {
        case .string:
            if let max = spec.maxLength?.value, text.count > max {
                return .failure(ReferenceError(message: "`\(path)` is \(text.count) characters, over its max_length of \(max)"))
            }
            return .success(.string(text))
        case .int:
            guard let value = Int(text) else { return .failure(ReferenceError(message: "`\(path)` must be a whole number, got `\(text)`")) }
            if let problem = Self.outOfBounds(Double(value), text: text, spec: spec) { return .failure(problem) }
            return .success(.int(value))
        case .float:
            guard let value = Double(text), value.isFinite else { return .failure(ReferenceError(message: "`\(path)` must be a number, got `\(text)`")) }
            if let problem = Self.outOfBounds(value, text: text, spec: spec) { return .failure(problem) }
            return .success(.double(value))
        case .bool:
            guard let value = Bool(text.lowercased()) else { return .failure(ReferenceError(message: "`\(path)` must be true or false, got `\(text)`")) }
            return .success(.bool(value))
        case .enum:
            let values = spec.values.map(\.value)
            guard values.contains(text) else {
                return .failure(ReferenceError(message: "`\(path)` must be one of \(values.joined(separator: ", ")), got `\(text)`"))
            }
            return .success(.string(text))
        }
    }

    /// A number outside the declaration's `min`/`max`, as `check` reports an example's.
    private static func outOfBounds(_ value: Double, text: String, spec: VariableSpec) -> ReferenceError? {
        func shown(_ bound: Double) -> String { bound == bound.rounded() && abs(bound) < 1e15 ? String(Int(bound)) : String(bound) }
        if let min = spec.min?.value, value < min { return ReferenceError(message: "`\(spec.path)` is \(text), below its min of \(shown(min))") }
        if let max = spec.max?.value, value > max { return ReferenceError(message: "`\(spec.path)` is \(text), above its max of \(shown(max))") }
        return nil
    }

    /// Paths the template uses that would render empty although the version requires them.
    public func missingRequired(in rendered: RenderedTemplate) -> [VariablePath] {
        rendered.missing.filter { path in
            if let spec = declaration(path) { return spec.required }
            return pool(path.root) != nil
        }
    }
}
