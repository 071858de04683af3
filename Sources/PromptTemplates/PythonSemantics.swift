// How PixSim7's Python evaluator sees a value: `str()`/`repr()` text, truthiness, `==` and the
// ordering comparisons (which raise TypeError across kinds; PixSim7 catches that as false).

extension TemplateValue {
    /// Python's `repr()`: `None`, `True`, `'text'`, `['a', 1]`, `{'k': 'v'}`. Floats as Python
    /// writes them (`3600.0`, `1e+16`). Map keys in the order written, as a Python dict keeps them.
    public var pythonRepr: String {
        switch self {
        case .null: "None"
        case .bool(let flag): flag ? "True" : "False"
        case .int(let number): String(number)
        case .double(let number): Self.pythonFloat(number)
        case .string(let text): Self.pythonStringRepr(text)
        case .list(let items): "[" + items.map(\.pythonRepr).joined(separator: ", ") + "]"
        case .map(let members):
            "{" + members.map { Self.pythonStringRepr($0.key) + ": " + $0.value.pythonRepr }.joined(separator: ", ") + "}"
        }
    }

    /// What PixSim7's `_substitute_template` writes for a value: `true`/`false` for bools, "" for
    /// null, otherwise `str(value)` (so a list is its repr, `['warm', 'teasing']`).
    public var pixSimText: String {
        switch self {
        case .null: ""
        case .bool(let flag): flag ? "true" : "false"
        case .string(let text): text
        default: pythonRepr
        }
    }

    /// Whether `str()` of the value is Python's repr of a container (a list or a map).
    public var isContainer: Bool {
        switch self {
        case .list, .map: true
        default: false
        }
    }

    /// Python's `bool()`: false for None, False, 0, 0.0, "" and empty lists and maps (NaN is true).
    public var pythonTruth: Bool {
        switch self {
        case .null: false
        case .bool(let flag): flag
        case .int(let number): number != 0
        case .double(let number): number != 0
        case .string(let text): !text.isEmpty
        case .list(let items): !items.isEmpty
        case .map(let members): !members.isEmpty
        }
    }

    /// Python's float repr: the shortest text that reads back, `.0` on whole numbers,
    /// exponent form below 1e-4 and from 1e16 (Swift's `description` follows the same rules).
    /// Python's `repr()` of a float: the shortest digits that read back (as Swift's), written out
    /// in full below 1e16 where Swift already switches to an exponent at 2⁵³
    /// (`9119187601574176.0`, not `9.119187601574176e+15`).
    public static func pythonFloat(_ number: Double) -> String {
        let text = number.description
        guard number.isFinite, abs(number) >= 9_007_199_254_740_992, abs(number) < 1e16,
              let exponentAt = text.firstIndex(of: "e"), let exponent = Int(text[text.index(after: exponentAt)...]) else { return text }
        let sign = number < 0 ? "-" : ""
        let digits = text[..<exponentAt].filter { $0.isNumber }
        return sign + digits + String(repeating: "0", count: max(0, exponent + 1 - digits.count)) + ".0"
    }

    /// Python's `repr()` of a str: single quotes unless the text holds `'` and no `"`;
    /// backslash, the quote, `\t \n \r` and unprintable characters escaped.
    public static func pythonStringRepr(_ text: String) -> String {
        let quote: Character = text.contains("'") && !text.contains("\"") ? "\"" : "'"
        var out = String(quote)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default:
                if Character(scalar) == quote {
                    out += "\\" + String(quote)
                } else if isPrintable(scalar) {
                    out.unicodeScalars.append(scalar)
                } else {
                    let hex = String(scalar.value, radix: 16)
                    out += scalar.value < 0x100 ? "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
                        : scalar.value < 0x10000 ? "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                        : "\\U" + String(repeating: "0", count: 8 - hex.count) + hex
                }
            }
        }
        return out + String(quote)
    }

    /// Python's `str.isprintable()` for one character: not a control, format, surrogate,
    /// private-use, unassigned or separator character, except the space.
    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == " " { return true }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator, .spaceSeparator: return false
        default: return true
        }
    }
}

/// Python's comparison operators over template values.
public enum PythonComparison {
    /// Python's `==`: numbers (bools count as 0 and 1) by value, strings by code points,
    /// lists and maps member by member (maps in any order); different kinds are unequal, None equals only None.
    public static func equal(_ lhs: TemplateValue, _ rhs: TemplateValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.string(let a), .string(let b)): return a.unicodeScalars.elementsEqual(b.unicodeScalars)
        case (.list(let a), .list(let b)): return a.count == b.count && zip(a, b).allSatisfy { equal($0, $1) }
        case (.map(let a), .map(let b)):
            return a.count == b.count && a.allSatisfy { key, value in b[key].map { equal(value, $0) } ?? false }
        default:
            return numericOrder(lhs, rhs) == 0
        }
    }

    /// How two numbers compare, exactly as Python compares an int with a float (it never rounds
    /// the int to a double: `9007199254740993 == 9007199254740992.0` is false); nil when either is
    /// NaN or either is not a number.
    static func numericOrder(_ lhs: TemplateValue, _ rhs: TemplateValue) -> Int? {
        if let a = integer(lhs), let b = integer(rhs) { return a < b ? -1 : (a == b ? 0 : 1) }
        guard let a = number(lhs), let b = number(rhs), !a.isNaN, !b.isNaN else { return nil }
        if let a = integer(lhs) { return order(a, b) }
        if let b = integer(rhs) { return order(b, a).map { -$0 } }
        return a < b ? -1 : (a == b ? 0 : 1)
    }

    /// An int against a double, without rounding either.
    private static func order(_ int: Int, _ double: Double) -> Int? {
        if double.isInfinite { return double > 0 ? -1 : 1 }
        // Past Int's range the double decides alone (2^63 is exactly representable).
        if double >= 9_223_372_036_854_775_808.0 { return -1 }
        if double < -9_223_372_036_854_775_808.0 { return 1 }
        let whole = double.rounded(.towardZero)
        let truncated = Int(whole)
        if int != truncated { return int < truncated ? -1 : 1 }
        let fraction = double - whole
        return fraction > 0 ? -1 : (fraction < 0 ? 1 : 0)
    }

    /// The raised TypeError of an ordering comparison between kinds Python cannot order.
    public struct Unorderable: Error {}

    /// Python's `<`, `<=`, `>`, `>=`: numbers by value, strings by code points, lists
    /// lexicographically (the first unequal members compared with the same operator).
    public static func order(_ op: ProgramExpression.ComparisonOperator, _ lhs: TemplateValue, _ rhs: TemplateValue) throws(Unorderable) -> Bool {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)):
            return holds(op, compare(Array(a.unicodeScalars.map(\.value)), Array(b.unicodeScalars.map(\.value))))
        case (.list(let a), .list(let b)):
            if let index = a.indices.first(where: { $0 < b.count && !equal(a[$0], b[$0]) }) {
                return try order(op, a[index], b[index])
            }
            return holds(op, a.count < b.count ? -1 : (a.count == b.count ? 0 : 1))
        default:
            guard number(lhs) != nil, number(rhs) != nil else { throw Unorderable() }
            // NaN: every ordering comparison is false.
            return numericOrder(lhs, rhs).map { holds(op, $0) } ?? false
        }
    }

    /// `==`/`!=` as Python computes them; the ordering operators false where Python raises.
    public static func compare(_ op: ProgramExpression.ComparisonOperator, _ lhs: TemplateValue, _ rhs: TemplateValue) -> Bool {
        switch op {
        case .equal: equal(lhs, rhs)
        case .notEqual: !equal(lhs, rhs)
        default: (try? order(op, lhs, rhs)) ?? false
        }
    }

    private static func holds(_ op: ProgramExpression.ComparisonOperator, _ order: Int) -> Bool {
        switch op {
        case .less: order < 0
        case .lessOrEqual: order <= 0
        case .greater: order > 0
        case .greaterOrEqual: order >= 0
        case .equal: order == 0
        case .notEqual: order != 0
        }
    }

    private static func compare(_ a: [UInt32], _ b: [UInt32]) -> Int {
        a.lexicographicallyPrecedes(b) ? -1 : (a == b ? 0 : 1)
    }

    static func integer(_ value: TemplateValue) -> Int? {
        switch value {
        case .int(let number): number
        case .bool(let flag): flag ? 1 : 0
        default: nil
        }
    }

    static func number(_ value: TemplateValue) -> Double? {
        switch value {
        case .int(let number): Double(number)
        case .bool(let flag): flag ? 1 : 0
        case .double(let number): number
        default: nil
        }
    }
}

extension TemplateValue {
    public var isList: Bool {
        if case .list = self { return true }
        return false
    }
}

/// A `String` compared and hashed by its code points, as Python compares `str`: Swift's `==`
/// holds canonically equivalent strings equal (`"café"` and `"cafe\u{301}"`), Python's does not.
public struct CodePointKey: Hashable, Sendable {
    public let text: String

    public init(_ text: String) { self.text = text }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.text.utf8.elementsEqual(rhs.text.utf8) }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(text.utf8.count)
        for byte in text.utf8 { hasher.combine(byte) }
    }
}

extension Dictionary where Key == String {
    /// The value of the key with exactly these code points (Python's `dict.get`), not of a
    /// canonically equivalent key Swift's subscript would also find.
    public func exactly(_ key: String) -> Value? {
        guard let index = index(forKey: key), self[index].key.utf8.elementsEqual(key.utf8) else { return nil }
        return self[index].value
    }
}
