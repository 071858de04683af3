import Diagnostics
import Foundation
import Yams

/// Parses YAML text into a `SourceNode` tree whose locations are lines of the file
/// (`lineOffset` is added for YAML that starts further down, such as front matter).
enum YAMLReader {
    static func parse(_ text: String, file: String, lineOffset: Int = 0) -> Result<SourceNode?, Diagnostic> {
        if defaultIsUTF8, let composed = YAMLComposer.compose(text, file: file, lineOffset: lineOffset, budget: nodeBudget(forBytes: text.utf8.count)) {
            return .success(composed)
        }
        return parseWithYams(text, file: file, lineOffset: lineOffset)
    }

    /// Every document `YAMLComposer` leaves to Yams: errors, aliases, tags, complex keys.
    static func parseWithYams(_ text: String, file: String, lineOffset: Int = 0) -> Result<SourceNode?, Diagnostic> {
        do {
            // The basic resolver leaves every scalar a string; `resolve` types plain scalars
            // itself, much faster than Yams' regular-expression resolver.
            guard let node = try Yams.compose(yaml: text, .basic, .default, encoding) else { return .success(nil) }
            var conversion = Conversion(file: file, lineOffset: lineOffset, budget: nodeBudget(forBytes: text.utf8.count))
            return .success(try conversion.convert(node))
        } catch let refusal as Refusal {
            return .failure(refusal.diagnostic)
        } catch let error as YamlError {
            if let duplicate = duplicateKey(in: error, text: text, file: file, lineOffset: lineOffset) { return .failure(duplicate) }
            return .failure(diagnostic(for: error, file: file, lineOffset: lineOffset))
        } catch {
            return .failure(.error("yaml-syntax", "cannot read YAML: \(error)", at: SourceLocation(file: file, line: lineOffset + 1, column: 1)))
        }
    }

    /// Yams' default encoding, read once: asked per document, it copies the whole process
    /// environment each time (to look for `YAMS_DEFAULT_ENCODING`).
    private static let defaultIsUTF8 = Parser.Encoding.default == .utf8
    private static var encoding: Parser.Encoding { defaultIsUTF8 ? .utf8 : .utf16 }

    /// How many nodes a document of this size may expand to. Without aliases a document has
    /// at most about one node per byte; aliases may repeat a part a few times (`<<: *defaults`),
    /// but an alias bomb (each level naming the previous one nine times) is stopped here
    /// instead of filling the memory.
    static func nodeBudget(forBytes bytes: Int) -> Int { 10_000 + 8 * bytes }

    private struct Refusal: Error {
        let diagnostic: Diagnostic
    }

    /// Yams nodes to source nodes, counting every node made against the budget.
    private struct Conversion {
        let file: String
        let lineOffset: Int
        var budget: Int

        mutating func convert(_ node: Node) throws(Refusal) -> SourceNode {
            let location = SourceLocation(file: file, line: node.mark.map { $0.line + lineOffset }, column: node.mark?.column)
            budget -= 1
            if budget < 0 {
                throw Refusal(diagnostic: .error("yaml-syntax", "too many aliases: the document expands to more values than its size allows",
                                                 at: location, hint: "write the values out instead of nesting aliases (`*name`) of aliases"))
            }
            let tag = node.tag.description
            if !YAMLReader.isPlainTag(tag) {
                let written = tag.hasPrefix("tag:yaml.org,2002:") ? "!!" + tag.dropFirst(18) : tag
                throw Refusal(diagnostic: .error("yaml-syntax", "YAML tag `\(written)` is not supported", at: location,
                                                 hint: "remove the tag; quote the value to keep it as text"))
            }
            switch node {
            case .scalar(let scalar):
                let value: ScalarValue = scalar.style == .plain ? resolvePlain(scalar.string, json: YAMLReader.isJSON(file)) : .string(scalar.string)
                return SourceNode(.scalar(value, text: scalar.string), at: location)
            case .mapping(let mapping):
                // libyaml (through Yams) already rejects duplicate keys.
                var members: [SourceNode.Member] = []
                members.reserveCapacity(mapping.count)
                for (key, value) in mapping {
                    let keyNode = try convert(key)
                    members.append(SourceNode.Member(key: keyNode.scalarText ?? key.string ?? "\(key)", keyLocation: keyNode.location,
                                                     value: try convert(value)))
                }
                return SourceNode(.mapping(members), at: location)
            case .sequence(let sequence):
                var items: [SourceNode] = []
                items.reserveCapacity(sequence.count)
                for item in sequence { items.append(try convert(item)) }
                return SourceNode(.sequence(items), at: location)
            case .alias:
                return SourceNode(.scalar(.null, text: ""), at: location)
            }
        }
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

    static func resolvePlain(_ text: String) -> ScalarValue {
        // Every named value is ASCII of at most 5 bytes: longer text is not compared with each.
        if text.utf8.count <= 5, let named = namedValue(text) { return named }
        guard let first = text.utf8.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
                || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) else { return .string(text) }
        let digits = text.utf8.contains(UInt8(ascii: "_")) ? text.replacingOccurrences(of: "_", with: "") : text
        let unsigned = digits.hasPrefix("-") || digits.hasPrefix("+") ? String(digits.dropFirst()) : digits
        let negative = digits.hasPrefix("-")
        if unsigned.hasPrefix("0x"), let value = Int(unsigned.dropFirst(2), radix: 16) { return .int(negative ? -value : value) }
        if !unsigned.isEmpty, unsigned.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            // Past Int.max it is still a number (out of range where a whole number is read), not text.
            if let value = Int(digits) { return .int(value) }
            if let value = Double(digits) { return .double(value) }
        }
        if unsigned.utf8.contains(UInt8(ascii: ".")), unsigned.utf8.allSatisfy({ ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: ".")
                || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "+") }),
           let value = Double(digits) {
            return .double(value)
        }
        return .string(text)
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
        let occurrences = lines.indices.filter { index in
            let trimmed = lines[index].drop { $0 == " " || $0 == "\t" || $0 == "-" }
            return trimmed.hasPrefix("\(key):") || trimmed.hasPrefix("\"\(key)\":") || trimmed.hasPrefix("'\(key)':")
        }
        let line = occurrences.count >= 2 ? occurrences[1] + 1 : (occurrences.first.map { $0 + 1 } ?? 1)
        let column = occurrences.count >= 2 ? lines[occurrences[1]].prefix { $0 == " " || $0 == "\t" || $0 == "-" }.count + 1 : 1
        let first = occurrences.first.map { " (first defined at line \($0 + 1 + lineOffset))" } ?? ""
        return .error("yaml-syntax", "duplicate key `\(key)`\(first)", at: SourceLocation(file: file, line: line + lineOffset, column: column),
                      hint: "a key may appear once in a mapping: remove or rename one of them")
    }

    private static func diagnostic(for error: YamlError, file: String, lineOffset: Int) -> Diagnostic {
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
        default:
            return .error("yaml-syntax", "invalid YAML: \(error)", at: SourceLocation(file: file, line: lineOffset + 1, column: 1))
        }
    }
}
