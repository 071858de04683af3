import Diagnostics
import Foundation
import Yams

/// Parses YAML text into a `SourceNode` tree whose locations are lines of the file
/// (`lineOffset` is added for YAML that starts further down, such as front matter).
enum YAMLReader {
    static func parse(_ text: String, file: String, lineOffset: Int = 0) -> Result<SourceNode?, Diagnostic> {
        do {
            // The basic resolver leaves every scalar a string; `resolve` types plain scalars
            // itself, much faster than Yams' regular-expression resolver.
            guard let node = try Yams.compose(yaml: text, .basic) else { return .success(nil) }
            return .success(convert(node, file: file, lineOffset: lineOffset))
        } catch let error as YamlError {
            if let duplicate = duplicateKey(in: error, text: text, file: file, lineOffset: lineOffset) { return .failure(duplicate) }
            return .failure(diagnostic(for: error, file: file, lineOffset: lineOffset))
        } catch {
            return .failure(.error("yaml-syntax", "cannot read YAML: \(error)", at: SourceLocation(file: file, line: lineOffset + 1, column: 1)))
        }
    }

    private static func convert(_ node: Node, file: String, lineOffset: Int) -> SourceNode {
        let location = SourceLocation(file: file, line: node.mark.map { $0.line + lineOffset }, column: node.mark?.column)
        switch node {
        case .scalar(let scalar):
            let value: ScalarValue = scalar.style == .plain ? resolvePlain(scalar.string) : .string(scalar.string)
            return SourceNode(.scalar(value, text: scalar.string), at: location)
        case .mapping(let mapping):
            // libyaml (through Yams) already rejects duplicate keys.
            let members = mapping.map { key, value in
                let keyNode = convert(key, file: file, lineOffset: lineOffset)
                return SourceNode.Member(key: keyNode.scalarText ?? key.string ?? "\(key)", keyLocation: keyNode.location,
                                         value: convert(value, file: file, lineOffset: lineOffset))
            }
            return SourceNode(.mapping(members), at: location)
        case .sequence(let sequence):
            return SourceNode(.sequence(sequence.map { convert($0, file: file, lineOffset: lineOffset) }), at: location)
        case .alias:
            return SourceNode(.scalar(.null, text: ""), at: location)
        }
    }

    /// YAML 1.1 core types of a plain (unquoted) scalar, as Yams' default resolver reads them:
    /// null, booleans (true/yes/on …), integers (decimal, 0x hex), floats (with a dot, .inf, .nan).
    /// Dates and everything else stay text.
    static func resolvePlain(_ text: String) -> ScalarValue {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON": return .bool(true)
        case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .double(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .double(-.infinity)
        case ".nan", ".NaN", ".NAN": return .double(.nan)
        default: break
        }
        guard let first = text.utf8.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
                || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) else { return .string(text) }
        let digits = text.replacingOccurrences(of: "_", with: "")
        let unsigned = digits.hasPrefix("-") || digits.hasPrefix("+") ? String(digits.dropFirst()) : digits
        let negative = digits.hasPrefix("-")
        if unsigned.hasPrefix("0x"), let value = Int(unsigned.dropFirst(2), radix: 16) { return .int(negative ? -value : value) }
        if !unsigned.isEmpty, unsigned.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), let value = Int(digits) {
            return .int(value)
        }
        if unsigned.contains("."), unsigned.utf8.allSatisfy({ ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: ".")
                || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "+") }),
           let value = Double(digits) {
            return .double(value)
        }
        return .string(text)
    }

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
