/// A condition from a narrative program (`test` of a conditional stage), parsed once.
///
/// The language (PixSim7's): dotted paths, numbers, 'single' or "double" quoted strings,
/// `true`/`false`/`null`, `== != < <= > >=`, `&& || !`, parentheses and
/// `x BETWEEN a AND b` (inclusive). Precedence, tightest first:
/// `!`, then comparisons and `BETWEEN`, then `&&`, then `||`. Comparisons do not chain.
public indirect enum ProgramExpression: Hashable, Sendable {
    case path(VariablePath)
    /// A number (`.int` or `.double`), string, bool or null.
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
    /// 0-based offset in `Character`s from the start of the expression.
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
        let characters = Array(source)
        guard characters.contains(where: { !$0.isWhitespace }) else {
            return .failure(ExpressionSyntaxError(
                message: "empty expression", offset: 0,
                hint: "write a condition such as `relationship.affinity >= 50`"))
        }
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
    /// Canonical source text: single-quoted strings, parentheses only where needed.
    /// Parsing it gives back an equal expression.
    public var description: String { text(needing: 0) }

    /// Binding strength: `||` 1, `&&` 2, comparison/BETWEEN 3, `!` 4, operands 5.
    private var precedence: Int {
        switch self {
        case .or: 1
        case .and: 2
        case .comparison, .between: 3
        case .not: 4
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
            body = "!" + operand.text(needing: 4)
        case .and(let lhs, let rhs):
            body = lhs.text(needing: 2) + " && " + rhs.text(needing: 3)
        case .or(let lhs, let rhs):
            body = lhs.text(needing: 1) + " || " + rhs.text(needing: 2)
        case .comparison(let op, let lhs, let rhs):
            body = lhs.text(needing: 4) + " \(op.rawValue) " + rhs.text(needing: 4)
        case .between(let value, let low, let high):
            body = value.text(needing: 4) + " BETWEEN " + low.text(needing: 4) + " AND " + high.text(needing: 4)
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
        case .null: "null"
        case .bool(let flag): flag ? "true" : "false"
        case .int(let number): String(number)
        case .double(let number): plainDecimal(number)
        case .string(let text):
            "'" + text.reduce(into: "") { escaped, character in
                if character == "\\" || character == "'" { escaped.append("\\") }
                escaped.append(character)
            } + "'"
        case .list, .map: value.renderedText
        }
    }
}

// MARK: - Lexing

struct ExpressionToken: Hashable, Sendable {
    enum Kind: Hashable, Sendable {
        case path(VariablePath)
        case literal(TemplateValue)
        case comparison(ProgramExpression.ComparisonOperator)
        case between, and        // keywords, case-insensitive
        case logicalAnd, logicalOr, bang
        case open, close
        case end
    }

    let kind: Kind
    let offset: Int
    /// The token as written, for messages.
    let text: String
}

/// Splits an expression into tokens; reports malformed strings, numbers, paths and characters.
struct ExpressionLexer {
    private let characters: [Character]
    private var index = 0

    init(_ characters: [Character]) { self.characters = characters }

    mutating func tokens() throws(ExpressionSyntaxError) -> [ExpressionToken] {
        var tokens: [ExpressionToken] = []
        while true {
            while index < characters.count, characters[index].isWhitespace { index += 1 }
            guard index < characters.count else {
                tokens.append(ExpressionToken(kind: .end, offset: characters.count, text: "end of expression"))
                return tokens
            }
            tokens.append(try next())
        }
    }

    private func peek(_ distance: Int = 0) -> Character? {
        index + distance < characters.count ? characters[index + distance] : nil
    }

    private mutating func token(_ kind: ExpressionToken.Kind, length: Int) -> ExpressionToken {
        let start = index
        index += length
        return ExpressionToken(kind: kind, offset: start, text: String(characters[start..<index]))
    }

    private mutating func next() throws(ExpressionSyntaxError) -> ExpressionToken {
        let character = characters[index]
        switch character {
        case "(": return token(.open, length: 1)
        case ")": return token(.close, length: 1)
        case "!": return peek(1) == "=" ? token(.comparison(.notEqual), length: 2) : token(.bang, length: 1)
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
            return token(.logicalAnd, length: 2)
        case "|":
            guard peek(1) == "|" else {
                throw ExpressionSyntaxError(message: "single `|` is not an operator", offset: index, hint: "join alternatives with `||`")
            }
            return token(.logicalOr, length: 2)
        case "'", "\"":
            return try string(quote: character)
        default:
            if Self.isDigit(character) || (character == "-" && peek(1).map(Self.isDigit) == true) {
                return try number()
            }
            if character.isLetter || character == "_" {
                return try word()
            }
            throw ExpressionSyntaxError(
                message: "unexpected character `\(character)`", offset: index,
                hint: "conditions use paths, numbers, quoted strings, `== != < <= > >=`, `&& || !`, parentheses and BETWEEN … AND …")
        }
    }

    private static func isDigit(_ character: Character) -> Bool { character.isASCII && character.isNumber }

    private static func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_" || character == "-" || character == "."
    }

    /// A quoted string. `\'`, `\"` and `\\` are escapes; any other backslash is kept as written.
    private mutating func string(quote: Character) throws(ExpressionSyntaxError) -> ExpressionToken {
        let start = index
        var value = ""
        index += 1
        while index < characters.count {
            let character = characters[index]
            if character == quote {
                index += 1
                return ExpressionToken(kind: .literal(.string(value)), offset: start, text: String(characters[start..<index]))
            }
            if character == "\\", let escaped = peek(1), escaped == "'" || escaped == "\"" || escaped == "\\" {
                value.append(escaped)
                index += 2
            } else {
                value.append(character)
                index += 1
            }
        }
        throw ExpressionSyntaxError(
            message: "unclosed string: no closing \(quote)", offset: start,
            hint: "end the string with \(quote); write \\\(quote) for a quote inside it")
    }

    /// An integer or decimal, optionally negative: `42`, `-3`, `0.75`.
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
        if let character = peek(), Self.isWordCharacter(character) {
            while let character = peek(), Self.isWordCharacter(character) { index += 1 }
            throw ExpressionSyntaxError(
                message: "invalid number `\(String(characters[start..<index]))`", offset: start,
                hint: "numbers are written like `42`, `-3` or `0.75`; a path starts with a letter or `_`")
        }
        let text = String(characters[start..<index])
        let value: TemplateValue
        if !isDecimal, let integer = Int(text) {
            value = .int(integer)
        } else {
            guard let number = Double(text), number.isFinite else {
                throw ExpressionSyntaxError(
                    message: "the number `\(text.count > 40 ? text.prefix(40) + "…" : Substring(text))` is out of range", offset: start,
                    hint: "write a number of at most about 308 digits")
            }
            value = .double(number)
        }
        return ExpressionToken(kind: .literal(value), offset: start, text: text)
    }

    /// A dotted path, or a keyword when it is one undotted word:
    /// `true`, `false`, `null`, `BETWEEN`, `AND` (any letter case).
    private mutating func word() throws(ExpressionSyntaxError) -> ExpressionToken {
        let start = index
        while let character = peek(), Self.isWordCharacter(character) { index += 1 }
        let text = String(characters[start..<index])
        let components = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if components.count == 1 {
            let keyword: ExpressionToken.Kind? = switch text.lowercased() {
            case "true": .literal(.bool(true))
            case "false": .literal(.bool(false))
            case "null": .literal(.null)
            case "between": .between
            case "and": .and
            default: nil
            }
            if let keyword { return ExpressionToken(kind: keyword, offset: start, text: text) }
        }
        guard VariablePath.isValid(components) else {
            throw ExpressionSyntaxError(
                message: "invalid path `\(text)`", offset: start,
                hint: "a path is names of letters, digits, `_` and `-` joined by single dots, e.g. `location.id`")
        }
        return ExpressionToken(kind: .path(VariablePath(components)), offset: start, text: text)
    }
}

// MARK: - Parsing

/// Recursive descent over the tokens:
///
///     or         := and ("||" and)*
///     and        := comparison ("&&" comparison)*
///     comparison := unary (op unary | BETWEEN unary AND unary)?
///     unary      := "!" unary | primary
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
        while current.kind == .logicalOr {
            index += 1
            expression = .or(expression, try parseAnd())
        }
        return expression
    }

    private mutating func parseAnd() throws(ExpressionSyntaxError) -> ProgramExpression {
        var expression = try parseComparison()
        while current.kind == .logicalAnd {
            index += 1
            expression = .and(expression, try parseComparison())
        }
        return expression
    }

    private mutating func parseComparison() throws(ExpressionSyntaxError) -> ProgramExpression {
        let lhs = try parseUnary()
        switch current.kind {
        case .comparison(let op):
            index += 1
            return .comparison(op, lhs, try parseUnary())
        case .between:
            let between = current
            index += 1
            let low = try parseUnary()
            guard current.kind == .and else {
                throw ExpressionSyntaxError(
                    message: "`\(between.text)` without `AND`: expected `AND` after the low bound, found \(describe(current))",
                    offset: current.offset,
                    hint: "write `x BETWEEN low AND high`, e.g. `world_time BETWEEN 0 AND 21600`")
            }
            index += 1
            return .between(lhs, low: low, high: try parseUnary())
        default:
            return lhs
        }
    }

    private mutating func parseUnary() throws(ExpressionSyntaxError) -> ProgramExpression {
        if current.kind == .bang {
            try enter()
            defer { depth -= 1 }
            index += 1
            return .not(try parseUnary())
        }
        return try parsePrimary()
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
                hint: "complete the expression with a path, number, string, true, false or null")
        case .close:
            throw ExpressionSyntaxError(
                message: "expected a value before `)`", offset: token.offset,
                hint: "put a condition inside the parentheses, or remove them")
        case .comparison, .logicalAnd, .logicalOr, .between, .and:
            throw ExpressionSyntaxError(
                message: "missing value before `\(token.text)`", offset: token.offset,
                hint: "`\(token.text)` needs a value on each side, e.g. `affinity >= 50 && trust > 20`")
        case .bang:
            // parseUnary consumes every `!`; kept for exhaustiveness.
            throw unexpected(token, insideParentheses: false)
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
        case .and:
            message = "`\(token.text)` outside `BETWEEN`"
            hint = "join conditions with `&&`; `AND` only belongs in `x BETWEEN low AND high`"
        default:
            message = "unexpected \(describe(token))" + (insideParentheses ? " inside parentheses" : " after a complete expression")
            if case .path(let path) = token.kind, path.description.lowercased() == "or" {
                hint = "join alternatives with `||`"
            } else if case .path(let path)? = previous?.kind, path.description.lowercased() == "not" {
                hint = "negate with `!`, e.g. `!flags.met`"
            } else if insideParentheses {
                hint = "close the parenthesis with `)`, or join conditions with `&&` or `||`"
            } else {
                hint = "join conditions with `&&` or `||`"
            }
        }
        return ExpressionSyntaxError(message: message, offset: token.offset, hint: hint)
    }
}
