import Diagnostics
import Foundation
import Yams

/// Parses YAML text into a `SourceNode` tree whose locations are lines of the file
/// (`lineOffset` is added for YAML that starts further down, such as front matter).
enum YAMLReader {
    static func parse(_ text: String, file: String, lineOffset: Int = 0) -> Result<SourceNode?, Diagnostic> {
        do {
            guard let node = try Yams.compose(yaml: text) else { return .success(nil) }
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
            return SourceNode(.scalar(resolve(scalar, tag: node.tag.description), text: scalar.string), at: location)
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

    private static func resolve(_ scalar: Node.Scalar, tag: String) -> ScalarValue {
        let text = scalar.string
        switch tag {
        case Tag.Name.null.rawValue: return .null
        case Tag.Name.bool.rawValue:
            return .bool(["true", "yes", "on"].contains(text.lowercased()))
        case Tag.Name.int.rawValue:
            if let value = Int(text.replacingOccurrences(of: "_", with: "")) { return .int(value) }
            if text.hasPrefix("0x"), let value = Int(text.dropFirst(2), radix: 16) { return .int(value) }
            if text.hasPrefix("0o"), let value = Int(text.dropFirst(2), radix: 8) { return .int(value) }
            return .string(text)
        case Tag.Name.float.rawValue:
            switch text.lowercased() {
            case ".inf", "+.inf": return .double(.infinity)
            case "-.inf": return .double(-.infinity)
            case ".nan": return .double(.nan)
            default: return Double(text.replacingOccurrences(of: "_", with: "")).map(ScalarValue.double) ?? .string(text)
            }
        default:
            // Strings, timestamps and anything else stay text.
            return .string(text)
        }
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
