/// A condition from a narrative program (`test` of a conditional stage), parsed once.
///
/// The language is exactly PixSim7's (`ConditionExpression` in `narrative/programs.py`):
/// dotted paths (`[A-Za-z_][A-Za-z0-9_.]*`), numbers (`-?\\d+(\\.\\d+)?`), 'single' or "double" quoted
/// strings without escapes, `true`/`false` (any case), `== != < <= > >=`, `&&`/`AND`, `||`/`OR`,
/// `!`/`NOT`, parentheses and `x BETWEEN a AND b` (inclusive; `&&` also closes it). Any other word,
/// `null` included, is a path, and a path no variable holds reads as 0.
/// Precedence, loosest first: `||`, `&&`, `!`, then comparisons and `BETWEEN` — so `!a == b` is
/// `!(a == b)`. Comparisons do not chain. An empty or blank expression is `true`.
public indirect enum ProgramExpression: Hashable, Sendable {
    case path(VariablePath)
    /// A number (`.int` or `.double`), string or bool.
    case literal(TemplateValue)
    case not(ProgramExpression)
    case and(ProgramExpression, ProgramExpression)
    case or(ProgramExpression, ProgramExpression)
    case comparison(ComparisonOperator, ProgramExpression, ProgramExpression)
    /// `value BETWEEN low AND high`, both bounds inclusive.
    case between(ProgramExpression, low: ProgramExpression, high: ProgramExpression)

    public enum ComparisonOperator: String, Hashable, Sendable, CaseIterable {
        case equal = "=="
        case notEqual = "!="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
    }
}

/// Why a condition expression could not be parsed, and where.
public struct ExpressionSyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    public let message: String
    /// 0-based offset in code points (Unicode scalars, as Python indexes a `str`) from the start of the expression.
    public let offset: Int
    public let hint: String

    public init(message: String, offset: Int, hint: String) {
        self.message = message
        self.offset = offset
        self.hint = hint
    }

    public var description: String { "\(message) (at offset \(offset)); \(hint)" }
}

extension ProgramExpression {
    /// Parses a whole expression; the first problem found is reported with its offset.
    public static func parse(_ source: String) -> Result<ProgramExpression, ExpressionSyntaxError> {
        let characters = Array(source.unicodeScalars)
        // PixSim7: "Empty condition = always true" (after `str.strip()`).
        guard characters.contains(where: { !ExpressionLexer.isSpace($0) }) else { return .success(.literal(.bool(true))) }
        do {
            var lexer = ExpressionLexer(characters)
            let tokens = try lexer.tokens()
            var parser = ExpressionParser(tokens: tokens)
            return .success(try parser.parseWhole())
        } catch {
            return .failure(error)
        }
    }

    /// The distinct paths the expression reads, in order of first appearance.
    public var paths: [VariablePath] {
        var found: [VariablePath] = []
        var seen = Set<VariablePath>()
        func collect(_ expression: ProgramExpression) {
            switch expression {
            case .path(let path):
                if seen.insert(path).inserted { found.append(path) }
            case .literal:
                break
            case .not(let operand):
                collect(operand)
            case .and(let lhs, let rhs), .or(let lhs, let rhs), .comparison(_, let lhs, let rhs):
                collect(lhs)
                collect(rhs)
            case .between(let value, let low, let high):
                collect(value)
                collect(low)
                collect(high)
            }
        }
        collect(self)
        return found
    }
}

extension ProgramExpression: CustomStringConvertible {
    /// Canonical source text: single-quoted strings (double-quoted when they hold a `'`),
    /// parentheses only where needed. Parsing it gives back an equal expression.
    public var description: String { text(needing: 0) }

    /// Binding strength: `||` 1, `&&` 2, `!` 3, comparison/BETWEEN 4, operands 5.
    private var precedence: Int {
        switch self {
        case .or: 1
        case .and: 2
        case .not: 3
        case .comparison, .between: 4
        case .path, .literal: 5
        }
    }

    private func text(needing minimum: Int) -> String {
        let body: String
        switch self {
        case .path(let path):
            body = path.description
        case .literal(let value):
            body = Self.literalText(value)
        case .not(let operand):
            body = "!" + operand.text(needing: 3)
        case .and(let lhs, let rhs):
            body = lhs.text(needing: 2) + " && " + rhs.text(needing: 3)
        case .or(let lhs, let rhs):
            body = lhs.text(needing: 1) + " || " + rhs.text(needing: 2)
        case .comparison(let op, let lhs, let rhs):
            body = lhs.text(needing: 5) + " \(op.rawValue) " + rhs.text(needing: 5)
        case .between(let value, let low, let high):
            body = value.text(needing: 5) + " BETWEEN " + low.text(needing: 5) + " AND " + high.text(needing: 5)
        }
        return precedence < minimum ? "(" + body + ")" : body
    }

    /// A finite double as the language writes numbers (digits, a point, digits: no exponent),
    /// so that the canonical text parses back: 2.5e+20 → `250000000000000000000.0`.
    static func plainDecimal(_ number: Double) -> String {
        let text = String(number)
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }), let exponent = Int(text[text.index(after: e)...]) else { return text }
        var mantissa = String(text[..<e])
        let negative = mantissa.hasPrefix("-")
        if negative { mantissa.removeFirst() }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let whole = String(parts[0]), fraction = parts.count > 1 ? String(parts[1]) : ""
        let digits = whole + fraction
        let point = whole.count + exponent
        var out: String
        if point <= 0 {
            out = "0." + String(repeating: "0", count: -point) + digits
        } else if point >= digits.count {
            out = digits + String(repeating: "0", count: point - digits.count) + ".0"
        } else {
            out = String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
        }
        return (negative ? "-" : "") + out
    }

    private static func literalText(_ value: TemplateValue) -> String {
        switch value {
        case .bool(let flag): flag ? "true" : "false"
        case .int(let number): String(number)
        case .double(let number): plainDecimal(number)
        case .string(let text): text.contains("'") ? "\"" + text + "\"" : "'" + text + "'"
        case .null, .list, .map: value.pythonRepr
        }
    }
}

// MARK: - Lexing

struct ExpressionToken: Hashable, Sendable {
    enum Kind: Hashable, Sendable {
        case path(VariablePath)
        case literal(TemplateValue)
        case comparison(ProgramExpression.ComparisonOperator)
        /// `&&` or the word AND (any case): a conjunction, and the word that closes BETWEEN.
        case and
        /// `||` or the word OR.
        case or
        /// `!` or the word NOT.
        case not
        case between
        case open, close
        case end
    }

    let kind: Kind
    let offset: Int
    /// The token as written, for messages.
    let text: String
}

/// Splits an expression into PixSim7's tokens (its `_TOKEN_RE`); reports characters it has no token for.
/// It reads code points, as Python's `re` does: a combining mark after a quote is a character of
/// its own, whitespace is Python's `\s` and a digit is Python's `\d` (any Unicode decimal digit).
struct ExpressionLexer {
    private let characters: [Unicode.Scalar]
    private var index = 0

    init(_ characters: [Unicode.Scalar]) { self.characters = characters }

    /// Python's `str.isspace()` (and `\s` of a `str` pattern): Unicode White_Space, plus the
    /// separators U+001C–U+001F, which Python counts and Unicode does not.
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || (0x1C...0x1F).contains(scalar.value)
    }

    /// Python's `\d` of a `str` pattern: a Unicode decimal digit (`٣`, `３`), each of which
    /// `int()` and `float()` read as its value.
    static func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.numericType == .decimal }

    /// The text of a number token with its digits as ASCII, as Python's `int()` reads them.
    static func asciiDigits(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var text = ""
        for scalar in scalars {
            if scalar.isASCII || !isDigit(scalar) {
                text.unicodeScalars.append(scalar)
            } else if let value = scalar.properties.numericValue {
                text += String(Int(value))
            }
        }
        return text
    }

    mutating func tokens() throws(ExpressionSyntaxError) -> [ExpressionToken] {
        var tokens: [ExpressionToken] = []
        while true {
            while index < characters.count, Self.isSpace(characters[index]) { index += 1 }
            guard index < characters.count else {
                tokens.append(ExpressionToken(kind: .end, offset: characters.count, text: "end of expression"))
                return tokens
            }
            tokens.append(try next())
        }
    }

    private func peek(_ distance: Int = 0) -> Unicode.Scalar? {
        index + distance < characters.count ? characters[index + distance] : nil
    }

    private mutating func token(_ kind: ExpressionToken.Kind, length: Int) -> ExpressionToken {
        let start = index
        index += length
        return ExpressionToken(kind: kind, offset: start, text: Self.text(characters[start..<index]))
    }

    static func text(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    private mutating func next() throws(ExpressionSyntaxError) -> ExpressionToken {
        let character = characters[index]
        switch character {
        case "(": return token(.open, length: 1)
        case ")": return token(.close, length: 1)
        case "!": return peek(1) == "=" ? token(.comparison(.notEqual), length: 2) : token(.not, length: 1)
        case "<": return peek(1) == "=" ? token(.comparison(.lessOrEqual), length: 2) : token(.comparison(.less), length: 1)
        case ">": return peek(1) == "=" ? token(.comparison(.greaterOrEqual), length: 2) : token(.comparison(.greater), length: 1)
        case "=":
            guard peek(1) == "=" else {
                throw ExpressionSyntaxError(message: "single `=` is not an operator", offset: index, hint: "compare with `==`")
            }
            return token(.comparison(.equal), length: 2)
        case "&":
            guard peek(1) == "&" else {
                throw ExpressionSyntaxError(message: "single `&` is not an operator", offset: index, hint: "join conditions with `&&`")
            }
            return token(.and, length: 2)
        case "|":
            guard peek(1) == "|" else {
                throw ExpressionSyntaxError(message: "single `|` is not an operator", offset: index, hint: "join alternatives with `||`")
            }
            return token(.or, length: 2)
        case "'", "\"":
            return try string(quote: character)
        default:
            if Self.isDigit(character) || (character == "-" && peek(1).map(Self.isDigit) == true) {
                return try number()
            }
            if Self.isWordStart(character) {
                return word()
            }
            throw ExpressionSyntaxError(
                message: "unexpected character `\(character)`", offset: index,
                hint: "PixSim7 reads paths of ASCII letters, digits, `_` and `.`, numbers, quoted strings, `== != < <= > >=`, `&& || !`, AND OR NOT, parentheses and BETWEEN … AND …; it treats this condition as false")
        }
    }

    private static func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool { ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) }
    private static func isWordStart(_ scalar: Unicode.Scalar) -> Bool { isASCIILetter(scalar) || scalar == "_" }
    private static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        isASCIILetter(scalar) || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "."
    }

    /// A quoted string: everything up to the next quote of the same kind (PixSim7 has no escapes).
    private mutating func string(quote: Unicode.Scalar) throws(ExpressionSyntaxError) -> ExpressionToken {
        let start = index
        guard let close = characters[(index + 1)...].firstIndex(of: quote) else {
            throw ExpressionSyntaxError(
                message: "unclosed string: no closing \(quote)", offset: start,
                hint: "end the string with \(quote); PixSim7 has no escapes, so quote a text holding \(quote) with the other quote")
        }
        index = close + 1
        return ExpressionToken(kind: .literal(.string(Self.text(characters[(start + 1)..<close]))), offset: start,
                               text: Self.text(characters[start..<index]))
    }

    /// `-?\d+(\.\d+)?`: an int, or a double when it has a fraction.
    private mutating func number() throws(ExpressionSyntaxError) -> ExpressionToken {
        let start = index
        if characters[index] == "-" { index += 1 }
        while let character = peek(), Self.isDigit(character) { index += 1 }
        var isDecimal = false
        if peek() == ".", let after = peek(1), Self.isDigit(after) {
            isDecimal = true
            index += 1
            while let character = peek(), Self.isDigit(character) { index += 1 }
        }
        let text = Self.text(characters[start..<index])
        let digits = Self.asciiDigits(characters[start..<index])
        let value: TemplateValue
        if !isDecimal, let integer = Int(digits) {
            value = .int(integer)
        } else {
            guard let number = Double(digits), number.isFinite else {
                throw ExpressionSyntaxError(
                    message: "the number `\(text.count > 40 ? text.prefix(40) + "…" : Substring(text))` is out of range", offset: start,
                    hint: "write a number of at most about 308 digits")
            }
            value = .double(number)
        }
        return ExpressionToken(kind: .literal(value), offset: start, text: text)
    }

    /// `[A-Za-z_][A-Za-z0-9_.]*`: AND, OR, NOT, BETWEEN (any case) are operators, true and false
    /// (any case) are literals, and every other word is a path (`null` too).
    private mutating func word() -> ExpressionToken {
        let start = index
        while let character = peek(), Self.isWordCharacter(character) { index += 1 }
        let text = Self.text(characters[start..<index])
        let kind: ExpressionToken.Kind = switch text.uppercased() {
        case "AND": .and
        case "OR": .or
        case "NOT": .not
        case "BETWEEN": .between
        case "TRUE": .literal(.bool(true))
        case "FALSE": .literal(.bool(false))
        default: .path(VariablePath(text))
        }
        return ExpressionToken(kind: kind, offset: start, text: text)
    }
}

// MARK: - Parsing

/// Recursive descent over the tokens, PixSim7's grammar:
///
///     or         := and (OR and)*
///     and        := not (AND not)*
///     not        := NOT not | comparison
///     comparison := primary (op primary | BETWEEN primary AND primary)?
///     primary    := literal | path | "(" or ")"
struct ExpressionParser {
    /// Deepest nesting of parentheses and `!` a condition may have: the parser and the
    /// evaluator recurse once per level, and hostile input must not exhaust the stack.
    static let maximumDepth = 64
    /// Most tokens a condition may have: a chain of `&&` is as deep as it is long.
    static let maximumTokens = 1_000

    private let tokens: [ExpressionToken]
    private var index = 0
    private var depth = 0

    init(tokens: [ExpressionToken]) { self.tokens = tokens }

    private var current: ExpressionToken { tokens[index] }
    private var previous: ExpressionToken? { index > 0 ? tokens[index - 1] : nil }

    mutating func parseWhole() throws(ExpressionSyntaxError) -> ProgramExpression {
        if tokens.count > Self.maximumTokens {
            throw ExpressionSyntaxError(
                message: "the condition has \(tokens.count - 1) tokens, more than the \(Self.maximumTokens) allowed",
                offset: tokens[Self.maximumTokens].offset,
                hint: "split it into several stages or simpler conditions")
        }
        let expression = try parseOr()
        guard current.kind == .end else { throw unexpected(current, insideParentheses: false) }
        return expression
    }

    private mutating func parseOr() throws(ExpressionSyntaxError) -> ProgramExpression {
        var expression = try parseAnd()
        while current.kind == .or {
            index += 1
            expression = .or(expression, try parseAnd())
        }
        return expression
    }

    private mutating func parseAnd() throws(ExpressionSyntaxError) -> ProgramExpression {
        var expression = try parseNot()
        while current.kind == .and {
            index += 1
            expression = .and(expression, try parseNot())
        }
        return expression
    }

    private mutating func parseNot() throws(ExpressionSyntaxError) -> ProgramExpression {
        if current.kind == .not {
            try enter()
            defer { depth -= 1 }
            index += 1
            return .not(try parseNot())
        }
        return try parseComparison()
    }

    /// One level deeper (a `(` or a `!`), refused past `maximumDepth`.
    private mutating func enter() throws(ExpressionSyntaxError) {
        depth += 1
        guard depth <= Self.maximumDepth else {
            throw ExpressionSyntaxError(
                message: "the condition nests deeper than \(Self.maximumDepth) levels of `(` and `!`", offset: current.offset,
                hint: "remove redundant parentheses or negations")
        }
    }

    private mutating func parseComparison() throws(ExpressionSyntaxError) -> ProgramExpression {
        let lhs = try parsePrimary()
        switch current.kind {
        case .comparison(let op):
            index += 1
            return .comparison(op, lhs, try parsePrimary())
        case .between:
            let between = current
            index += 1
            let low = try parsePrimary()
            guard current.kind == .and else {
                throw ExpressionSyntaxError(
                    message: "`\(between.text)` without `AND`: expected `AND` after the low bound, found \(describe(current))",
                    offset: current.offset,
                    hint: "write `x BETWEEN low AND high`, e.g. `world_time BETWEEN 0 AND 21600`")
            }
            index += 1
            return .between(lhs, low: low, high: try parsePrimary())
        default:
            return lhs
        }
    }

    private mutating func parsePrimary() throws(ExpressionSyntaxError) -> ProgramExpression {
        let token = current
        switch token.kind {
        case .path(let path):
            index += 1
            return .path(path)
        case .literal(let value):
            index += 1
            return .literal(value)
        case .open:
            try enter()
            defer { depth -= 1 }
            index += 1
            let inner = try parseOr()
            switch current.kind {
            case .close:
                index += 1
                return inner
            case .end:
                throw ExpressionSyntaxError(
                    message: "unclosed `(`", offset: token.offset,
                    hint: "add a `)` to close the parenthesis opened here")
            default:
                throw unexpected(current, insideParentheses: true)
            }
        case .end:
            let after = previous.map { "`\($0.text)`" } ?? "the start"
            throw ExpressionSyntaxError(
                message: "missing value after \(after)", offset: token.offset,
                hint: "complete the expression with a path, number, string, true or false")
        case .close:
            throw ExpressionSyntaxError(
                message: "expected a value before `)`", offset: token.offset,
                hint: "put a condition inside the parentheses, or remove them")
        case .comparison, .and, .or, .between, .not:
            throw ExpressionSyntaxError(
                message: "missing value before `\(token.text)`", offset: token.offset,
                hint: "`\(token.text)` needs a value on each side, e.g. `affinity >= 50 && trust > 20`")
        }
    }

    private func describe(_ token: ExpressionToken) -> String {
        token.kind == .end ? "the end of the expression" : "`\(token.text)`"
    }

    /// The error for a token that cannot continue a complete (sub)expression.
    private func unexpected(_ token: ExpressionToken, insideParentheses: Bool) -> ExpressionSyntaxError {
        let message: String
        let hint: String
        switch token.kind {
        case .close:
            message = "unmatched `)`"
            hint = "remove it, or add the `(` it should close"
        case .comparison:
            message = "comparisons cannot be chained: unexpected `\(token.text)`"
            hint = "join two comparisons with `&&`, e.g. `a < b && b < c`, or use `BETWEEN … AND …`"
        default:
            message = "unexpected \(describe(token))" + (insideParentheses ? " inside parentheses" : " after a complete expression")
            hint = insideParentheses ? "close the parenthesis with `)`, or join conditions with `&&` or `||`" : "join conditions with `&&` or `||`"
        }
        return ExpressionSyntaxError(message: message, offset: token.offset, hint: hint + "; PixSim7 treats this condition as false")
    }
}
