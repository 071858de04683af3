import Diagnostics
import PromptTemplates

/// Reads a JSON document as Python's `json.load` does, which is how PixSim7 reads its programs
/// (`NarrativeEngine._load_program`): a leading byte-order mark is refused ("Unexpected UTF-8
/// BOM": an error, PixSim7 raises a JSONDecodeError; the rest is still read so the program shows what it can), `NaN`, `Infinity` and `-Infinity` are numbers, and a key repeated in an object keeps
/// its first place and its last value (a `json-duplicate-key` warning at the repeat). Errors use
/// Python's wording and point at the place Python names (columns count code points).
enum PythonJSON {
    /// Deepest nesting read: every later step walks the tree recursively.
    static let maximumDepth = 512

    /// The root node and the problems of a document that could be read (`diagnostics`: repeated
    /// keys, and the byte-order mark PixSim7 refuses), or the first syntax error.
    static func read(_ text: String, file: String, what: String) -> Result<(node: SourceNode, diagnostics: [Diagnostic]), Diagnostic> {
        var diagnostics: [Diagnostic] = []
        let marked = text.unicodeScalars.first == "\u{FEFF}"
        if marked {
            diagnostics.append(.error("json-syntax", "invalid JSON: Unexpected UTF-8 BOM (decode using utf-8-sig); PixSim7 raises a JSONDecodeError and loads no program",
                                      at: SourceLocation(file: file, line: 1, column: 1),
                                      hint: "save the file as UTF-8 without a byte-order mark: PixSim7's `json.load` refuses it"))
        }
        if text.unicodeScalars.dropFirst(marked ? 1 : 0).allSatisfy({ $0.properties.isWhitespace }) {
            return .failure(diagnostics.first ?? .error("invalid-field", "\(what) is empty", at: SourceLocation(file: file, line: 1, column: 1)))
        }
        // The mark counts as the first column of line 1, as Python counts it.
        var parser = Parser(bytes: Array(text.utf8), file: file)
        if marked { parser.position = 3 }
        do {
            let node = try parser.document()
            return .success((node, diagnostics + parser.repeats.warnings(file: file)))
        } catch {
            return .failure(.error("json-syntax", "invalid JSON: \(error.message)", at: parser.location(error.offset),
                                   hint: error.hint ?? "check for a missing comma, quote or bracket near this position"))
        }
    }

    struct Failure: Error {
        let message: String
        /// The byte offset Python's message names.
        let offset: Int
        var hint: String?
    }

    struct Parser {
        let bytes: [UInt8]
        let file: String
        var position = 0
        var repeats = RepeatedKeys(code: "json-duplicate-key")
        /// Where `location` last counted to: places are asked for in increasing order.
        private var counted = (offset: 0, line: 1, column: 1)

        init(bytes: [UInt8], file: String) {
            self.bytes = bytes
            self.file = file
        }

        /// The line and column (in code points, as Python counts) of a byte offset.
        mutating func location(_ offset: Int) -> SourceLocation {
            if offset < counted.offset { counted = (0, 1, 1) }
            var (current, line, column) = counted
            while current < offset, current < bytes.count {
                let byte = bytes[current]
                if byte == 0x0A {
                    line += 1
                    column = 1
                } else if byte & 0xC0 != 0x80 {
                    column += 1
                }
                current += 1
            }
            counted = (current, line, column)
            return SourceLocation(file: file, line: line, column: column)
        }

        /// An open object or array. Frames are changed in place on the stack: a frame taken off
        /// and put back would copy its members for every value added.
        private struct Frame {
            let start: SourceLocation
            let isObject: Bool
            var members: [SourceNode.Member] = []
            /// Each key's index in `members`, by code points (Python's `str` equality).
            var places: [CodePointKey: Int] = [:]
            var key: (text: String, location: SourceLocation)?
            var items: [SourceNode] = []
        }

        private var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

        /// JSON's whitespace, the only kind Python skips: space, tab, line feed, carriage return.
        private mutating func skipWhitespace() {
            while let byte = peek, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { position += 1 }
        }

        mutating func document() throws(Failure) -> SourceNode {
            var stack: [Frame] = []
            value: while true {
                skipWhitespace()
                var node: SourceNode
                switch peek {
                case UInt8(ascii: "{"):
                    let start = location(position)
                    position += 1
                    skipWhitespace()
                    if peek == UInt8(ascii: "}") {
                        position += 1
                        node = SourceNode(.mapping([]), at: start)
                    } else {
                        guard stack.count < maximumDepth else { throw tooDeep() }
                        stack.append(Frame(start: start, isObject: true, key: try memberKey()))
                        continue value
                    }
                case UInt8(ascii: "["):
                    let start = location(position)
                    position += 1
                    skipWhitespace()
                    if peek == UInt8(ascii: "]") {
                        position += 1
                        node = SourceNode(.sequence([]), at: start)
                    } else {
                        guard stack.count < maximumDepth else { throw tooDeep() }
                        stack.append(Frame(start: start, isObject: false))
                        continue value
                    }
                default:
                    node = try scalar()
                }
                // A value is complete: add it to the containers it closes.
                while !stack.isEmpty {
                    skipWhitespace()
                    let top = stack.count - 1
                    if stack[top].isObject, let key = stack[top].key {
                        let member = SourceNode.Member(key: key.text, keyLocation: key.location, value: node)
                        let name = CodePointKey(key.text)
                        if let earlier = stack[top].places[name] {
                            // Python's dict: the key keeps its first place and takes the last value.
                            repeats.add(.warning("json-duplicate-key",
                                                     "key `\(key.text)` is repeated in this object (first at line \(stack[top].members[earlier].keyLocation.line ?? 0)); PixSim7's `json.load` keeps this last value",
                                                     at: key.location, hint: "remove one of them: only the last is read"))
                            stack[top].members[earlier] = member
                        } else {
                            stack[top].places[name] = stack[top].members.count
                            stack[top].members.append(member)
                        }
                        if peek == UInt8(ascii: ",") {
                            position += 1
                            skipWhitespace()
                            stack[top].key = try memberKey()
                            continue value
                        }
                        guard peek == UInt8(ascii: "}") else { throw Failure(message: "Expecting ',' delimiter", offset: position) }
                        position += 1
                        let frame = stack.removeLast()
                        node = SourceNode(.mapping(frame.members), at: frame.start)
                    } else {
                        stack[top].items.append(node)
                        if peek == UInt8(ascii: ",") {
                            position += 1
                            continue value
                        }
                        guard peek == UInt8(ascii: "]") else { throw Failure(message: "Expecting ',' delimiter", offset: position) }
                        position += 1
                        let frame = stack.removeLast()
                        node = SourceNode(.sequence(frame.items), at: frame.start)
                    }
                }
                skipWhitespace()
                guard position == bytes.count else { throw Failure(message: "Extra data", offset: position) }
                return node
            }
        }

        private func tooDeep() -> Failure {
            Failure(message: "the document nests deeper than \(maximumDepth) levels", offset: position, hint: "flatten the structure")
        }

        /// A key, the `:` after it, and the whitespace before its value.
        private mutating func memberKey() throws(Failure) -> (text: String, location: SourceLocation) {
            guard peek == UInt8(ascii: "\"") else { throw Failure(message: "Expecting property name enclosed in double quotes", offset: position) }
            let start = location(position)
            let text = try string()
            skipWhitespace()
            guard peek == UInt8(ascii: ":") else { throw Failure(message: "Expecting ':' delimiter", offset: position) }
            position += 1
            return (text, start)
        }

        private mutating func literal(_ word: String) -> Bool {
            let expected = Array(word.utf8)
            guard position + expected.count <= bytes.count, bytes[position..<(position + expected.count)].elementsEqual(expected) else { return false }
            position += expected.count
            return true
        }

        private mutating func scalar() throws(Failure) -> SourceNode {
            let start = position
            let place = location(start)
            func node(_ value: ScalarValue) -> SourceNode {
                SourceNode(.scalar(value, text: String(decoding: bytes[start..<position], as: UTF8.self)), at: place)
            }
            switch peek {
            case UInt8(ascii: "\""):
                let text = try string()
                return SourceNode(.scalar(.string(text), text: text), at: place)
            case UInt8(ascii: "n") where literal("null"): return node(.null)
            case UInt8(ascii: "t") where literal("true"): return node(.bool(true))
            case UInt8(ascii: "f") where literal("false"): return node(.bool(false))
            case UInt8(ascii: "N") where literal("NaN"): return node(.double(.nan))
            case UInt8(ascii: "I") where literal("Infinity"): return node(.double(.infinity))
            case UInt8(ascii: "-") where literal("-Infinity"): return node(.double(-.infinity))
            default:
                guard let value = number() else { throw Failure(message: "Expecting value", offset: start) }
                return node(value)
            }
        }

        /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`: an int without fraction or exponent, else a float.
        private mutating func number() -> ScalarValue? {
            let start = position
            func isDigit(_ offset: Int) -> Bool { offset < bytes.count && bytes[offset] >= UInt8(ascii: "0") && bytes[offset] <= UInt8(ascii: "9") }
            var end = position
            if end < bytes.count, bytes[end] == UInt8(ascii: "-") { end += 1 }
            guard isDigit(end) else { return nil }
            if bytes[end] == UInt8(ascii: "0") { end += 1 } else { while isDigit(end) { end += 1 } }
            var isInteger = true
            if end < bytes.count, bytes[end] == UInt8(ascii: "."), isDigit(end + 1) {
                end += 1
                while isDigit(end) { end += 1 }
                isInteger = false
            }
            if end < bytes.count, bytes[end] == UInt8(ascii: "e") || bytes[end] == UInt8(ascii: "E") {
                var exponent = end + 1
                if exponent < bytes.count, bytes[exponent] == UInt8(ascii: "+") || bytes[exponent] == UInt8(ascii: "-") { exponent += 1 }
                if isDigit(exponent) {
                    while isDigit(exponent) { exponent += 1 }
                    end = exponent
                    isInteger = false
                }
            }
            position = end
            let text = String(decoding: bytes[start..<end], as: UTF8.self)
            if isInteger, let integer = Int(text) { return .int(integer) }
            // Python's float(): past the largest double is infinity. An int too large for 64 bits reads as a float.
            return Double(text).map { .double($0) }
        }

        /// A string at `position` (its opening quote): Python's `scanstring` with `strict=True`
        /// (no raw control characters; escapes `\" \\ \/ \b \f \n \r \t \uXXXX`).
        private mutating func string() throws(Failure) -> String {
            let quote = position
            position += 1
            var text: [UInt8] = []
            var chunk = position
            while true {
                guard position < bytes.count else { throw Failure(message: "Unterminated string starting at", offset: quote) }
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    text += bytes[chunk..<position]
                    position += 1
                    return String(decoding: text, as: UTF8.self)
                }
                if byte < 0x20 { throw Failure(message: "Invalid control character at", offset: position) }
                guard byte == UInt8(ascii: "\\") else { position += 1; continue }
                text += bytes[chunk..<position]
                let escape = position
                guard position + 1 < bytes.count else { throw Failure(message: "Unterminated string starting at", offset: quote) }
                position += 2
                switch bytes[escape + 1] {
                case UInt8(ascii: "\""): text.append(0x22)
                case UInt8(ascii: "\\"): text.append(0x5C)
                case UInt8(ascii: "/"): text.append(0x2F)
                case UInt8(ascii: "b"): text.append(0x08)
                case UInt8(ascii: "f"): text.append(0x0C)
                case UInt8(ascii: "n"): text.append(0x0A)
                case UInt8(ascii: "r"): text.append(0x0D)
                case UInt8(ascii: "t"): text.append(0x09)
                case UInt8(ascii: "u"):
                    guard var value = hex(at: position) else { throw Failure(message: "Invalid \\uXXXX escape", offset: escape + 1) }
                    position += 4
                    if (0xD800...0xDBFF).contains(value), position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                        guard let low = hex(at: position + 2) else { throw Failure(message: "Invalid \\uXXXX escape", offset: position + 1) }
                        if (0xDC00...0xDFFF).contains(low) {
                            value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                            position += 6
                        }
                    }
                    guard let scalar = Unicode.Scalar(value) else {
                        throw Failure(message: "a lone surrogate `\\u\(String(value, radix: 16))`, which Python keeps but promptsite cannot hold", offset: escape,
                                      hint: "write the character itself, or a surrogate pair")
                    }
                    text += Array(String(scalar).utf8)
                default:
                    throw Failure(message: "Invalid \\escape", offset: escape,
                                  hint: "JSON escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX")
                }
                chunk = position
            }
        }

        private func hex(at offset: Int) -> UInt32? {
            guard offset + 4 <= bytes.count else { return nil }
            var value: UInt32 = 0
            for byte in bytes[offset..<(offset + 4)] {
                guard let digit = hexDigit(byte) else { return nil }
                value = value << 4 | digit
            }
            return value
        }

        private func hexDigit(_ byte: UInt8) -> UInt32? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
            default: nil
            }
        }
    }
}
