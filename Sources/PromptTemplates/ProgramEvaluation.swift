// Evaluation of condition expressions exactly as PixSim7's `ConditionExpression` does
// (`narrative/programs.py`), over the variables PixSim7 passes: one flat map whose keys may hold
// dots (`npc.name`, `relationship_tier`, `flags.met` — `NarrativeContext.to_template_vars()`).
// - a path is the key written whole, else a walk through nested maps; one that finds nothing
//   (or a nested null) reads as the number 0, so `trust < 30` holds when `trust` is absent;
// - `==`/`!=`, `< <= > >=` and BETWEEN are Python's (`PythonComparison`), an ordering Python
//   cannot make (a number against a string, None…) is false;
// - `&&`, `||`, `!` use Python's truthiness (empty lists and maps are false).

extension ProgramExpression {
    /// Whether the expression holds for these values (its value's Python truthiness).
    public func evaluate(_ values: TemplateValues) -> Bool {
        value(values).pythonTruth
    }

    /// The expression's value: a path's value (0 when nothing holds it), a literal, or `.bool` for operators.
    public func value(_ values: TemplateValues) -> TemplateValue {
        switch self {
        case .path(let path):
            return Self.lookup(path, in: values.root) ?? .int(0)
        case .literal(let literal):
            return literal
        case .not(let operand):
            return .bool(!operand.evaluate(values))
        case .and(let lhs, let rhs):
            let left = lhs.evaluate(values), right = rhs.evaluate(values)
            return .bool(left && right)
        case .or(let lhs, let rhs):
            let left = lhs.evaluate(values), right = rhs.evaluate(values)
            return .bool(left || right)
        case .comparison(let op, let lhs, let rhs):
            return .bool(PythonComparison.compare(op, lhs.value(values), rhs.value(values)))
        case .between(let subject, let low, let high):
            // Python's `low <= value <= high`; a TypeError on either side makes it false.
            let value = subject.value(values)
            let holds = (try? PythonComparison.order(.lessOrEqual, low.value(values), value)) == true
                && (try? PythonComparison.order(.lessOrEqual, value, high.value(values))) == true
            return .bool(holds)
        }
    }

    /// PixSim7's `_get_variable`: the key written whole (even when it holds null), else, for a
    /// dotted path, the walk through nested maps when it ends on a non-null value; nil otherwise
    /// (PixSim7 then uses 0).
    public static func lookup(_ path: VariablePath, in root: TemplateMap) -> TemplateValue? {
        let key = path.description
        if let value = root[key] { return value }
        guard path.isDotted else { return nil }
        var current = TemplateValue.map(root)
        for part in path.components {
            guard case .map(let members) = current, let next = members[part] else { return nil }
            current = next
        }
        return current == .null ? nil : current
    }
}

/// PixSim7's `_substitute_template`: every `{{…}}` (the regex `\{\{([^}]+)\}\}`) is looked up by
/// its text with surrounding whitespace removed, as ONE key of the flat variables (no walk into
/// nested maps), and then `{{key}}` — written without spaces — is replaced everywhere in the text
/// so far. So `{{ name }}` stays as written unless `{{name}}` also appears, a missing key
/// renders "", and a list or map renders as Python's repr.
public enum PixSimTemplate {
    public struct Substitution: Hashable, Sendable {
        public let text: String
        /// The keys looked up, in order of first appearance.
        public let keys: [String]
        /// Keys whose value is a list or a map (rendered as Python's repr).
        public let containers: [String]
        /// Keys no variable holds (rendered as "").
        public let missing: [String]
    }

    /// The `{{…}}` references of a template: each one's inner text, and that text with its
    /// surrounding whitespace removed (the key PixSim7 looks up).
    public static func references(in source: String) -> [(written: String, key: String)] {
        let scalars = Array(source.unicodeScalars)
        var found: [(written: String, key: String)] = []
        var index = 0
        while index + 1 < scalars.count {
            guard scalars[index] == "{", scalars[index + 1] == "{" else { index += 1; continue }
            var end = index + 2
            while end < scalars.count, scalars[end] != "}" { end += 1 }
            if end > index + 2, end + 1 < scalars.count, scalars[end + 1] == "}" {
                var inner = String.UnicodeScalarView()
                inner.append(contentsOf: scalars[(index + 2)..<end])
                let written = String(inner)
                found.append((written, strip(written)))
                index = end + 2
            } else {
                index += 1
            }
        }
        return found
    }

    /// The distinct keys a template looks up, in order.
    public static func keys(in source: String) -> [String] {
        var seen = Set<String>()
        return references(in: source).map(\.key).filter { seen.insert($0).inserted }
    }

    public static func substitute(_ source: String, _ root: TemplateMap) -> Substitution {
        guard !source.isEmpty else { return Substitution(text: "", keys: [], containers: [], missing: []) }
        var text = Array(source.unicodeScalars)
        var keys: [String] = [], containers: [String] = [], missing: [String] = []
        for reference in references(in: source) {
            let key = reference.key
            // Python's `vars.get(key)`: the key with exactly these code points.
            let value = root.exactly(key)
            if !keys.contains(where: { CodePointKey($0) == CodePointKey(key) }) {
                keys.append(key)
                if value == nil { missing.append(key) }
                if value?.isContainer == true { containers.append(key) }
            }
            text = replacing(Array(("{{" + key + "}}").unicodeScalars), with: Array((value?.pixSimText ?? "").unicodeScalars), in: text)
        }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: text)
        return Substitution(text: String(view), keys: keys, containers: containers, missing: missing)
    }

    /// Python's `str.replace(old, new)` over code points (old is never empty here).
    private static func replacing(_ old: [Unicode.Scalar], with new: [Unicode.Scalar], in text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(text.count)
        var index = 0
        while index < text.count {
            if index + old.count <= text.count, text[index..<(index + old.count)].elementsEqual(old) {
                result += new
                index += old.count
            } else {
                result.append(text[index])
                index += 1
            }
        }
        return result
    }

    /// Python's `str.strip()`: whitespace removed from both ends.
    static func strip(_ text: String) -> String {
        func isSpace(_ scalar: Unicode.Scalar) -> Bool {
            scalar.properties.isWhitespace || (0x1C...0x1F).contains(scalar.value)
        }
        let scalars = Array(text.unicodeScalars)
        guard let first = scalars.firstIndex(where: { !isSpace($0) }), let last = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[first...last])
        return String(view)
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
    /// What in the stage's `metadata` makes PixSim7 raise after the stage has run, in the order
    /// `_process_metadata` reaches it.
    public let metadataFailures: [MetadataFailure]

    public init(id: String, kind: Kind, metadataFailures: [MetadataFailure] = []) {
        self.id = id
        self.kind = kind
        self.metadataFailures = metadataFailures
    }

    /// A metadata value PixSim7's `_process_metadata` raises on (`visual_prompt.template` that
    /// is not text, a `condition` that is not a string, `intents` that is not a list…), once
    /// `condition` holds (nil: always).
    public struct MetadataFailure: Sendable {
        public let condition: ProgramExpression?
        public let failure: ProgramFailure

        public init(condition: ProgramExpression?, failure: ProgramFailure) {
            self.condition = condition
            self.failure = failure
        }
    }

    public enum Kind: Sendable {
        /// Renders its template.
        case template(Template)
        /// Every condition whose test holds contributes its rendered template.
        case conditional([(test: ProgramExpression, template: Template)])
        /// The first selector whose rules hold (and whose template is not "") wins, else the default.
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

/// Why PixSim7 would raise instead of producing text: the Python exception and what caused it.
public struct ProgramFailure: Error, Hashable, Sendable {
    /// The exception PixSim7 raises: `TypeError` or `ValidationError`.
    public let exception: String
    public let message: String

    public init(exception: String, message: String) {
        self.exception = exception
        self.message = message
    }
}

/// The outcome of running a program: every stage's output in order (nil when a stage
/// produced none) and the final text. `failure` is set when PixSim7 would raise at a stage;
/// the run stops there and the final text is "".
public struct ProgramRun: Sendable {
    public let outputs: [(stage: String, text: String?)]
    public let finalText: String
    public let failure: ProgramFailure?

    public init(outputs: [(stage: String, text: String?)], finalText: String, failure: ProgramFailure? = nil) {
        self.outputs = outputs
        self.finalText = finalText
        self.failure = failure
    }

    /// The output of the last stage with this id, nil when it produced none or does not exist.
    public func output(of stage: String) -> String? {
        outputs.last { CodePointKey($0.stage) == CodePointKey(stage) }?.text ?? nil
    }
}

extension NarrativeProgram {
    /// Evaluates every stage in order against the values, as PixSim7's `_execute_program` does.
    ///
    /// Empty text counts as no output: a stage that yields "" is not recorded (an earlier output
    /// of a stage with the same id stays). The final text is the recorded output of the last
    /// stage, scanning backwards, whose id has one.
    public func run(_ values: TemplateValues) -> ProgramRun {
        var outputs: [(stage: String, text: String?)] = []
        // Stage ids compared as Python compares them: by code points.
        var produced: [CodePointKey: String] = [:]
        for stage in stages {
            let text: String?
            do {
                text = try stage.output(values, earlier: produced).flatMap { $0.isEmpty ? nil : $0 }
            } catch {
                return ProgramRun(outputs: outputs, finalText: "", failure: error)
            }
            outputs.append((stage: stage.id, text: text))
            if let text { produced[CodePointKey(stage.id)] = text }
            // `_execute_program` processes a stage's metadata right after the stage.
            if let raised = stage.metadataFailures.first(where: { $0.condition?.evaluate(values) ?? true }) {
                return ProgramRun(outputs: outputs, finalText: "", failure: raised.failure)
            }
        }
        let finalText = stages.reversed().lazy.compactMap { produced[CodePointKey($0.id)] }.first ?? ""
        return ProgramRun(outputs: outputs, finalText: finalText)
    }
}

extension ProgramStage {
    /// This stage's text, given the recorded outputs of the stages before it by id.
    func output(_ values: TemplateValues, earlier: [CodePointKey: String]) throws(ProgramFailure) -> String? {
        func substitute(_ template: Template) -> String { PixSimTemplate.substitute(template.source, values.root).text }
        switch kind {
        case .template(let template):
            return substitute(template)
        case .conditional(let conditions):
            // A condition whose template is "" adds nothing; one whose text renders "" adds an empty line.
            let parts = conditions
                .filter { !$0.template.source.isEmpty && $0.test.evaluate(values) }
                .map { substitute($0.template) }
            return parts.isEmpty ? nil : parts.joined(separator: "\n")
        case .selector(let selectors, let defaultTemplate):
            for (number, selector) in selectors.enumerated() {
                let what = "selector \(number + 1) of stage `\(id)`"
                if try Self.matches(selector.match, values.root, what: what), !selector.template.source.isEmpty {
                    return substitute(selector.template)
                }
            }
            return defaultTemplate.map(substitute)
        case .formatter(let formatters):
            var text = ""
            for formatter in formatters {
                switch formatter {
                case .combine(let sources, let separator):
                    text = sources.compactMap { earlier[CodePointKey($0)] }.joined(separator: separator.isEmpty ? "\n" : separator)
                case .append(let template):
                    if !template.source.isEmpty { text += substitute(template) }
                case .prepend(let template):
                    if !template.source.isEmpty { text = substitute(template) + text }
                }
            }
            return text
        case .unknown:
            return nil
        }
    }

    /// The `match` keys PixSim7's `MatchCriteria` reads: two compared as text, four as number ranges.
    /// Any other key is ignored, so it always matches.
    public static let textMatchKeys = ["intimacy_level", "relationship_tier"]
    public static let rangeMatchKeys = ["affinity", "trust", "chemistry", "tension"]

    /// PixSim7's `MatchCriteria(**match).matches(vars)`: each key read at the top level of the
    /// variables; a text rule that is "" or null is skipped, a missing number is 0.
    /// Throws where PixSim7 raises: a rule of the wrong kind (pydantic's ValidationError) or a
    /// value that is not a number compared with a bound (TypeError).
    public static func matches(_ match: [VariablePath: MatchRule], _ root: TemplateMap, what: String) throws(ProgramFailure) -> Bool {
        for key in textMatchKeys + rangeMatchKeys {
            guard let rule = match[VariablePath([key])] else { continue }
            switch (rule, textMatchKeys.contains(key)) {
            case (.equals(.string), true), (.equals(.null), _), (.range, false): continue
            default:
                throw ProgramFailure(exception: "ValidationError",
                                     message: "`\(key)` in \(what) must be \(textMatchKeys.contains(key) ? "a string" : "{\"min\": …, \"max\": …}")")
            }
        }
        for key in textMatchKeys {
            guard case .equals(.string(let expected))? = match[VariablePath([key])], !expected.isEmpty else { continue }
            if !PythonComparison.equal(root[key] ?? .null, .string(expected)) { return false }
        }
        for key in rangeMatchKeys {
            guard case .range(let min, let max)? = match[VariablePath([key])], min != nil || max != nil else { continue }
            let value = root[key] ?? .int(0)
            do {
                if let min, try PythonComparison.order(.less, value, .double(min)) { return false }
                if let max, try PythonComparison.order(.greater, value, .double(max)) { return false }
            } catch {
                throw ProgramFailure(exception: "TypeError",
                                     message: "`\(key)` is \(value.pythonRepr), which PixSim7 cannot compare with a number in \(what)")
            }
        }
        return true
    }
}
