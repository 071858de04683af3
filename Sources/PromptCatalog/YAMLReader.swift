import Diagnostics
import Foundation
import Yams

/// Parses YAML text into a `SourceNode` tree whose locations are lines of the file
/// (`lineOffset` is added for YAML that starts further down, such as front matter).
enum YAMLReader {
    static func parse(_ text: String, file: String, lineOffset: Int = 0) -> Result<SourceNode?, Diagnostic> {
        parse(text, file: file, lineOffset: lineOffset, lastKeyWins: false).result
    }

    /// `lastKeyWins`: a repeated key keeps its first place and its last value, as PyYAML's
    /// `safe_load` reads it (PixSim7's content packs), with a `yaml-duplicate-key` warning for each
    /// repeat. A document only Yams reads (an alias, a tag, a syntax error) still refuses it.
    static func parse(_ text: String, file: String, lineOffset: Int = 0, lastKeyWins: Bool) -> (result: Result<SourceNode?, Diagnostic>, warnings: [Diagnostic]) {
        let budget = nodeBudget(forBytes: text.utf8.count)
        // The common shape first (no repeated key, so `lastKeyWins` changes nothing), then libyaml's events, then Yams.
        if defaultIsUTF8, let plain = PlainYAML.parse(text, file: file, lineOffset: lineOffset, budget: budget) { return (.success(plain), []) }
        if defaultIsUTF8, let composed = YAMLComposer.compose(text, file: file, lineOffset: lineOffset, budget: budget,
                                                             lastKeyWins: lastKeyWins) {
            return (composed.result, composed.repeats)
        }
        return (parseWithYams(text, file: file, lineOffset: lineOffset), [])
    }

    /// Every document `YAMLComposer` leaves to Yams: errors, aliases, tags, complex keys.
    static func parseWithYams(_ text: String, file: String, lineOffset: Int = 0) -> Result<SourceNode?, Diagnostic> {
        do {
            // The basic resolver leaves every scalar a string; `resolve` types plain scalars
            // itself, much faster than Yams' regular-expression resolver.
            guard let node = try Yams.compose(yaml: text, plainResolver, .default, encoding) else { return .success(nil) }
            var conversion = Conversion(file: file, lineOffset: lineOffset, budget: aliasedBudget(forBytes: text.utf8.count))
            return .success(try conversion.convert(node))
        } catch let refusal as Refusal {
            return .failure(refusal.diagnostic)
        } catch let error as YamlError {
            if let duplicate = duplicateKey(in: error, text: text, file: file, lineOffset: lineOffset) { return .failure(duplicate) }
            return .failure(diagnostic(for: error, text: text, file: file, lineOffset: lineOffset))
        } catch {
            return .failure(.error("yaml-syntax", "cannot read YAML: \(error)", at: SourceLocation(file: file, line: lineOffset + 1, column: 1)))
        }
    }

    /// Marks every untagged plain scalar, so that `resolve` types it and an explicit `!!str` (or a
    /// quoted scalar, which Yams tags `str`) stays text, as PyYAML reads them.
    private static let plainTag = "!promptsite/plain"
    // The pattern matches every text (an empty pattern would be refused).
    private static let plainResolver = try! Resolver.basic.appending(Tag.Name(rawValue: plainTag), "^")

    /// Yams' default encoding, read once: asked per document, it copies the whole process
    /// environment each time (to look for `YAMS_DEFAULT_ENCODING`).
    private static let defaultIsUTF8 = Parser.Encoding.default == .utf8
    private static var encoding: Parser.Encoding { defaultIsUTF8 ? .utf8 : .utf16 }

    /// How many nodes a document of this size may expand to. Without aliases a document has
    /// at most about one node per byte; aliases may repeat a part a few times (`<<: *defaults`),
    /// but an alias bomb (each level naming the previous one nine times) is stopped here
    /// instead of filling the memory.
    static func nodeBudget(forBytes bytes: Int) -> Int { 10_000 + 8 * bytes }

    /// The budget of a document read through Yams (the only reader of aliases): as above, but
    /// never more than 2,000,000 values beyond one per two bytes (about 260 MB of nodes). Eight
    /// per byte let a 4 MB front matter of aliases expand to 31 million values and 4 GB.
    static func aliasedBudget(forBytes bytes: Int) -> Int { min(nodeBudget(forBytes: bytes), 2_000_000 + bytes / 2) }

    private struct Refusal: Error {
        let diagnostic: Diagnostic
    }

    /// Yams nodes to source nodes, counting every node made against the budget.
    private struct Conversion {
        let file: String
        let lineOffset: Int
        var budget: Int

        mutating func convert(_ node: Node) throws(Refusal) -> SourceNode {
            let location = location(of: node)
            budget -= 1
            if budget < 0 {
                throw Refusal(diagnostic: .error("yaml-syntax", "too many aliases: the document expands to more values than its size allows",
                                                 at: location, hint: "write the values out instead of nesting aliases (`*name`) of aliases"))
            }
            let tag = node.tag.description
            let plain = tag == YAMLReader.plainTag
            if !plain, case .scalar(let scalar) = node, let explicit = YAMLReader.explicitScalar(tag: tag, text: scalar.string) {
                guard let value = explicit.value else {
                    throw Refusal(diagnostic: .error("yaml-syntax", "`\(explicit.written) \(scalar.string)` is not \(explicit.expected), as PyYAML reads it",
                                                     at: location, hint: "write \(explicit.expected) after `\(explicit.written)`, or remove the tag"))
                }
                return SourceNode(.scalar(value, text: scalar.string), at: location)
            }
            if !plain, !YAMLReader.isPlainTag(tag) {
                let written = tag.hasPrefix("tag:yaml.org,2002:") ? "!!" + tag.dropFirst(18) : tag
                throw Refusal(diagnostic: .error("yaml-syntax", "YAML tag `\(written)` is not supported", at: location,
                                                 hint: "remove the tag; quote the value to keep it as text"))
            }
            switch node {
            case .scalar(let scalar):
                if plain, scalar.string == "<<" || scalar.string == "=" {
                    // PyYAML resolves these to its merge and value tags, which only a key may carry.
                    throw Refusal(diagnostic: .error("yaml-syntax", "`\(scalar.string)` alone is a YAML merge or value indicator, not a value",
                                                     at: location, hint: "quote it to keep it as text: \"\(scalar.string)\""))
                }
                let value: ScalarValue = plain ? resolvePlain(scalar.string, json: YAMLReader.isJSON(file)) : .string(scalar.string)
                return SourceNode(.scalar(value, text: scalar.string), at: location)
            case .mapping(let mapping):
                return SourceNode(.mapping(try members(of: mapping)), at: location)
            case .sequence(let sequence):
                var items: [SourceNode] = []
                items.reserveCapacity(sequence.count)
                for item in sequence { items.append(try convert(item)) }
                return SourceNode(.sequence(items), at: location)
            case .alias:
                return SourceNode(.scalar(.null, text: ""), at: location)
            }
        }

        /// Where a node starts in the file.
        private func location(of node: Node) -> SourceLocation {
            SourceLocation(file: file, line: node.mark.map { $0.line + lineOffset }, column: node.mark?.column)
        }

        /// A mapping's members as PyYAML builds its dict: merge keys (`<<: *base`, `<<: [*a, *b]`)
        /// bring in the members of the maps they name (an earlier map in a list wins), the
        /// mapping's own keys override them, and a key keeps the place where it first appeared.
        /// (libyaml, through Yams, already rejects a key written twice.)
        private mutating func members(of mapping: Node.Mapping) throws(Refusal) -> [SourceNode.Member] {
            var merged: [SourceNode.Member] = [], own: [SourceNode.Member] = []
            own.reserveCapacity(mapping.count)
            for (key, value) in mapping {
                let keyNode = try mappingKey(key)
                if key.tag.description == YAMLReader.plainTag, key.string == "<<" {
                    merged += try mergedMembers(value)
                } else {
                    own.append(SourceNode.Member(key: keyNode.scalarText ?? "", keyLocation: keyNode.location, value: try convert(value),
                                                 keyIsString: keyNode.string != nil))
                }
            }
            guard !merged.isEmpty else { return own }
            var position: [String: Int] = [:]
            var members: [SourceNode.Member] = []
            for member in merged + own {
                if let index = position[member.key] {
                    members[index] = SourceNode.Member(key: members[index].key, keyLocation: member.keyLocation, value: member.value,
                                                       keyIsString: members[index].keyIsString)
                } else {
                    position[member.key] = members.count
                    members.append(member)
                }
            }
            return members
        }

        /// A key: a scalar (a list or a map as a key is refused, as PyYAML refuses an unhashable key).
        private mutating func mappingKey(_ key: Node) throws(Refusal) -> SourceNode {
            guard case .scalar(let scalar) = key else {
                throw Refusal(diagnostic: .error("yaml-syntax", "a key must be a single value, not a \(key.mapping == nil ? "list" : "mapping")",
                                                 at: location(of: key),
                                                 hint: "write the key as text"))
            }
            budget -= 1
            let location = location(of: key)
            let tag = key.tag.description
            if tag != YAMLReader.plainTag, !YAMLReader.isPlainTag(tag) { return try convert(key) }
            return SourceNode(.scalar(.string(scalar.string), text: scalar.string), at: location)
        }

        /// What a merge key brings in: the members of a mapping, or of each mapping in a list.
        private mutating func mergedMembers(_ value: Node) throws(Refusal) -> [SourceNode.Member] {
            let location = location(of: value)
            let refusal = Refusal(diagnostic: .error("yaml-syntax", "a merge key (`<<`) takes a mapping or a list of mappings",
                                                     at: location, hint: "write `<<: *name` where `&name` marks a mapping"))
            switch value {
            case .mapping(let mapping):
                budget -= 1
                return try members(of: mapping)
            case .sequence(let sequence):
                var lists: [[SourceNode.Member]] = []
                for item in sequence {
                    guard case .mapping(let mapping) = item else { throw refusal }
                    budget -= 1
                    lists.append(try members(of: mapping))
                }
                return lists.reversed().flatMap { $0 }
            default:
                throw refusal
            }
        }
    }

    /// A scalar with an explicit standard tag (`!!int "3"`, `!!float 2`, `!!bool yes`, `!!null`), read
    /// as PyYAML's `safe_load` constructs it; `value` nil when it cannot be (PyYAML raises). Nil for
    /// any other tag.
    static func explicitScalar(tag: String, text: String) -> (value: ScalarValue?, written: String, expected: String)? {
        switch tag {
        case "tag:yaml.org,2002:int":
            return (pythonYAMLInt(text).map(ScalarValue.int), "!!int", "a whole number")
        case "tag:yaml.org,2002:float":
            // construct_yaml_float: `_` dropped, lowercased, a sign, `.inf`/`.nan`, base 60 (`1:30`), else Python's float().
            let cleaned = text.replacingOccurrences(of: "_", with: "").lowercased()
            let sign: Double = cleaned.hasPrefix("-") ? -1 : 1
            let unsigned = cleaned.hasPrefix("-") || cleaned.hasPrefix("+") ? String(cleaned.dropFirst()) : cleaned
            func pythonFloat(_ text: String) -> Double? {
                if ["inf", "infinity", "nan"].contains(text) { return Double(text) }
                guard text.allSatisfy({ $0.isASCII && ($0.isNumber || "e.+-".contains($0)) }) else { return nil }
                return Double(text)
            }
            let value: Double?
            if unsigned == ".inf" {
                value = sign * .infinity
            } else if unsigned == ".nan" {
                value = .nan
            } else if unsigned.contains(":") {
                // Each part a float, the parts read as base 60 (`1:30` is 90.0).
                let parts = unsigned.split(separator: ":", omittingEmptySubsequences: false).map { pythonFloat(String($0)) }
                value = parts.contains(nil) ? nil : sign * parts.reduce(0.0) { $0 * 60 + $1! }
            } else {
                value = pythonFloat(unsigned).map { sign * $0 }
            }
            return (value.map(ScalarValue.double), "!!float", "a number")
        case "tag:yaml.org,2002:bool":
            // construct_yaml_bool: yes/no/true/false/on/off, in any case.
            switch text.lowercased() {
            case "yes", "true", "on": return (.bool(true), "!!bool", "true or false")
            case "no", "false", "off": return (.bool(false), "!!bool", "true or false")
            default: return (nil, "!!bool", "true or false")
            }
        case "tag:yaml.org,2002:null":
            return (.null, "!!null", "null")
        default:
            return nil
        }
    }

    /// PyYAML's `construct_yaml_int`: `_` dropped, one sign, `0` / `0b` / `0x` / a leading `0` (Python's
    /// `int(v, 8)`, which takes `0o` too), `a:b` in base 60, else Python's `int()` (which trims
    /// whitespace). Nil where Python raises, or past 64 bits.
    static func pythonYAMLInt(_ text: String) -> Int? {
        var value = text.replacingOccurrences(of: "_", with: "")
        let sign = value.first == "-" ? -1 : 1
        if value.first == "+" || value.first == "-" { value.removeFirst() }
        if value == "0" { return 0 }
        let magnitude: Int?
        if value.hasPrefix("0b") {
            magnitude = pythonInt(String(value.dropFirst(2)), radix: 2)
        } else if value.hasPrefix("0x") {
            magnitude = pythonInt(String(value.dropFirst(2)), radix: 16)
        } else if value.first == "0" {
            magnitude = pythonInt(value, radix: 8)
        } else if value.contains(":") {
            var total = 0
            for part in value.split(separator: ":", omittingEmptySubsequences: false) {
                guard let digit = pythonInt(String(part), radix: 10) else { return nil }
                let (shifted, overflow) = total.multipliedReportingOverflow(by: 60)
                let (sum, overflowed) = shifted.addingReportingOverflow(digit)
                guard !overflow, !overflowed else { return nil }
                total = sum
            }
            magnitude = total
        } else {
            magnitude = pythonInt(value, radix: 10)
        }
        return magnitude.map { sign * $0 }
    }

    /// Python's `int(text, radix)` on ASCII digits: whitespace around, one sign, and the prefix of
    /// the radix (`0o`, `0x`, `0b`) allowed.
    private static func pythonInt(_ text: String, radix: Int) -> Int? {
        var digits = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines))
        var sign = 1
        if digits.first == "-" { sign = -1; digits = digits.dropFirst() } else if digits.first == "+" { digits = digits.dropFirst() }
        let prefix = radix == 8 ? "0o" : radix == 16 ? "0x" : radix == 2 ? "0b" : ""
        if !prefix.isEmpty, digits.lowercased().hasPrefix(prefix) { digits = digits.dropFirst(2) }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && ($0.isHexDigit) }), let magnitude = Int(digits, radix: radix) else { return nil }
        return sign * magnitude
    }

    /// The tags a document may carry: the ones every untagged value resolves to. (A `switch`
    /// compares bytes; a `Set` would hash the tag of every node.)
    static func isPlainTag(_ tag: String) -> Bool {
        switch tag {
        case "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map", "": true
        default: false
        }
    }

    /// YAML 1.1 core types of a plain (unquoted) scalar, as Yams' default resolver reads them:
    /// null, booleans (true/yes/on …), integers (decimal, 0x hex), floats (with a dot, .inf, .nan).
    /// Dates and everything else stay text.
    /// A `.json` file is read as JSON says: `1e3` is a number there (YAML 1.1 wants a dot).
    static func isJSON(_ file: String) -> Bool { file.hasSuffix(".json") }

    /// `json`: the file is JSON, whose every unquoted scalar is a number, `true`, `false` or
    /// `null`: a number with an exponent and no dot (`1e3`, `1e-05`, what Python's `json.dumps`
    /// writes) is a number too.
    static func resolvePlain(_ text: String, json: Bool) -> ScalarValue {
        let value = resolvePlain(text)
        if json, case .string = value, let number = jsonExponentNumber(text) { return .double(number) }
        return value
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?[eE][+-]?[0-9]+`, JSON's grammar for a number with an exponent.
    static func jsonExponentNumber(_ text: String) -> Double? {
        let bytes = Array(text.utf8)
        var index = 0
        func digits() -> Int {
            let start = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
            return index - start
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        let start = index
        guard digits() > 0, bytes[start] != UInt8(ascii: "0") || index - start == 1 else { return nil }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { return nil }
        }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") else { return nil }
        index += 1
        if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard digits() > 0, index == bytes.count else { return nil }
        return Double(text)
    }

    /// PyYAML's implicit resolver (YAML 1.1), which PixSim7 reads its packs with: ints in
    /// binary (`0b101`), octal (`010` is 8), decimal, hex and base 60 (`12:30` is 750); floats only
    /// with a dot, an exponent only with a sign (`1.5e+3`; `1.5e3` and `1e5` are text), base-60
    /// floats (`1:30.5`); `_` allowed between digits. A whole number past Int's range is a double.
    static func resolvePlain(_ text: String) -> ScalarValue {
        // Every named value is ASCII of at most 5 bytes: longer text is not compared with each.
        if text.utf8.count <= 5, let named = namedValue(text) { return named }
        guard let first = text.utf8.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
                || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) else { return .string(text) }
        return number(Array(text.utf8)) ?? .string(text)
    }

    private static func number(_ bytes: [UInt8]) -> ScalarValue? {
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        var body = bytes[...]
        var negative = false
        if let sign = body.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            body = body.dropFirst()
        }
        guard !body.isEmpty else { return nil }
        let signed = { (value: Int) -> ScalarValue in .int(negative ? -value : value) }
        // The digits without `_`, as PyYAML's constructors read them.
        let plain = { (slice: ArraySlice<UInt8>) in String(decoding: slice.filter { $0 != UInt8(ascii: "_") }, as: UTF8.self) }
        if body.starts(with: Array("0b".utf8)) {
            let digits = body.dropFirst(2)
            guard !digits.isEmpty, digits.allSatisfy({ $0 == UInt8(ascii: "0") || $0 == UInt8(ascii: "1") || $0 == UInt8(ascii: "_") }) else { return nil }
            return Int(plain(digits), radix: 2).map(signed) ?? .double(.infinity * (negative ? -1 : 1))
        }
        if body.starts(with: Array("0x".utf8)) {
            let digits = body.dropFirst(2)
            guard !digits.isEmpty, digits.allSatisfy({ isDigit($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0 | 0x20) || $0 == UInt8(ascii: "_") }) else { return nil }
            return Int(plain(digits), radix: 16).map(signed) ?? .double(.infinity * (negative ? -1 : 1))
        }
        if body.allSatisfy({ isDigit($0) || $0 == UInt8(ascii: "_") }), isDigit(body.first!) {
            if body.first == UInt8(ascii: "0"), body.count > 1 {
                // `0[0-7_]+`: octal; `08` is no number at all.
                guard body.allSatisfy({ ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "7")) || $0 == UInt8(ascii: "_") }) else { return nil }
                return Int(plain(body), radix: 8).map(signed) ?? .double(.infinity * (negative ? -1 : 1))
            }
            // Past Int.max it is still a number (out of range where a whole number is read), not text.
            let digits = plain(body)
            if let value = Int(digits) { return signed(value) }
            return Double(digits).map { .double(negative ? -$0 : $0) }
        }
        if body.contains(UInt8(ascii: ":")) { return sexagesimal(body, negative: negative) }
        guard let dot = body.firstIndex(of: UInt8(ascii: ".")) else { return nil }
        // `[0-9][0-9_]*\.[0-9_]*([eE][-+][0-9]+)?`, or `\.[0-9_]+([eE][-+][0-9]+)?` without a sign.
        let whole = body[..<dot]
        if whole.isEmpty {
            guard bytes.first == UInt8(ascii: ".") else { return nil }
        } else {
            guard isDigit(whole.first!), whole.allSatisfy({ isDigit($0) || $0 == UInt8(ascii: "_") }) else { return nil }
        }
        var rest = body[body.index(after: dot)...]
        let fractionEnd = rest.firstIndex { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") } ?? rest.endIndex
        let fraction = rest[..<fractionEnd]
        guard fraction.allSatisfy({ isDigit($0) || $0 == UInt8(ascii: "_") }) else { return nil }
        // `\.[0-9][0-9_]*`: a digit right after a leading dot (`._5` is text).
        if whole.isEmpty, !(fraction.first.map(isDigit) ?? false) { return nil }
        rest = rest[fractionEnd...]
        if !rest.isEmpty {
            let exponent = rest.dropFirst()
            guard let sign = exponent.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-"),
                  exponent.count > 1, exponent.dropFirst().allSatisfy(isDigit) else { return nil }
        }
        let digits = plain(body)
        guard let value = Double(digits.hasSuffix(".") ? digits + "0" : digits.replacingOccurrences(of: ".e", with: ".0e").replacingOccurrences(of: ".E", with: ".0E")) else { return nil }
        return .double(negative ? -value : value)
    }

    /// Base 60: `[1-9][0-9_]*(:[0-5]?[0-9])+` an int, with `\.[0-9_]*` after the last part a float.
    /// Valued as PyYAML values them: each part times its power of 60, added from the last part
    /// (for a float, in doubles: `7:38.84` is 458.84000000000003, as in Python).
    private static func sexagesimal(_ body: ArraySlice<UInt8>, negative: Bool) -> ScalarValue? {
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        var parts = body.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        guard parts.count >= 2, let head = parts.first, let lead = head.first, isDigit(lead),
              head.allSatisfy({ isDigit($0) || $0 == UInt8(ascii: "_") }) else { return nil }
        var isFloat = false
        if let last = parts.last, let dot = last.firstIndex(of: UInt8(ascii: ".")) {
            guard last[last.index(after: dot)...].allSatisfy({ isDigit($0) || $0 == UInt8(ascii: "_") }) else { return nil }
            isFloat = true
            parts[parts.count - 1] = last[..<dot]
        }
        // PyYAML's int form starts with 1-9; its float form with any digit.
        if !isFloat, lead == UInt8(ascii: "0") { return nil }
        for part in parts.dropFirst() {
            guard (1...2).contains(part.count), part.allSatisfy(isDigit), part.count == 1 || part.first! <= UInt8(ascii: "5") else { return nil }
        }
        let texts = body.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
            .map { String(decoding: $0.filter { $0 != UInt8(ascii: "_") }, as: UTF8.self) }
        if isFloat {
            var value = 0.0, base = 1.0
            for text in texts.reversed() {
                value += (Double(text.hasSuffix(".") ? text + "0" : text) ?? .infinity) * base
                base *= 60
            }
            return .double(negative ? -value : value)
        }
        var exact: Int? = 0, base: Int? = 1
        for text in texts.reversed() {
            guard let digit = Int(text), let multiplier = base else { exact = nil; break }
            let (scaled, overflow) = digit.multipliedReportingOverflow(by: multiplier)
            exact = overflow ? nil : exact.flatMap { $0.addingReportingOverflow(scaled).overflow ? nil : $0 + scaled }
            base = multiplier.multipliedReportingOverflow(by: 60).overflow ? nil : multiplier * 60
        }
        if let exact { return .int(negative ? -exact : exact) }
        let value = texts.reversed().enumerated().reduce(0.0) { $0 + (Double($1.element) ?? 0) * pow(60, Double($1.offset)) }
        return .double(negative ? -value : value)
    }

    private static func namedValue(_ text: String) -> ScalarValue? {
        // Each name starts with one of these bytes (or is empty): other words are not looked up.
        switch text.utf8.first {
        case nil, UInt8(ascii: "~"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "y"),
             UInt8(ascii: "Y"), UInt8(ascii: "o"), UInt8(ascii: "O"), UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "."),
             UInt8(ascii: "+"), UInt8(ascii: "-"):
            return namedValues[text]
        default:
            return nil
        }
    }

    /// The named plain scalars, by name: one hash instead of comparing a word with each name (every
    /// short key and value of every file is looked up).
    private static let namedValues: [String: ScalarValue] = {
        var table: [String: ScalarValue] = [:]
        for name in ["", "~", "null", "Null", "NULL"] { table[name] = .null }
        for name in ["true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"] { table[name] = .bool(true) }
        for name in ["false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"] { table[name] = .bool(false) }
        for name in [".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"] { table[name] = .double(.infinity) }
        for name in ["-.inf", "-.Inf", "-.INF"] { table[name] = .double(-.infinity) }
        for name in [".nan", ".NaN", ".NAN"] { table[name] = .double(.nan) }
        return table
    }()

    /// libyaml reports duplicate keys against the whole document; point at the second occurrence instead.
    private static func duplicateKey(in error: YamlError, text: String, file: String, lineOffset: Int) -> Diagnostic? {
        guard case .duplicatedKeysInMapping(let keys, _) = error, let key = keys.first else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var occurrences = lines.indices.filter { index in
            let trimmed = lines[index].drop { $0 == " " || $0 == "\t" || $0 == "-" }
            return trimmed.hasPrefix("\(key):") || trimmed.hasPrefix("\"\(key)\":") || trimmed.hasPrefix("'\(key)':")
        }.map { ($0, lines[$0].prefix { $0 == " " || $0 == "\t" || $0 == "-" }.count + 1) }
        if occurrences.count < 2 {
            // Keys inside a line (`{"a": 1, "a": 2}`, JSON on one line): each `"key":` where it is.
            occurrences = lines.indices.flatMap { index in
                lines[index].ranges(of: "\"\(key)\":").map { (index, lines[index].distance(from: lines[index].startIndex, to: $0.lowerBound) + 1) }
            }
        }
        let line = occurrences.count >= 2 ? occurrences[1].0 + 1 : (occurrences.first.map { $0.0 + 1 } ?? 1)
        let column = occurrences.count >= 2 ? occurrences[1].1 : 1
        let first = occurrences.first.map { " (first defined at line \($0.0 + 1 + lineOffset))" } ?? ""
        return .error("yaml-syntax", "duplicate key `\(key)`\(first)", at: SourceLocation(file: file, line: line + lineOffset, column: column),
                      hint: "a key may appear once in a mapping: remove or rename one of them")
    }

    private static func diagnostic(for error: YamlError, text: String, file: String, lineOffset: Int) -> Diagnostic {
        func located(_ problem: String, _ context: YamlError.Context?, _ mark: Mark) -> Diagnostic {
            var message = problem
            if let context, context.text.count < 80, !context.text.contains("\n") { message = "\(problem) (\(context.text))" }
            return .error("yaml-syntax", "invalid YAML: \(message)",
                          at: SourceLocation(file: file, line: mark.line + lineOffset, column: mark.column),
                          hint: "check indentation, colons and quoting around this position")
        }
        switch error {
        case .scanner(let context, let problem, let mark, _): return located(problem, context, mark)
        case .parser(let context, let problem, let mark, _): return located(problem, context, mark)
        case .composer(let context, let problem, let mark, _): return located(problem, context, mark)
        case .reader(let problem, let offset, let value, _):
            // libyaml's reader stops at a character (a control character): shown where it is. Its
            // offset counts characters (code points), not bytes.
            let before = text.unicodeScalars.prefix(max(0, offset ?? 0))
            let line = before.reduce(1) { $0 + ($1 == "\n" ? 1 : 0) }
            let column = before.reversed().prefix { $0 != "\n" }.count + 1
            let shown = value >= 0 ? String(format: " (U+%04X)", value) : ""
            return .error("yaml-syntax", "invalid YAML: \(problem)\(shown)", at: SourceLocation(file: file, line: line + lineOffset, column: column),
                          hint: "remove the character, or write it as an escape inside double quotes (`\\x7F`)")
        default:
            return .error("yaml-syntax", "invalid YAML: \(error)", at: SourceLocation(file: file, line: lineOffset + 1, column: 1))
        }
    }
}
