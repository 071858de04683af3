/// A Mustache template, parsed once per build: variables, sections, inverted sections, comments,
/// partials (with the indentation of a standalone partial), parents and blocks (`{{<layout}}`,
/// `{{$main}}`), set delimiters, `{{%CONTENT_TYPE:TEXT}}` and transforms (`{{#empty(list)}}`).
/// Whitespace follows the Mustache specification the way swift-mustache reads it, so themes written
/// for it render byte for byte the same.
public struct PageTemplate: Sendable {
    let nodes: [Node]

    public init(_ source: String) throws(PageTemplateError) {
        var parser = TemplateParser(source)
        nodes = try parser.parse(state: .init())
    }
}

public struct PageTemplateError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public let line: Int
    public let column: Int

    public var description: String { "line \(line), column \(column): \(message)" }
}

/// A name as written in a tag: `a.b` looked up through the context stack, `.a` only in the
/// current context, `.` the current context, and transforms applied innermost first.
struct TagName: Sendable, Equatable {
    let raw: String
    let path: [PageObject.Key]
    let transforms: [String]
    /// Worked out once, when the template is compiled: every page looks names up.
    let isCurrent: Bool
    /// `{{#first()}}` inside a list: the position in the list.
    let isSequenceContext: Bool
    let isAnchored: Bool

    /// A name without transforms (`a.b`).
    init(_ raw: String, transforms: [String] = []) {
        self.raw = raw
        path = raw.split(separator: ".").map { PageObject.Key(String($0)) }
        self.transforms = transforms
        isCurrent = raw == "."
        isSequenceContext = raw.isEmpty && !transforms.isEmpty
        isAnchored = raw.utf8.first == UInt8(ascii: ".")
    }
}

enum ContentType: Sendable {
    case html, text
}

indirect enum Node: Sendable {
    case text(String)
    case variable(TagName, escaped: Bool)
    case section(TagName, [Node], inverted: Bool)
    case blockDefinition(String, [Node])
    case blockExpansion(String, defaultNodes: [Node], indentation: String)
    case partial(String, dynamic: Bool, indentation: String?, overrides: [String: [Node]]?)
    case contentType(ContentType)
}

private struct ParserState {
    var sectionName: String?
    var sectionTransforms: [String] = []
    var newLine = true
    var inParentDefinition = false
    var atParentTopLevel = false
    var openDelimiter: [Character] = ["{", "{"]
    var closeDelimiter: [Character] = ["}", "}"]
    var parentIndent: Int?

    func enteringSection(_ name: String, newLine: Bool, transforms: [String] = []) -> ParserState {
        var state = self
        state.sectionName = name
        state.sectionTransforms = transforms
        state.atParentTopLevel = false
        if !newLine { state.newLine = false }
        return state
    }

    func enteringParent(_ name: String) -> ParserState {
        var state = self
        state.sectionName = name
        state.sectionTransforms = []
        state.newLine = true
        state.inParentDefinition = true
        state.atParentTopLevel = true
        return state
    }
}

private struct TemplateParser {
    let characters: [Character]
    var position = 0

    init(_ source: String) {
        characters = Array(source)
    }

    /// How many sections the parser is inside.
    var nesting = 0
    static let maximumNesting = 100

    var atEnd: Bool { position >= characters.count }
    var current: Character? { atEnd ? nil : characters[position] }

    func error(_ message: String) -> PageTemplateError {
        var line = 1, column = 1
        for character in characters[..<min(position, characters.count)] {
            if character.isNewline { line += 1; column = 1 } else { column += 1 }
        }
        return PageTemplateError(message: message, line: line, column: column)
    }

    @discardableResult
    mutating func skip(while predicate: (Character) -> Bool) -> String {
        let start = position
        while let character = current, predicate(character) { position += 1 }
        return String(characters[start..<position])
    }

    mutating func consume(_ expected: [Character]) -> Bool {
        guard position + expected.count <= characters.count,
              expected.indices.allSatisfy({ characters[position + $0] == expected[$0] }) else { return false }
        position += expected.count
        return true
    }

    static func spaceOrTab(_ character: Character) -> Bool { character == " " || character == "\t" }
    /// Names are letters, digits and `.-_?*` (with `()` for transforms, `/` in partial names).
    /// An ASCII character is tested by its byte; any other is looked up in the set, where a
    /// character equal to one of them (the Kelvin sign is K) is found, as Swift compares them.
    struct NameCharacters {
        let extra: StaticString
        let all: Set<Character>

        init(extra: StaticString) {
            self.extra = extra
            all = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-_?*" + extra.description)
        }

        func contains(_ character: Character) -> Bool {
            guard let byte = character.asciiValue, character.utf8.count == 1 else { return all.contains(character) }
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "?"), UInt8(ascii: "*"):
                return true
            default:
                return extra.withUTF8Buffer { $0.contains(byte) }
            }
        }
    }
    static let nameCharacters = NameCharacters(extra: "")
    static let nameCharactersWithBrackets = NameCharacters(extra: "()")
    static let partialNameCharacters = NameCharacters(extra: "()/")

    /// The nodes up to the end of the template, or up to the close tag of `state`'s section.
    mutating func parse(state initial: ParserState) throws(PageTemplateError) -> [Node] {
        // Sections inside sections: far beyond any theme, short of the stack's end (5,000 levels
        // crashed the build).
        nesting += 1
        defer { nesting -= 1 }
        guard nesting - 1 <= Self.maximumNesting else {  // the template itself is the first level
            throw error("sections and blocks are nested more than \(Self.maximumNesting) deep")
        }
        var nodes: [Node] = []
        var state = initial
        var whitespaceBefore = ""
        while !atEnd {
            if state.newLine {
                let whitespace = skip(while: Self.spaceOrTab)
                if state.inParentDefinition, !state.atParentTopLevel {
                    // Lines inside a block of a parent lose the indentation of its first line.
                    if let indent = state.parentIndent {
                        whitespaceBefore = String(whitespace.dropFirst(indent))
                    } else {
                        state.parentIndent = whitespace.count
                    }
                } else {
                    whitespaceBefore = whitespace
                }
            }
            let text = readText(state: state)
            if let character = current, character.isNewline {
                nodes.append(.text(whitespaceBefore + text + String(character)))
                state.newLine = true
                position += 1
                continue
            }
            if !text.isEmpty {
                nodes.append(.text(whitespaceBefore + text))
                whitespaceBefore = ""
                state.newLine = false
            }
            guard let sigil = current else { break }
            var standaloneLine = false
            func flushWhitespace() {
                if !whitespaceBefore.isEmpty {
                    nodes.append(.text(whitespaceBefore))
                    whitespaceBefore = ""
                }
            }
            switch sigil {
            case "#", "^":
                position += 1
                let name = try readName(state: state)
                if isStandalone(state) { standaloneLine = true } else { flushWhitespace() }
                let inner = try parse(state: state.enteringSection(name.raw, newLine: standaloneLine, transforms: name.transforms))
                nodes.append(.section(name, inner, inverted: sigil == "^"))
            case "/":
                position += 1
                let tagStart = position
                let name = try readName(state: state)
                guard name.raw == state.sectionName, name.transforms == state.sectionTransforms else {
                    position = tagStart
                    throw error(state.sectionName.map { "`{{/\(name.raw)}}` closes a section opened as `\($0)`" } ?? "`{{/\(name.raw)}}` closes no open section")
                }
                if !isStandalone(state) { flushWhitespace() }
                return nodes
            case "!":
                position += 1
                try skipComment(state: state)
                standaloneLine = isStandalone(state)
            case "{", "&":
                flushWhitespace()
                position += 1
                let name = try readName(state: state)
                if sigil == "{" {
                    guard consume(["}"]) else { throw error("`{{{` is not closed by `}}}`") }
                }
                nodes.append(.variable(name, escaped: false))
            case ">":
                position += 1
                skip(while: \.isWhitespace)
                let dynamic = consume(["*"])
                let name = try readPartialName(state: state)
                if !whitespaceBefore.isEmpty { nodes.append(.text(whitespaceBefore)) }
                if isStandalone(state) {
                    standaloneLine = true
                    nodes.append(.partial(name, dynamic: dynamic, indentation: whitespaceBefore, overrides: nil))
                } else {
                    nodes.append(.partial(name, dynamic: dynamic, indentation: nil, overrides: nil))
                }
                whitespaceBefore = ""
            case "<":
                position += 1
                skip(while: \.isWhitespace)
                let written = try readPartialName(state: state)
                let dynamic = written.first == "*"
                if !whitespaceBefore.isEmpty { nodes.append(.text(whitespaceBefore)) }
                if isStandalone(state) { standaloneLine = true }
                let inner = try parse(state: state.enteringParent(written))
                var overrides: [String: [Node]] = [:]
                for node in inner {
                    switch node {
                    case .blockDefinition(let block, let blockNodes): overrides[block] = blockNodes
                    case .text: break
                    default: throw error("only blocks (`{{$name}}`) and text may stand inside `{{<\(written)}}`")
                    }
                }
                nodes.append(.partial(dynamic ? String(written.dropFirst()) : written, dynamic: dynamic,
                                      indentation: whitespaceBefore, overrides: overrides))
                whitespaceBefore = ""
            case "$":
                position += 1
                let name = try readName(state: state)
                guard name.transforms.isEmpty else { throw error("a block (`{{$\(name.raw)}}`) takes no transform") }
                if state.atParentTopLevel {
                    if isStandalone(state) { standaloneLine = true }
                    let inner = try parse(state: state.enteringSection(name.raw, newLine: standaloneLine))
                    nodes.append(.blockDefinition(name.raw, inner))
                } else {
                    if !whitespaceBefore.isEmpty { nodes.append(.text(whitespaceBefore)) }
                    if isStandalone(state) { standaloneLine = true }
                    let inner = try parse(state: state.enteringSection(name.raw, newLine: standaloneLine))
                    nodes.append(.blockExpansion(name.raw, defaultNodes: inner, indentation: whitespaceBefore))
                    whitespaceBefore = ""
                }
            case "=":
                position += 1
                try setDelimiters(&state)
                standaloneLine = isStandalone(state)
            case "%":
                position += 1
                nodes.append(.contentType(try readContentType(state: state)))
                standaloneLine = isStandalone(state)
            default:
                flushWhitespace()
                nodes.append(.variable(try readName(state: state), escaped: true))
            }
            state.newLine = standaloneLine
        }
        if let open = state.sectionName { throw error("`{{#\(open)}}` is never closed") }
        return nodes
    }

    /// Text up to the next line break (not consumed) or open delimiter (consumed).
    mutating func readText(state: ParserState) -> String {
        let open = state.openDelimiter
        // Characters are compared only when their first scalar could make them equal.
        let openScalar = open[0].unicodeScalars.first?.value
        var text = ""
        while let character = current {
            let scalar = character.unicodeScalars.first?.value
            if scalar == 0x0A || scalar == 0x0D, character == "\n" || character == "\r\n" { break }
            if scalar == openScalar, character == open[0], consume(open) { break }
            text.append(character)
            position += 1
        }
        return text
    }

    /// Whether the tag just read stands alone on its line; if so the rest of the line is skipped.
    mutating func isStandalone(_ state: ParserState) -> Bool {
        guard state.newLine else { return false }
        if atEnd { return true }
        var probe = position
        while probe < characters.count, Self.spaceOrTab(characters[probe]) { probe += 1 }
        guard probe < characters.count, characters[probe].isNewline else { return false }
        position = probe + 1
        return true
    }

    mutating func readName(state: ParserState) throws(PageTemplateError) -> TagName {
        skip(while: \.isWhitespace)
        let text = skip(while: { Self.nameCharactersWithBrackets.contains($0) })
        skip(while: \.isWhitespace)
        guard consume(state.closeDelimiter) else { throw error("tag `\(text)` is not closed by `\(String(state.closeDelimiter))`") }
        // `a(b(c))`: transforms a and b applied to c (b first).
        guard text.contains(where: { $0 == "(" || $0 == ")" }) else {
            return TagName(text)
        }
        var transforms: [String] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "(") {
            let transform = rest[..<open]
            guard transform.allSatisfy({ Self.nameCharacters.contains($0) }) else { throw error("`\(text)` is not a name or a transform") }
            transforms.append(String(transform))
            rest = rest[rest.index(after: open)...]
        }
        let argument = rest.prefix { Self.nameCharacters.contains($0) }
        let closing = rest.dropFirst(argument.count)
        guard !transforms.isEmpty, closing.count == transforms.count, closing.allSatisfy({ $0 == ")" }) else {
            throw error("`\(text)` has unbalanced brackets")
        }
        return TagName(String(argument), transforms: transforms)
    }

    mutating func readPartialName(state: ParserState) throws(PageTemplateError) -> String {
        skip(while: \.isWhitespace)
        let text = skip(while: { Self.partialNameCharacters.contains($0) })
        skip(while: \.isWhitespace)
        guard consume(state.closeDelimiter) else { throw error("partial `\(text)` is not closed by `\(String(state.closeDelimiter))`") }
        return text
    }

    mutating func skipComment(state: ParserState) throws(PageTemplateError) {
        let close = state.closeDelimiter
        while !atEnd {
            if consume(close) { return }
            position += 1
        }
        throw error("comment is not closed by `\(String(close))`")
    }

    mutating func setDelimiters(_ state: inout ParserState) throws(PageTemplateError) {
        skip(while: \.isWhitespace)
        let open = skip(while: { !$0.isWhitespace })
        skip(while: \.isWhitespace)
        let close = skip(while: { $0 != "=" && !$0.isWhitespace })
        skip(while: \.isWhitespace)
        guard !open.isEmpty, !close.isEmpty, consume(["="]), consume(state.closeDelimiter) else {
            throw error("set delimiters as `{{=<% %>=}}`")
        }
        state.openDelimiter = Array(open)
        state.closeDelimiter = Array(close)
        state.atParentTopLevel = false
    }

    mutating func readContentType(state: ParserState) throws(PageTemplateError) -> ContentType {
        skip(while: \.isWhitespace)
        let variable = skip(while: { Self.nameCharacters.contains($0) })
        skip(while: \.isWhitespace)
        guard consume([":"]) else { throw error("write `{{%CONTENT_TYPE:TEXT}}` or `{{%CONTENT_TYPE:HTML}}`") }
        skip(while: \.isWhitespace)
        let value = skip(while: { Self.nameCharacters.contains($0) })
        skip(while: \.isWhitespace)
        guard consume(state.closeDelimiter), variable == "CONTENT_TYPE" else {
            throw error("write `{{%CONTENT_TYPE:TEXT}}` or `{{%CONTENT_TYPE:HTML}}`")
        }
        switch value {
        case "HTML": return .html
        case "TEXT": return .text
        default: throw error("unknown content type `\(value)` (HTML or TEXT)")
        }
    }
}
