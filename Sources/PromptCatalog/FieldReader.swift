import Diagnostics
import PromptTemplates

/// Reads the fields of one YAML mapping into typed values through its `ObjectSchema`, collecting
/// a diagnostic for each missing, mistyped or unknown field instead of stopping at the first.
struct FieldReader {
    let node: SourceNode
    let schema: ObjectSchema
    let what: String
    /// The code for missing and mistyped fields (`front-matter` in version files).
    let code: String
    private(set) var diagnostics: [Diagnostic] = []
    /// Whether each field of the schema was read, by its position there.
    private var read: [Bool]
    /// Fields a loader read that its schema does not declare, or reads as another shape.
    private var undeclared: [String] = []

    init(_ node: SourceNode, schema: ObjectSchema, what: String, code: String = "invalid-field") {
        self.node = node
        self.schema = schema
        self.what = what
        self.code = code
        read = Array(repeating: false, count: schema.fields.count)
    }

    mutating func report(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }

    /// The raw node of a field, marking it as known. `required` defaults to what the schema says;
    /// `shape` is the shape family the caller reads (nil: any).
    mutating func field(_ key: String, required: Bool? = nil, shape: String? = nil) -> SourceNode? {
        let declared = schema.lookup(key)
        if let declared { read[declared.position] = true }
        if declared == nil {
            undeclared.append("`\(key)` is read but not declared")
        } else if let shape, let declared, declared.family != "any", declared.family != shape {
            undeclared.append("`\(key)` is read as \(shape) but declared as \(declared.family)")
        }
        let required = required ?? declared?.required ?? false
        guard let value = node[key], !value.isNull else {
            if required {
                report(.error(code, "\(what) is missing the required field `\(key)`", at: node.location,
                              hint: "add `\(key):` to the file"))
            }
            return nil
        }
        return value
    }

    mutating func string(_ key: String, required: Bool? = nil) -> String? {
        guard let value = field(key, required: required, shape: "text") else { return nil }
        if let string = value.string { return string }
        // Plain numbers and booleans are fine where text is expected (e.g. `semver: 1.2`).
        if case .scalar(_, let text) = value.kind { return text }
        mistyped(key, value, expected: "text")
        return nil
    }

    /// The largest whole number content may write anywhere (2^53 − 1, exact in JSON and in a
    /// Double): sums and products of such numbers are checked, never a trap.
    static let largestInt = 9_007_199_254_740_991

    mutating func int(_ key: String, required: Bool? = nil, in range: ClosedRange<Int> = -largestInt...largestInt) -> Int? {
        guard let value = field(key, required: required, shape: "integer") else { return nil }
        if let int = value.int {
            guard range.contains(int) else {
                let bounds = range.lowerBound <= -Self.largestInt ? "at most \(range.upperBound)" : "\(range.lowerBound) to \(range.upperBound)"
                report(.error(code, "`\(key)` in \(what) is \(int), out of range (\(bounds))", at: value.location,
                              hint: "use a value \(range.lowerBound <= -Self.largestInt ? "up to \(range.upperBound)" : "between \(range.lowerBound) and \(range.upperBound)")"))
                return nil
            }
            return int
        }
        if let double = value.double, double.isFinite, double == double.rounded() {
            report(.error(code, "`\(key)` in \(what) is \(value.scalarText ?? String(double)), out of range (at most \(range.upperBound))", at: value.location,
                          hint: "use a value up to \(range.upperBound)"))
            return nil
        }
        mistyped(key, value, expected: "a whole number")
        return nil
    }

    /// A finite number (`.nan` and `.inf` are not), within `range` when given; `openBelow` and
    /// `openAbove` leave that bound out (a threshold above 0, a confidence below 1).
    mutating func double(_ key: String, in range: ClosedRange<Double>? = nil, openBelow: Bool = false, openAbove: Bool = false) -> Double? {
        guard let value = field(key, shape: "number") else { return nil }
        guard let double = value.double else {
            mistyped(key, value, expected: "a number")
            return nil
        }
        let text = value.scalarText ?? String(double)
        guard double.isFinite else {
            report(.error(code, "`\(key)` in \(what) is \(text), not a finite number", at: value.location, hint: "write a plain number such as 0.5"))
            return nil
        }
        if let range {
            let aboveLower = openBelow ? double > range.lowerBound : double >= range.lowerBound
            let belowUpper = openAbove ? double < range.upperBound : double <= range.upperBound
            if !aboveLower || !belowUpper {
                let lower = openBelow ? "greater than \(Self.plain(range.lowerBound))" : "at least \(Self.plain(range.lowerBound))"
                let upper = openAbove ? "less than \(Self.plain(range.upperBound))" : "at most \(Self.plain(range.upperBound))"
                report(.error(code, "`\(key)` in \(what) is \(text), out of range (\(lower) and \(upper))", at: value.location,
                              hint: "use a value \(lower) and \(upper)"))
                return nil
            }
        }
        return double
    }

    /// 0, 1 and 0.5 rather than 0.0, 1.0.
    private static func plain(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
    }

    mutating func bool(_ key: String) -> Bool? {
        guard let value = field(key, shape: "boolean") else { return nil }
        if let bool = value.bool { return bool }
        mistyped(key, value, expected: "true or false")
        return nil
    }

    /// A list of strings; a single string is accepted as a list of one.
    mutating func strings(_ key: String) -> [Located<String>] {
        guard let value = field(key, shape: "textList") else { return [] }
        if let text = value.string { return [Located(text, at: value.location)] }
        guard let items = value.items else {
            mistyped(key, value, expected: "a list of text values")
            return []
        }
        var wrong = 0
        let texts = items.compactMap { item -> Located<String>? in
            if case .scalar(let scalar, let text) = item.kind, scalar != .null { return Located(text, at: item.location) }
            wrong += 1
            if wrong <= FieldShape.itemsListed { report(.error(code, "`\(key)` in \(what) must list text values, found \(item.kindName)", at: item.location)) }
            return nil
        }
        if wrong > FieldShape.itemsListed {
            report(.error(code, "`\(key)` in \(what) lists \(wrong - FieldShape.itemsListed) more values that are not text, not listed", at: value.location))
        }
        return texts
    }

    mutating func mapping(_ key: String) -> SourceNode? {
        guard let value = field(key, shape: "mapping") else { return nil }
        if value.members != nil { return value }
        mistyped(key, value, expected: "a mapping of names to values")
        return nil
    }

    mutating func mistyped(_ key: String, _ value: SourceNode, expected: String) {
        // `1e300` and `.5e3` read as numbers to people but as text to YAML 1.1 (PyYAML): say so.
        var hint: String?
        if case .scalar(.string(let text), _) = value.kind, text.contains(where: { $0 == "e" || $0 == "E" }), let number = Double(text), number.isFinite {
            hint = "YAML reads `\(text)` as text: a number with an exponent needs a dot and a signed exponent, as in `\(Self.yamlFloat(number))`"
        }
        report(.error(code, "`\(key)` in \(what) must be \(expected), found \(value.kindName)", at: value.location, hint: hint))
    }

    /// `number` as YAML 1.1 reads a float: `1.0e+300`.
    static func yamlFloat(_ number: Double) -> String {
        let text = "\(number)"
        guard let exponent = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return text.contains(".") ? text : text + ".0" }
        var mantissa = String(text[..<exponent]), power = String(text[text.index(after: exponent)...])
        if !mantissa.contains(".") { mantissa += ".0" }
        if !power.hasPrefix("-") && !power.hasPrefix("+") { power = "+" + power }
        return mantissa + "e" + power
    }

    /// Warns about every field the schema does not declare, and reports any drift between the
    /// schema and what the loader read (a promptsite bug, caught by the tests).
    mutating func reportUnknownFields() {
        let unread = schema.fields.indices.filter { !read[schema.firstPositions[$0]] }.map { "`\(schema.fields[$0].name)` is declared but never read" }
        for problem in undeclared + unread {
            report(.error("schema-drift", "the loader and the schema of \(schema.title) disagree: \(problem)", at: node.location,
                          hint: "this is a promptsite bug: declare the field in ContentSchemas as the loader reads it"))
        }
        guard !schema.open else { return }
        for member in node.members ?? [] where schema.lookup(member.key) == nil {
            let known = schema.fieldNames.sorted()
            let suggestion = closestMatch(to: member.key, in: known)
            let hint = suggestion.map { "did you mean `\($0)`?" } ?? "known fields: \(known.joined(separator: ", "))"
            report(.warning("unknown-field", "unknown field `\(member.key)` in \(what)", at: member.keyLocation, hint: hint))
        }
    }
}

/// A value with the place it was written.
public struct Located<Value: Hashable & Sendable>: Hashable, Sendable {
    public let value: Value
    public let location: SourceLocation

    public init(_ value: Value, at location: SourceLocation) {
        self.value = value
        self.location = location
    }
}

/// The candidate with the smallest edit distance, when it is close enough to be a likely typo.
public func closestMatch(to word: String, in candidates: [String]) -> String? {
    let length = word.count
    // Nobody mistypes a name this long; measuring it against every candidate would cost its
    // length times theirs (a 100 KB "variable" took seconds).
    guard length <= 256 else { return nil }
    let allowed = max(1, length / 3), lowered = word.lowercased()
    var best: (candidate: String, distance: Int)?
    for candidate in candidates {
        let other = candidate.lowercased()
        // The distance is at least the difference in length.
        guard abs(other.count - lowered.count) <= allowed else { continue }
        let distance = editDistance(lowered, other)
        if distance <= allowed, distance < best?.distance ?? .max { best = (candidate, distance) }
    }
    return best?.candidate
}

/// Optimal string alignment distance: edits plus swaps of neighbours (`titel` → `title` is 1).
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { table[i][0] = i }
    for j in 0...b.count { table[0][j] = j }
    for i in 1...a.count {
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
            }
        }
    }
    return table[a.count][b.count]
}
