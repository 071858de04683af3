// Evaluation of condition expressions with PixSim7's semantics:
// - a missing path is null; `==`/`!=` compare it as null;
// - ordering comparisons (`< <= > >=`, BETWEEN) involving null are false;
// - numbers compare numerically (`.int` against `.double` too), strings lexicographically;
//   ordering between any other kinds (bools, lists, maps, mixed kinds) is false;
// - equality across kinds is false, except int/double numeric equality;
// - a value used as a condition is true unless null, false, 0 or "" (lists and maps are true).

extension ProgramExpression {
    /// Whether the expression holds for these values (its value's truthiness).
    public func evaluate(_ values: TemplateValues) -> Bool {
        Self.isTruthy(value(values))
    }

    /// The expression's value: a path's value (nil when missing, i.e. null), a literal,
    /// or `.bool` for operators.
    public func value(_ values: TemplateValues) -> TemplateValue? {
        switch self {
        case .path(let path):
            return values.value(at: path)
        case .literal(let literal):
            return literal
        case .not(let operand):
            return .bool(!operand.evaluate(values))
        case .and(let lhs, let rhs):
            return .bool(lhs.evaluate(values) && rhs.evaluate(values))
        case .or(let lhs, let rhs):
            return .bool(lhs.evaluate(values) || rhs.evaluate(values))
        case .comparison(let op, let lhs, let rhs):
            return .bool(Self.compare(lhs.value(values), op, rhs.value(values)))
        case .between(let subject, let low, let high):
            let value = subject.value(values)
            return .bool(Self.compare(value, .greaterOrEqual, low.value(values))
                && Self.compare(value, .lessOrEqual, high.value(values)))
        }
    }

    /// A condition's truth: false for null (or missing), false, 0 and ""; true otherwise.
    public static func isTruthy(_ value: TemplateValue?) -> Bool {
        switch value {
        case nil, .null?: false
        case .bool(let flag)?: flag
        case .int(let number)?: number != 0
        case .double(let number)?: number != 0 && !number.isNaN
        case .string(let text)?: !text.isEmpty
        case .list?, .map?: true
        }
    }

    /// Equality with null for missing values and numeric equality between ints and doubles.
    public static func isEqual(_ lhs: TemplateValue?, _ rhs: TemplateValue?) -> Bool {
        switch (lhs ?? .null, rhs ?? .null) {
        case (.null, .null): true
        case (.int(let a), .int(let b)): a == b
        case (.int(let a), .double(let b)): Double(a) == b
        case (.double(let a), .int(let b)): a == Double(b)
        case (let a, let b): a == b
        }
    }

    static func compare(_ lhs: TemplateValue?, _ op: ComparisonOperator, _ rhs: TemplateValue?) -> Bool {
        switch op {
        case .equal: return isEqual(lhs, rhs)
        case .notEqual: return !isEqual(lhs, rhs)
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            guard let order = ordering(lhs, rhs) else { return false }
            switch op {
            case .less: return order < 0
            case .lessOrEqual: return order <= 0
            case .greater: return order > 0
            default: return order >= 0
            }
        }
    }

    /// -1, 0 or 1 for two numbers or two strings; nil when they cannot be ordered.
    private static func ordering(_ lhs: TemplateValue?, _ rhs: TemplateValue?) -> Int? {
        switch (lhs, rhs) {
        case (.int(let a)?, .int(let b)?):
            return a < b ? -1 : (a == b ? 0 : 1)
        case (.string(let a)?, .string(let b)?):
            return a < b ? -1 : (a == b ? 0 : 1)
        default:
            guard let a = number(lhs), let b = number(rhs), !a.isNaN, !b.isNaN else { return nil }
            return a < b ? -1 : (a == b ? 0 : 1)
        }
    }

    static func number(_ value: TemplateValue?) -> Double? {
        switch value {
        case .int(let number)?: Double(number)
        case .double(let number)?: number
        default: nil
        }
    }
}

// MARK: - Programs

/// A narrative prompt program (PixSim7's `programs/**/*.json`): stages evaluated in order
/// against a context, each possibly producing text; the last text produced is the result.
public struct NarrativeProgram: Sendable {
    public let id: String
    public let stages: [ProgramStage]

    public init(id: String, stages: [ProgramStage]) {
        self.id = id
        self.stages = stages
    }
}

public struct ProgramStage: Sendable {
    public let id: String
    public let kind: Kind

    public init(id: String, kind: Kind) {
        self.id = id
        self.kind = kind
    }

    public enum Kind: Sendable {
        /// Renders its template.
        case template(Template)
        /// Every condition whose test holds contributes its rendered template.
        case conditional([(test: ProgramExpression, template: Template)])
        /// The first selector whose every match rule holds wins, else the default.
        case selector(selectors: [(match: [VariablePath: MatchRule], template: Template)], defaultTemplate: Template?)
        /// Formatters applied in order to an accumulated text.
        case formatter([Formatter])
        /// A stage type this version does not know (the raw `type`); it produces no output.
        case unknown(String)
    }

    /// How a selector compares one variable.
    public enum MatchRule: Hashable, Sendable {
        /// Equal as `==` compares (ints and doubles numerically).
        case equals(TemplateValue)
        /// A number within the bounds, both inclusive; a nil bound is open.
        case range(min: Double?, max: Double?)
    }

    public enum Formatter: Hashable, Sendable {
        /// Replaces the text with the outputs of the named stages that produced output.
        case combine(sources: [String], separator: String = "\n")
        /// Adds the rendered template after the text.
        case append(Template)
        /// Adds the rendered template before the text.
        case prepend(Template)
    }
}

/// The outcome of running a program: every stage's output in order (nil when a stage
/// produced none) and the final text (the last output produced, or "" when none was).
public struct ProgramRun: Sendable {
    public let outputs: [(stage: String, text: String?)]
    public let finalText: String

    public init(outputs: [(stage: String, text: String?)], finalText: String) {
        self.outputs = outputs
        self.finalText = finalText
    }

    /// The output of the last stage with this id, nil when it produced none or does not exist.
    public func output(of stage: String) -> String? {
        outputs.last { $0.stage == stage }?.text ?? nil
    }
}

extension NarrativeProgram {
    /// Evaluates every stage in order against the values.
    ///
    /// Empty text counts as no output everywhere (as in PixSim7): a template or selector
    /// that renders "" produces none, a passing condition whose template renders "" adds
    /// nothing, and a formatter whose accumulated text ends empty produces none.
    public func run(_ values: TemplateValues) -> ProgramRun {
        var outputs: [(stage: String, text: String?)] = []
        var produced: [String: String] = [:]
        var finalText = ""
        for stage in stages {
            let text = stage.output(values, earlier: produced).flatMap { $0.isEmpty ? nil : $0 }
            outputs.append((stage: stage.id, text: text))
            if let text {
                produced[stage.id] = text
                finalText = text
            } else {
                produced[stage.id] = nil
            }
        }
        return ProgramRun(outputs: outputs, finalText: finalText)
    }
}

extension ProgramStage {
    /// This stage's text, given the outputs of the stages before it by id.
    func output(_ values: TemplateValues, earlier: [String: String]) -> String? {
        switch kind {
        case .template(let template):
            return template.render(with: values).text
        case .conditional(let conditions):
            let parts = conditions
                .filter { $0.test.evaluate(values) }
                .map { $0.template.render(with: values).text }
                .filter { !$0.isEmpty }
            return parts.isEmpty ? nil : parts.joined(separator: "\n")
        case .selector(let selectors, let defaultTemplate):
            let chosen = selectors.first { selector in
                selector.match.allSatisfy { path, rule in rule.holds(for: values.value(at: path)) }
            }?.template ?? defaultTemplate
            return chosen?.render(with: values).text
        case .formatter(let formatters):
            var text = ""
            for formatter in formatters {
                switch formatter {
                case .combine(let sources, let separator):
                    text = sources.compactMap { earlier[$0] }.joined(separator: separator)
                case .append(let template):
                    text += template.render(with: values).text
                case .prepend(let template):
                    text = template.render(with: values).text + text
                }
            }
            return text
        case .unknown:
            return nil
        }
    }
}

extension ProgramStage.MatchRule {
    /// Whether a variable's value satisfies the rule; a missing value never does.
    public func holds(for value: TemplateValue?) -> Bool {
        guard let value else { return false }
        switch self {
        case .equals(let expected):
            return ProgramExpression.isEqual(value, expected)
        case .range(let min, let max):
            guard let number = ProgramExpression.number(value), !number.isNaN else { return false }
            if let min, number < min { return false }
            if let max, number > max { return false }
            return true
        }
    }
}
