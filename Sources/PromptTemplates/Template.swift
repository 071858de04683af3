/// A 1-based line and column inside a template's text (columns count `Character`s).
public struct TemplatePosition: Hashable, Sendable, Comparable {
    public let line: Int
    public let column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (lhs: TemplatePosition, rhs: TemplatePosition) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
}

/// A name or dotted path such as `lead` or `npc.personality.traits`.
public struct VariablePath: Hashable, Sendable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let components: [String]

    public init(_ components: [String]) { self.components = components }
    public init(_ dotted: String) {
        // Most paths are one name: not split (every declaration and example value is read through here).
        guard dotted.utf8.contains(UInt8(ascii: ".")) else {
            self.components = [dotted]
            return
        }
        self.components = dotted.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }
    public init(stringLiteral value: String) { self.init(value) }

    public var description: String { components.joined(separator: ".") }
    public var root: String { components.first ?? "" }
    public var isDotted: Bool { components.count > 1 }

    /// Whether a component may appear in a path: letters, digits, `_` and `-`,
    /// and the first component starts with a letter or `_`.
    public static func isValid(_ components: [String]) -> Bool {
        guard let first = components.first?.first, first.isLetter || first == "_" else { return false }
        return components.allSatisfy { component in
            // Every parsed reference is checked: ASCII names are checked by byte, without Character properties.
            if component.isSingleByteCharacters { return !component.isEmpty && component.utf8.allSatisfy(isASCIINameByte) }
            return !component.isEmpty && component.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
        }
    }

    /// A letter, digit, `_` or `-`: what `isLetter || isNumber` and the two marks accept among ASCII characters.
    private static func isASCIINameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "_"), UInt8(ascii: "-"): true
        default: false
        }
    }

    public static func < (lhs: VariablePath, rhs: VariablePath) -> Bool { lhs.description < rhs.description }
}

/// One `{{path}}` in a template, with where it starts.
public struct VariableReference: Hashable, Sendable {
    public let path: VariablePath
    public let position: TemplatePosition
    /// The reference as written, braces included (`{{ lead }}`).
    public let source: String

    public init(path: VariablePath, position: TemplatePosition, source: String) {
        self.path = path
        self.position = position
        self.source = source
    }
}

/// Which version of a family an include names: `{{> family}}` (the latest),
/// `{{> family@label}}` or `{{> family@N}}`.
public enum IncludeSelector: Hashable, Sendable, CustomStringConvertible {
    case latest
    case label(String)
    case number(Int)

    public var description: String {
        switch self {
        case .latest: "latest"
        case .label(let name): name
        case .number(let number): "\(number)"
        }
    }
}

/// One `{{> family@label}}` in a template, with where it starts.
public struct IncludeReference: Hashable, Sendable {
    public let family: String
    public let selector: IncludeSelector
    public let position: TemplatePosition
    /// The include as written, braces included (`{{> style@production}}`).
    public let source: String

    public init(family: String, selector: IncludeSelector, position: TemplatePosition, source: String) {
        self.family = family
        self.selector = selector
        self.position = position
        self.source = source
    }

    /// `family`, `family@label` or `family@N`.
    public var target: String {
        if case .latest = selector { return family }
        return "\(family)@\(selector)"
    }
}

/// A part of a parsed template: literal text, a variable reference or an include.
public enum TemplateSegment: Hashable, Sendable {
    case text(String)
    case variable(VariableReference)
    case include(IncludeReference)
}

/// Something in a template that is not `{{path}}`, `\{{` or plain text.
public struct TemplateSyntaxError: Hashable, Sendable, Error {
    public let message: String
    public let hint: String
    public let position: TemplatePosition

    public init(message: String, hint: String, position: TemplatePosition) {
        self.message = message
        self.hint = hint
        self.position = position
    }
}

/// A template parsed once into segments. Parsing never fails: problems are
/// collected in `errors` (the first `listedErrors` of them; `errorCount` counts all) and the
/// offending text is kept as literal text.
public struct Template: Hashable, Sendable {
    public let source: String
    public let segments: [TemplateSegment]
    /// The first syntax errors, at most `listedErrors` of a parsed template.
    public let errors: [TemplateSyntaxError]
    /// How many syntax errors the template has, `errors` and those past them.
    public let errorCount: Int

    /// How many syntax errors parsing keeps; the rest are only counted. `check` lists 100
    /// diagnostics of one code per file: 99 and one that counts the rest. Keeping every error
    /// held ~270 bytes per unclosed `{{` until the diagnostics were cut (a 16 MB file of `{{`
    /// asked for 2 GB and aborted).
    public static let listedErrors = 99

    public init(parsing source: String) {
        let parser = TemplateParser.parse(source)
        self.source = source
        self.segments = parser.segments
        self.errors = parser.errors
        self.errorCount = parser.errorCount
    }

    /// A template assembled from parts (a composed template: includes replaced by what they include).
    public init(source: String, segments: [TemplateSegment], errors: [TemplateSyntaxError], errorCount: Int? = nil) {
        self.source = source
        self.segments = segments
        self.errors = errors
        self.errorCount = max(errorCount ?? errors.count, errors.count)
    }

    /// The syntax errors past `errors`: counted, not kept.
    public var unlistedErrorCount: Int { errorCount - errors.count }

    /// Whether the template includes anything (asked for every version whenever its variables are gathered).
    public var hasIncludes: Bool {
        segments.contains { segment in
            if case .include = segment { return true }
            return false
        }
    }

    /// Every include in order of appearance.
    public var includes: [IncludeReference] {
        segments.compactMap { segment in
            if case .include(let reference) = segment { return reference }
            return nil
        }
    }

    /// Every variable reference in order of appearance.
    public var references: [VariableReference] {
        segments.compactMap { segment in
            if case .variable(let reference) = segment { return reference }
            return nil
        }
    }

    /// The distinct paths used, in order of first appearance.
    public var variablePaths: [VariablePath] {
        var seen = Set<VariablePath>()
        return references.map(\.path).filter { seen.insert($0).inserted }
    }

    /// The number of characters of literal text.
    public var literalLength: Int {
        segments.reduce(0) { total, segment in
            if case .text(let text) = segment { return total + text.characterCount }
            return total
        }
    }
}

/// One unit the parser steps over: a `Character`, or a byte where every byte is a `Character`
/// (ASCII text without `\r`, which would pair with `\n`). Lines are the file's lines (only `\n`
/// ends one: a vertical tab, a form feed or U+2028 put every later diagnostic lines too far), and
/// columns count code points, as libyaml's and the SARIF reports' do.
protocol TemplateUnit: Equatable {
    static var backslash: Self { get }
    static var openBrace: Self { get }
    static var closeBrace: Self { get }
    var endsLine: Bool { get }
    /// How many code points the unit is (its width in columns).
    var columns: Int { get }
    static func text(_ units: ArraySlice<Self>) -> String
}

extension Character: TemplateUnit {
    static var backslash: Character { "\\" }
    static var openBrace: Character { "{" }
    static var closeBrace: Character { "}" }
    /// `\n`, or `\r\n` (one Character).
    var endsLine: Bool { self == "\n" || self == "\r\n" }
    var columns: Int { unicodeScalars.count }
    static func text(_ units: ArraySlice<Character>) -> String { String(units) }
}

extension UInt8: TemplateUnit {
    static var backslash: UInt8 { UInt8(ascii: "\\") }
    static var openBrace: UInt8 { UInt8(ascii: "{") }
    static var closeBrace: UInt8 { UInt8(ascii: "}") }
    /// `\n` (`\r` never reaches the byte parser).
    var endsLine: Bool { self == 0x0A }
    var columns: Int { 1 }
    static func text(_ units: ArraySlice<UInt8>) -> String { String(decoding: units, as: UTF8.self) }
}

/// A single pass over the characters; tracks line and column for positions.
struct TemplateParser {
    private(set) var segments: [TemplateSegment] = []
    private(set) var errors: [TemplateSyntaxError] = []
    private(set) var errorCount = 0

    static func parse(_ source: String) -> TemplateParser {
        // Bytes are Characters when the text is ASCII without `\r` (the common case): no
        // grapheme breaking and no array of Characters.
        if source.isSingleByteCharacters {
            var pass = Pass(Array(source.utf8))
            pass.run()
            return TemplateParser(segments: pass.segments, errors: pass.errors, errorCount: pass.errorCount)
        }
        var pass = Pass(Array(source))
        pass.run()
        return TemplateParser(segments: pass.segments, errors: pass.errors, errorCount: pass.errorCount)
    }

    private struct Pass<Unit: TemplateUnit> {
        private let units: [Unit]
        private var index = 0
        private var line = 1
        private var column = 1
        private var literal = ""
        private(set) var segments: [TemplateSegment] = []
        private(set) var errors: [TemplateSyntaxError] = []
        private(set) var errorCount = 0

        init(_ units: [Unit]) { self.units = units }

        /// Keeps the first `Template.listedErrors` errors and counts the rest (the message is
        /// built only for the ones kept).
        private mutating func report(_ error: @autoclosure () -> TemplateSyntaxError) {
            errorCount += 1
            if errors.count < Template.listedErrors { errors.append(error()) }
        }

        mutating func run() {
            // Plain text is copied into `literal` a run at a time, not unit by unit.
            var plainStart = 0
            while index < units.count {
                if units[index] == .backslash, opensBraces(at: index + 1) {
                    literal += Unit.text(units[plainStart..<index]) + "{{"
                    advance(3)
                    plainStart = index
                } else if opensBraces(at: index) {
                    literal += Unit.text(units[plainStart..<index])
                    parseReference()
                    plainStart = index
                } else {
                    advance(1)
                    advanceOverPlainText()
                }
            }
            literal += Unit.text(units[plainStart..<index])
            flushLiteral()
        }

        private func opensBraces(at position: Int) -> Bool {
            position + 1 < units.count && units[position] == .openBrace && units[position + 1] == .openBrace
        }

        private func closesBraces(at position: Int) -> Bool {
            position + 1 < units.count && units[position] == .closeBrace && units[position + 1] == .closeBrace
        }

        /// Steps over units that cannot start an escape or a reference (neither `\\` nor `{`): each
        /// would take the loop's last branch anyway, and the run is most of a template.
        private mutating func advanceOverPlainText() {
            while index < units.count, units[index] != .backslash, units[index] != .openBrace { step() }
        }

        private mutating func advance(_ count: Int) {
            for _ in 0..<count where index < units.count { step() }
        }

        /// Moves past the current unit (there is one), keeping the line and column.
        private mutating func step() {
            if units[index].endsLine {
                line += 1
                column = 1
            } else {
                column += units[index].columns
            }
            index += 1
        }

        private mutating func flushLiteral() {
            guard !literal.isEmpty else { return }
            segments.append(.text(literal))
            literal = ""
        }

        private mutating func parseReference() {
            let start = TemplatePosition(line: line, column: column)
            guard let close = closingBraces(after: index + 2) else {
                report(TemplateSyntaxError(
                    message: "unterminated `{{`: no matching `}}`",
                    hint: "close the reference with `}}`, or write `\\{{` for literal braces",
                    position: start))
                literal += "{{"
                advance(2)
                return
            }
            let inner = Unit.text(units[(index + 2)..<close])
            let raw = "{{" + inner + "}}"
            let leading = inner.prefix { $0 == " " || $0 == "\t" }.count
            let innerStart = TemplatePosition(line: line, column: column + 2 + leading)
            let body = inner.trimmingSpaces()
            if body.first == ">" {
                parseInclude(body: String(body.dropFirst()).trimmingSpaces(), raw: raw, start: start, innerStart: innerStart)
            } else if let problem = TemplateParser.problem(with: body, raw: raw) {
                report(TemplateSyntaxError(message: problem.message, hint: problem.hint, position: body.isEmpty ? start : innerStart))
                literal += raw
            } else {
                flushLiteral()
                let path = VariablePath(body.split(separator: ".", omittingEmptySubsequences: false).map(String.init))
                segments.append(.variable(VariableReference(path: path, position: start, source: raw)))
            }
            advance(close + 2 - index)
        }

        /// `{{> family}}`, `{{> family@label}}`, `{{> family@N}}`; spaces are allowed around `>` and `@`.
        private mutating func parseInclude(body: String, raw: String, start: TemplatePosition, innerStart: TemplatePosition) {
            let parts = body.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map { String($0).trimmingSpaces() }
            let family = parts[0]
            let hint = "an include is `{{> family}}` (its latest version), `{{> family@label}}` or `{{> family@N}}`; write `\\{{>` for literal braces"
            guard !family.isEmpty, family.allSatisfy(TemplateParser.isNameCharacter) else {
                report(TemplateSyntaxError(message: family.isEmpty ? "include `\(raw)` names no family" : "invalid family name `\(family)` in `\(raw)`",
                                                  hint: hint, position: innerStart))
                literal += raw
                return
            }
            var selector = IncludeSelector.latest
            if parts.count == 2 {
                let name = parts[1]
                if let number = Int(name), number >= 1, name.allSatisfy(\.isASCII) {
                    selector = .number(number)
                } else if name == "latest" {
                    selector = .latest
                } else if !name.isEmpty, name.first!.isLetter, name.allSatisfy(TemplateParser.isNameCharacter) {
                    selector = .label(name)
                } else {
                    report(TemplateSyntaxError(message: name.isEmpty ? "include `\(raw)` has nothing after `@`" : "invalid version or label `\(name)` in `\(raw)`",
                                                      hint: hint, position: innerStart))
                    literal += raw
                    return
                }
            }
            flushLiteral()
            segments.append(.include(IncludeReference(family: family, selector: selector, position: start, source: raw)))
        }

        /// The index of the `}}` that closes the reference opened before `start`,
        /// or nil when the text ends, a line ends, or another `{{` opens first.
        private func closingBraces(after start: Int) -> Int? {
            var position = start
            while position < units.count {
                if closesBraces(at: position) { return position }
                if opensBraces(at: position) || units[position].endsLine { return nil }
                position += 1
            }
            return nil
        }
    }

    private static func isNameCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_" || character == "-" || character == "."
    }

    private static func problem(with body: String, raw: String) -> (message: String, hint: String)? {
        if body.isEmpty {
            return ("empty reference `\(raw)`", "put a variable name inside the braces, e.g. `{{lead}}`")
        }
        if let first = body.first, "#^/!&={".contains(first) {
            return ("unsupported syntax `\(raw)`: only `{{path}}` references are allowed",
                    "sections and comments are not part of the template language (includes are `{{> family}}`); write `\\{{` for literal braces")
        }
        let components = body.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if !VariablePath.isValid(components) {
            return ("invalid variable path `\(body)` in `\(raw)`",
                    "a path is a name or dotted names of letters, digits, `_` and `-`, e.g. `{{npc.name}}`")
        }
        return nil
    }
}

extension String {
    /// Whether every UTF-8 byte is a `Character`: ASCII without `\r` (which pairs with `\n`), the
    /// common case of templates, names and rendered previews. Scanned over the contiguous bytes
    /// without stopping early, which the compiler vectorizes.
    public var isSingleByteCharacters: Bool {
        let scanned = utf8.withContiguousStorageIfAvailable { bytes in
            var found: UInt8 = 0
            for byte in bytes { found |= (byte & 0x80) | (byte == 0x0D ? 0x80 : 0) }
            return found == 0
        }
        return scanned ?? utf8.allSatisfy { $0 < 0x80 && $0 != 0x0D }
    }

    /// `count` (in `Character`s), without grapheme breaking when every byte is a `Character`.
    public var characterCount: Int { isSingleByteCharacters ? utf8.count : count }

    func trimmingSpaces() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }
}
