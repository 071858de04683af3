import Diagnostics

/// The shape nearly every front matter and content file has, read straight from its bytes:
/// block mappings and sequences (a sequence item may start a mapping, `- name: x`) whose values
/// are one-line plain or simply quoted scalars, or one-line flow collections
/// (`{ type: string, values: [a, b] }`). Reading it this way costs a fraction of libyaml's
/// events and `YAMLComposer`'s nodes, and it was half of loading a catalog.
///
/// Anything else returns nil and goes to `YAMLComposer` (then Yams), so every other reading and
/// every diagnostic still comes from one place: a value on more than one line, a block scalar
/// (`|`, `>`), an empty value, a comment after a value, an escape in double quotes, a quoted key,
/// an anchor, alias, tag or directive, a repeated key, a merge key, a tab, a `\r`, a control or
/// byte-order-mark character, deep nesting, or anything YAML would refuse. The tests compare
/// both readings, locations included, on generated documents in and around this shape.
enum PlainYAML {
    /// The document's root, or nil when `YAMLComposer` must read it.
    static func parse(_ text: String, file: String, lineOffset: Int, budget: Int) -> SourceNode? {
        var text = text
        return text.withUTF8 { bytes in
            guard !bytes.isEmpty, Scan.acceptable(bytes) else { return nil }
            var reader = Reader(bytes: bytes, file: file, lineOffset: lineOffset, budget: budget, json: YAMLReader.isJSON(file))
            return try? reader.document()
        }
    }

    /// Why `YAMLComposer` must read the document instead.
    private struct Declined: Error {}

    private enum Scan {
        /// No byte the fast reading leaves to libyaml: tabs, `\r`, other control characters, C1
        /// controls (U+0080–U+009F, NEL among them), the line and paragraph separators U+2028 and
        /// U+2029, U+FEFF and U+FFFE/U+FFFF (libyaml refuses them or reads them as line breaks).
        static func acceptable(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            var index = 0
            let count = bytes.count
            while index < count {
                let byte = bytes[index]
                if byte < 0x20 {
                    if byte != 0x0A { return false }
                } else if byte == 0x7F {
                    return false
                } else if byte == 0xC2 {
                    if index + 1 < count, bytes[index + 1] >= 0x80, bytes[index + 1] <= 0x9F { return false }
                } else if byte == 0xEF, index + 2 < count {
                    if bytes[index + 1] == 0xBB, bytes[index + 2] == 0xBF { return false }
                    if bytes[index + 1] == 0xBF, bytes[index + 2] >= 0xBE { return false }
                } else if byte == 0xE2, index + 2 < count, bytes[index + 1] == 0x80, bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9 {
                    // U+2028 and U+2029 are line breaks to YAML 1.1.
                    return false
                }
                index += 1
            }
            return true
        }
    }

    /// One line of the document: where its text starts and ends, and its indentation.
    private struct Line {
        let start: Int
        let end: Int
        /// Spaces before the first other byte; nil for a blank or comment-only line.
        let indent: Int?
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        let file: String
        let lineOffset: Int
        var budget: Int
        let json: Bool
        var lines: [Line] = []
        /// The next line to read.
        var current = 0
        var depth = 0
        /// Bytes from a key's start to its colon: libyaml refuses an implicit key of 1,024
        /// characters or more (fewer bytes than that are fewer characters).
        static let longestKey = 1_000

        init(bytes: UnsafeBufferPointer<UInt8>, file: String, lineOffset: Int, budget: Int, json: Bool) {
            self.bytes = bytes
            self.file = file
            self.lineOffset = lineOffset
            self.budget = budget
            self.json = json
            var start = 0
            lines.reserveCapacity(32)
            while start <= bytes.count {
                var end = start
                while end < bytes.count, bytes[end] != 0x0A { end += 1 }
                var first = start
                while first < end, bytes[first] == UInt8(ascii: " ") { first += 1 }
                let blank = first == end || bytes[first] == UInt8(ascii: "#")
                lines.append(Line(start: start, end: end, indent: blank ? nil : first - start))
                start = end + 1
            }
        }

        mutating func document() throws(Declined) -> SourceNode {
            skipBlankLines()
            guard current < lines.count, let indent = lines[current].indent else { throw Declined() }
            // A document marker, a directive: libyaml's to read.
            let first = lines[current].start + indent
            if indent == 0, startsMarker(at: first) { throw Declined() }
            let root = try blockNode(line: current, column: indent)
            skipBlankLines()
            guard current == lines.count else { throw Declined() }
            return root
        }

        private func startsMarker(at position: Int) -> Bool {
            let byte = bytes[position]
            if byte == UInt8(ascii: "%") { return true }
            guard position + 2 < bytes.count, byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") else { return false }
            return bytes[position + 1] == byte && bytes[position + 2] == byte
        }

        private mutating func skipBlankLines() {
            while current < lines.count, lines[current].indent == nil { current += 1 }
        }

        /// The indentation of the next line that is not blank (nil at the end).
        private mutating func nextIndent() -> Int? {
            skipBlankLines()
            return current < lines.count ? lines[current].indent : nil
        }

        private mutating func spend() throws(Declined) {
            budget -= 1
            guard budget >= 0 else { throw Declined() }
        }

        /// The column last counted: nodes are met in the order of the text, so each count goes on
        /// from the last one on the same line (counting from the line's start for every node of a
        /// long one-line flow list was quadratic: 40,000 tags took 3.5 s).
        private var counted = (line: -1, position: 0, column: 1)

        private mutating func location(line: Int, at position: Int) -> SourceLocation {
            // libyaml counts columns in characters: UTF-8 continuation bytes do not count.
            var (index, column) = counted.line == line && counted.position <= position ? (counted.position, counted.column) : (lines[line].start, 1)
            while index < position {
                if bytes[index] & 0xC0 != 0x80 { column += 1 }
                index += 1
            }
            counted = (line, position, column)
            return SourceLocation(file: file, line: line + 1 + lineOffset, column: column)
        }

        /// A block mapping or sequence starting at `column` of `line` (the current line).
        private mutating func blockNode(line: Int, column: Int) throws(Declined) -> SourceNode {
            let position = lines[line].start + column
            if isEntry(at: position, end: lines[line].end) { return try blockSequence(column: column) }
            return try blockMapping(column: column, firstLine: line, firstPosition: position)
        }

        /// `-` followed by a space or the end of the line: a block sequence entry.
        private func isEntry(at position: Int, end: Int) -> Bool {
            bytes[position] == UInt8(ascii: "-") && (position + 1 == end || bytes[position + 1] == UInt8(ascii: " "))
        }

        /// Entries at `column`, from the current line on.
        private mutating func blockSequence(column: Int) throws(Declined) -> SourceNode {
            try enter()
            defer { depth -= 1 }
            try spend()
            let firstLine = current
            let location = location(line: firstLine, at: lines[firstLine].start + column)
            var items: [SourceNode] = []
            while let indent = nextIndent(), indent == column {
                let line = lines[current]
                let dash = line.start + column
                guard isEntry(at: dash, end: line.end) else { break }
                var start = dash + 1
                while start < line.end, bytes[start] == UInt8(ascii: " ") { start += 1 }
                if start == line.end {
                    // `-` alone: the item is the block below it (an empty item is libyaml's).
                    current += 1
                    guard let inner = nextIndent(), inner > column else { throw Declined() }
                    items.append(try blockNode(line: current, column: inner))
                    continue
                }
                let itemLine = current
                if let key = keyEnd(from: start, to: line.end) {
                    // `- key: value`: a mapping whose first key is on the entry's line.
                    items.append(try blockMapping(column: start - line.start, firstLine: itemLine, firstPosition: start, firstKeyEnd: key))
                } else {
                    items.append(try inlineValue(line: itemLine, from: start))
                    current += 1
                    if let next = nextIndent(), next > column { throw Declined() }
                }
            }
            if let indent = nextIndent(), indent > column { throw Declined() }
            return SourceNode(.sequence(items), at: location)
        }

        /// Where the key of a `key: value` (or `key:`) line ends (its colon), when the text from
        /// `start` is one with a plain key.
        private func keyEnd(from start: Int, to end: Int) -> Int? {
            guard plainCanStart(at: start, end: end, flow: false) else { return nil }
            var index = start
            while index < end {
                let byte = bytes[index]
                if byte == UInt8(ascii: ":"), index + 1 == end || bytes[index + 1] == UInt8(ascii: " ") { return index }
                // A comment sign in a key (` #` ends the line's text; `a#b` is part of it): libyaml's.
                if byte == UInt8(ascii: "#") { return nil }
                index += 1
            }
            return nil
        }

        /// Whether `name` is among the keys so far (by `String` equality, as `YAMLComposer` compares
        /// them); past a few keys, through `index`.
        private func repeated(_ name: String, in members: [SourceNode.Member], index: inout Set<String>) -> Bool {
            if members.count < 16 { return members.contains { $0.key == name } }
            if index.isEmpty { index = Set(members.map(\.key)) }
            return !index.insert(name).inserted
        }

        /// Keys at `column`: the first at `firstPosition` of `firstLine` (the current line).
        private mutating func blockMapping(column: Int, firstLine: Int, firstPosition: Int, firstKeyEnd: Int? = nil) throws(Declined) -> SourceNode {
            try enter()
            defer { depth -= 1 }
            try spend()
            let location = location(line: firstLine, at: firstPosition)
            var members: [SourceNode.Member] = []
            var seen = Set<String>()
            var keyStart = firstPosition
            var colon = firstKeyEnd
            while true {
                let lineIndex = current
                let line = lines[lineIndex]
                // libyaml gives up on an implicit key of 1,024 characters or more.
                guard let found = colon ?? keyEnd(from: keyStart, to: line.end), found - keyStart < Self.longestKey else { throw Declined() }
                let key = try plainScalar(line: lineIndex, from: keyStart, to: found)
                guard let name = key.scalarText, name != "<<", !repeated(name, in: members, index: &seen) else { throw Declined() }
                var start = found + 1
                while start < line.end, bytes[start] == UInt8(ascii: " ") { start += 1 }
                let value: SourceNode
                if start == line.end {
                    // `key:` alone: the block below it, deeper, or a sequence at the key's own column.
                    current += 1
                    guard let inner = nextIndent() else { throw Declined() }
                    let innerPosition = lines[current].start + inner
                    if inner > column {
                        value = try blockNode(line: current, column: inner)
                    } else if inner == column, isEntry(at: innerPosition, end: lines[current].end) {
                        value = try blockSequence(column: column)
                    } else {
                        throw Declined()
                    }
                } else {
                    value = try inlineValue(line: lineIndex, from: start)
                    current += 1
                    if let next = nextIndent(), next > column { throw Declined() }
                }
                members.append(SourceNode.Member(key: name, keyLocation: key.location, value: value, keyIsString: key.string != nil))
                guard let indent = nextIndent(), indent == column else { break }
                let next = lines[current]
                keyStart = next.start + column
                // A sequence entry where a key belongs ends the mapping (an indentless sequence's parent takes it).
                if isEntry(at: keyStart, end: next.end) { break }
                colon = nil
            }
            if let indent = nextIndent(), indent > column { throw Declined() }
            return SourceNode(.mapping(members), at: location)
        }

        private mutating func enter() throws(Declined) {
            depth += 1
            guard depth < 60 else { throw Declined() }
        }

        /// The value after `key: ` or `- `, which must end its line.
        private mutating func inlineValue(line: Int, from start: Int) throws(Declined) -> SourceNode {
            let end = lines[line].end
            var position = start
            let value: SourceNode
            switch bytes[start] {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                value = try flowNode(line: line, at: &position, end: end)
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                value = try quoted(line: line, at: &position, end: end)
            default:
                guard plainCanStart(at: start, end: end, flow: false) else { throw Declined() }
                var last = end
                while last > start, bytes[last - 1] == UInt8(ascii: " ") { last -= 1 }
                // `a: b: c`, a comment, or a value ending in `:` are libyaml's to read (or refuse).
                var index = start
                while index < last {
                    let byte = bytes[index]
                    if byte == UInt8(ascii: "#") { throw Declined() }
                    if byte == UInt8(ascii: ":"), index + 1 == last || bytes[index + 1] == UInt8(ascii: " ") { throw Declined() }
                    index += 1
                }
                return try plainScalar(line: line, from: start, to: last)
            }
            while position < end, bytes[position] == UInt8(ascii: " ") { position += 1 }
            guard position == end else { throw Declined() }
            return value
        }

        /// Whether a plain scalar may start at `position`: not with an indicator (`-`, `?` and `:`
        /// only before a non-space; `-` never where it could start a document marker).
        private func plainCanStart(at position: Int, end: Int, flow: Bool) -> Bool {
            guard position < end else { return false }
            switch bytes[position] {
            case UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "#"),
                 UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "|"), UInt8(ascii: ">"), UInt8(ascii: "'"),
                 UInt8(ascii: "\""), UInt8(ascii: "%"), UInt8(ascii: "@"), UInt8(ascii: "`"), UInt8(ascii: "?"), UInt8(ascii: ":"):
                return false
            case UInt8(ascii: "-"):
                guard position + 1 < end else { return false }
                let next = bytes[position + 1]
                return next != UInt8(ascii: " ") && next != UInt8(ascii: "-") && !(flow && isFlowIndicator(next))
            default:
                return true
            }
        }

        private func isFlowIndicator(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: ",") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "]") || byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}")
        }

        private mutating func plainScalar(line: Int, from start: Int, to end: Int) throws(Declined) -> SourceNode {
            try spend()
            var last = end
            while last > start, bytes[last - 1] == UInt8(ascii: " ") { last -= 1 }
            guard last > start else { throw Declined() }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<last]), as: UTF8.self)
            // A merge or value indicator where a value belongs.
            guard text != "<<", text != "=" else { throw Declined() }
            return SourceNode(.scalar(YAMLReader.resolvePlain(text, json: json), text: text), at: location(line: line, at: start))
        }

        /// A quoted scalar on one line: single quotes with `''` for a quote, or double quotes without escapes.
        private mutating func quoted(line: Int, at position: inout Int, end: Int) throws(Declined) -> SourceNode {
            try spend()
            let start = position
            let quote = bytes[start]
            var text: [UInt8] = []
            var index = start + 1
            while true {
                guard index < end else { throw Declined() }
                let byte = bytes[index]
                if byte == quote {
                    if quote == UInt8(ascii: "'"), index + 1 < end, bytes[index + 1] == quote {
                        text.append(quote)
                        index += 2
                        continue
                    }
                    break
                }
                if quote == UInt8(ascii: "\""), byte == UInt8(ascii: "\\") { throw Declined() }
                text.append(byte)
                index += 1
            }
            position = index + 1
            let value = String(decoding: text, as: UTF8.self)
            return SourceNode(.scalar(.string(value), text: value), at: location(line: line, at: start))
        }

        /// A flow mapping, flow sequence or scalar inside a one-line flow collection.
        private mutating func flowNode(line: Int, at position: inout Int, end: Int) throws(Declined) -> SourceNode {
            skipSpaces(&position, end)
            guard position < end else { throw Declined() }
            switch bytes[position] {
            case UInt8(ascii: "{"):
                try enter()
                defer { depth -= 1 }
                try spend()
                let location = location(line: line, at: position)
                position += 1
                var members: [SourceNode.Member] = []
                var seen = Set<String>()
                skipSpaces(&position, end)
                if position < end, bytes[position] == UInt8(ascii: "}") {
                    position += 1
                    return SourceNode(.mapping([]), at: location)
                }
                while true {
                    skipSpaces(&position, end)
                    guard position < end, plainCanStart(at: position, end: end, flow: true) else { throw Declined() }
                    let keyStart = position
                    let (keyEnd, stop) = flowPlainEnd(from: position, end: end)
                    guard stop - keyStart < Self.longestKey else { throw Declined() }
                    position = stop
                    // `key: value`: the colon right after the key (and its spaces), then a space.
                    skipSpaces(&position, end)
                    guard position + 1 < end, bytes[position] == UInt8(ascii: ":"), bytes[position + 1] == UInt8(ascii: " ") else { throw Declined() }
                    let key = try plainScalar(line: line, from: keyStart, to: keyEnd)
                    guard let name = key.scalarText, name != "<<", !repeated(name, in: members, index: &seen) else { throw Declined() }
                    position += 2
                    let value = try flowNode(line: line, at: &position, end: end)
                    members.append(SourceNode.Member(key: name, keyLocation: key.location, value: value, keyIsString: key.string != nil))
                    if try entryEnds(collection: UInt8(ascii: "}"), at: &position, end: end) { return SourceNode(.mapping(members), at: location) }
                }
            case UInt8(ascii: "["):
                try enter()
                defer { depth -= 1 }
                try spend()
                let location = location(line: line, at: position)
                position += 1
                var items: [SourceNode] = []
                skipSpaces(&position, end)
                if position < end, bytes[position] == UInt8(ascii: "]") {
                    position += 1
                    return SourceNode(.sequence([]), at: location)
                }
                while true {
                    items.append(try flowNode(line: line, at: &position, end: end))
                    if try entryEnds(collection: UInt8(ascii: "]"), at: &position, end: end) { return SourceNode(.sequence(items), at: location) }
                }
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                return try quoted(line: line, at: &position, end: end)
            default:
                guard plainCanStart(at: position, end: end, flow: true) else { throw Declined() }
                let start = position
                let (last, stop) = flowPlainEnd(from: position, end: end)
                // A colon inside or after a flow scalar (`a:b`, `12:30`, `a : b`) is read differently
                // by YAML versions: libyaml's.
                if stop < end, bytes[stop] == UInt8(ascii: ":") { throw Declined() }
                position = stop
                return try plainScalar(line: line, from: start, to: last)
            }
        }

        /// Where a plain scalar in a flow collection ends (`last`, without its trailing spaces) and
        /// where its scan stopped (`stop`: a flow indicator, a colon or the line's end). A comment
        /// sign inside it is libyaml's: `last` is then `start`, which no caller accepts.
        private func flowPlainEnd(from start: Int, end: Int) -> (last: Int, stop: Int) {
            var index = start
            while index < end {
                let byte = bytes[index]
                if isFlowIndicator(byte) || byte == UInt8(ascii: ":") { break }
                if byte == UInt8(ascii: "#") { return (start, index) }
                index += 1
            }
            var last = index
            while last > start, bytes[last - 1] == UInt8(ascii: " ") { last -= 1 }
            return (last, index)
        }

        /// After an entry of a flow collection: true past its closing bracket, false past a comma
        /// (another entry follows); anything else is libyaml's.
        private func entryEnds(collection closing: UInt8, at position: inout Int, end: Int) throws(Declined) -> Bool {
            skipSpaces(&position, end)
            guard position < end else { throw Declined() }
            let byte = bytes[position]
            guard byte == closing || byte == UInt8(ascii: ",") else { throw Declined() }
            position += 1
            return byte == closing
        }

        private func skipSpaces(_ position: inout Int, _ end: Int) {
            while position < end, bytes[position] == UInt8(ascii: " ") { position += 1 }
        }
    }
}
