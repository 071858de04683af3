import Foundation

/// The output formats of `promptsite check`.
public enum DiagnosticFormat: String, CaseIterable, Sendable {
    case text, json, junit, sarif, github
}

/// Everything a report needs: the diagnostics, every file that was checked,
/// and how to show a content-relative path to the reader.
public struct DiagnosticReport: Sendable {
    public let diagnostics: [Diagnostic]
    /// Content-relative paths of all checked files (JUnit lists passing files too).
    public let checkedFiles: [String]
    /// Turns a content-relative path into the path shown to the reader (e.g. `Content/...`).
    public let displayPath: @Sendable (String) -> String
    /// Whether the text format ends with the counts (`build --quiet` prints the problems alone).
    public var showsSummary = true

    public init(diagnostics: [Diagnostic], checkedFiles: [String], displayPath: @escaping @Sendable (String) -> String = { $0 }) {
        self.diagnostics = Diagnostic.sorted(diagnostics)
        self.checkedFiles = checkedFiles.sorted()
        self.displayPath = displayPath
    }

    public var summary: DiagnosticSummary { DiagnosticSummary(diagnostics) }

    public func rendered(as format: DiagnosticFormat, color: Bool = false, sourceLine: @escaping (SourceLocation) -> String? = { _ in nil }) -> String {
        rendered(as: format, color: color, sourceExcerpt: { sourceLine($0).map { SourceExcerpt(text: $0) } })
    }

    /// `sourceExcerpt`: the part of a diagnostic's line to quote, around its column.
    public func rendered(as format: DiagnosticFormat, color: Bool = false, sourceExcerpt: @escaping (SourceLocation) -> SourceExcerpt?) -> String {
        switch format {
        case .text: TextFormat(color: color, sourceExcerpt: sourceExcerpt).render(self)
        case .json: JSONFormat.render(self)
        case .junit: JUnitFormat.render(self)
        case .sarif: SARIFFormat.render(self)
        case .github: GitHubFormat.render(self)
        }
    }
}

/// The part of a source line a diagnostic quotes: all of it, or for a long line the stretch
/// around the diagnostic's column (a minified JSON line of 100 KB).
public struct SourceExcerpt: Sendable, Equatable {
    public let text: String
    /// The column `text` starts at.
    public let firstColumn: Int
    /// Whether the line goes on before and after `text` (shown as `…`).
    public let cutBefore: Bool
    public let cutAfter: Bool

    public init(text: String, firstColumn: Int = 1, cutBefore: Bool = false, cutAfter: Bool = false) {
        self.text = text
        self.firstColumn = firstColumn
        self.cutBefore = cutBefore
        self.cutAfter = cutAfter
    }
}

/// `path:line:col: level[code]: message`, the source line with a caret, then the hint.
struct TextFormat {
    let color: Bool
    let sourceExcerpt: (SourceLocation) -> SourceExcerpt?

    func render(_ report: DiagnosticReport) -> String {
        var out = ""
        for diagnostic in report.diagnostics {
            out += block(for: diagnostic, report: report)
        }
        if report.showsSummary { out += paint(report.summary.description, report.summary.errors > 0 ? "1;31" : "1") + "\n" }
        return out
    }

    private func block(for diagnostic: Diagnostic, report: DiagnosticReport) -> String {
        var place = ""
        if let location = diagnostic.location {
            place = report.displayPath(location.file)
            if let line = location.line {
                place += ":\(line)"
                if let column = location.column { place += ":\(column)" }
            }
            place += ": "
        }
        let level = paint(diagnostic.level.rawValue, levelColor(diagnostic.level))
        var out = "\(paint(place.visibleControls(), "1"))\(level)[\(diagnostic.code.visibleControls())]: \(diagnostic.message.visibleControls())\n"
        if let location = diagnostic.location, let line = location.line, let excerpt = sourceExcerpt(location) {
            let text = excerpt.text.visibleControls(keeping: ["\t"])
            let gutter = String(line)
            let pad = String(repeating: " ", count: gutter.count)
            out += " \(gutter) | \(excerpt.cutBefore ? "…" : "")\(text)\(excerpt.cutAfter ? "…" : "")\n"
            if let column = location.column, column >= excerpt.firstColumn {
                // Keep tabs so the caret lines up under the same character.
                let lead = (excerpt.cutBefore ? " " : "") + text.prefix(column - excerpt.firstColumn).map { $0 == "\t" ? "\t" : " " }.joined()
                out += " \(pad) | \(lead)\(paint("^", levelColor(diagnostic.level)))\n"
            }
        }
        if let hint = diagnostic.hint {
            out += "  \(paint("hint:", "36")) \(hint.visibleControls())\n"
        }
        return out
    }

    private func levelColor(_ level: Severity) -> String {
        switch level {
        case .error: "1;31"
        case .warning: "1;33"
        case .info: "1;34"
        }
    }

    private func paint(_ text: String, _ code: String) -> String {
        guard color, !text.isEmpty else { return text }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }
}

/// `{"diagnostics":[...],"summary":{...}}` with content-relative files.
enum JSONFormat {
    static func render(_ report: DiagnosticReport) -> String {
        let items: [JSONValue] = report.diagnostics.map { diagnostic in
            .object([
                ("code", .string(diagnostic.code)),
                ("level", .string(diagnostic.level.rawValue)),
                ("file", .optional(diagnostic.location?.file)),
                ("line", .optional(diagnostic.location?.line)),
                ("column", .optional(diagnostic.location?.column)),
                ("message", .string(diagnostic.message)),
                ("hint", .optional(diagnostic.hint)),
            ])
        }
        let summary = report.summary
        let document: JSONValue = .object([
            ("diagnostics", .array(items)),
            ("summary", .object([
                ("errors", .int(summary.errors)),
                ("warnings", .int(summary.warnings)),
                ("infos", .int(summary.infos)),
            ])),
        ])
        return document.serialized(pretty: true) + "\n"
    }
}

/// JUnit XML: one test case per checked file; errors are failures, warnings and infos go to system-out.
enum JUnitFormat {
    static func render(_ report: DiagnosticReport) -> String {
        let byFile = Dictionary(grouping: report.diagnostics) { $0.location?.file ?? "" }
        var files = report.checkedFiles
        for file in byFile.keys where !files.contains(file) { files.append(file) }
        files.sort()
        let failures = files.filter { file in byFile[file, default: []].contains { $0.level == .error } }.count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"promptsite check\" tests=\"\(files.count)\" failures=\"\(failures)\" errors=\"0\">\n"
        out += "  <testsuite name=\"promptsite check\" tests=\"\(files.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"0\">\n"
        for file in files {
            let shown = file.isEmpty ? "(configuration)" : report.displayPath(file)
            let diagnostics = byFile[file, default: []]
            out += "    <testcase classname=\"promptsite.check\" name=\"\(xml(shown))\""
            guard !diagnostics.isEmpty else { out += "/>\n"; continue }
            out += ">\n"
            let errors = diagnostics.filter { $0.level == .error }
            if !errors.isEmpty {
                let first = errors[0]
                let body = errors.map { line($0, report) }.joined(separator: "\n")
                out += "      <failure message=\"\(xml(first.message))\" type=\"\(xml(first.code))\">\(xml(body))</failure>\n"
            }
            let others = diagnostics.filter { $0.level != .error }
            if !others.isEmpty {
                out += "      <system-out>\(xml(others.map { line($0, report) }.joined(separator: "\n")))</system-out>\n"
            }
            out += "    </testcase>\n"
        }
        out += "  </testsuite>\n</testsuites>\n"
        return out
    }

    /// `path:line:col: level[code]: message (hint: ...)` with the reader's path.
    private static func line(_ diagnostic: Diagnostic, _ report: DiagnosticReport) -> String {
        var text = "\(diagnostic.level.rawValue)[\(diagnostic.code)]: \(diagnostic.message)"
        if let location = diagnostic.location, !location.file.isEmpty {
            var place = report.displayPath(location.file)
            if let line = location.line { place += ":\(line)" + (location.column.map { ":\($0)" } ?? "") }
            text = "\(place): " + text
        }
        if let hint = diagnostic.hint { text += " (hint: \(hint))" }
        return text
    }

    static func xml(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n", "\t", "\r": out += "&#\(scalar.value);"
            default:
                // XML 1.0 forbids most control characters, even escaped.
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { out += "\u{FFFD}" }
                else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}

/// SARIF 2.1.0: one run, a rule per code, a result per diagnostic.
enum SARIFFormat {
    static let toolVersion = "0.1.0"

    static func render(_ report: DiagnosticReport) -> String {
        let codes = Array(Set(report.diagnostics.map(\.code))).sorted()
        let ruleIndex = Dictionary(uniqueKeysWithValues: codes.enumerated().map { ($1, $0) })
        let rules: [JSONValue] = codes.map { code in
            .object([
                ("id", .string(code)),
                ("name", .string(code)),
                ("shortDescription", .object([("text", .string("promptsite check \(code)"))])),
            ])
        }
        let results: [JSONValue] = report.diagnostics.map { diagnostic in
            var members: [(String, JSONValue)] = [
                ("ruleId", .string(diagnostic.code)),
                ("ruleIndex", .int(ruleIndex[diagnostic.code] ?? 0)),
                ("level", .string(level(diagnostic.level))),
                ("message", .object([("text", .string(messageText(diagnostic)))])),
            ]
            if let location = diagnostic.location, !location.file.isEmpty {
                var physical: [(String, JSONValue)] = [
                    ("artifactLocation", .object([("uri", .string(uri(report.displayPath(location.file))))])),
                ]
                if let line = location.line, line >= 1 {
                    var region: [(String, JSONValue)] = [("startLine", .int(line))]
                    if let column = location.column, column >= 1 { region.append(("startColumn", .int(column))) }
                    physical.append(("region", .object(region)))
                }
                members.append(("locations", .array([.object([("physicalLocation", .object(physical))])])))
            }
            return .object(members)
        }
        let document: JSONValue = .object([
            ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", .string("2.1.0")),
            ("runs", .array([.object([
                ("tool", .object([("driver", .object([
                    ("name", .string("promptsite")),
                    ("version", .string(toolVersion)),
                    ("informationUri", .string("https://github.com/promptsite/promptsite")),
                    ("rules", .array(rules)),
                ]))])),
                // Columns count code points, in templates as in YAML (libyaml's marks).
                ("columnKind", .string("unicodeCodePoints")),
                ("results", .array(results)),
            ])])),
        ])
        return document.serialized(pretty: true) + "\n"
    }

    private static func level(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .info: "note"
        }
    }

    private static func messageText(_ diagnostic: Diagnostic) -> String {
        guard let hint = diagnostic.hint else { return diagnostic.message }
        return "\(diagnostic.message) Hint: \(hint)"
    }

    /// A relative URI reference: path segments percent-encoded, `/` kept.
    private static func uri(_ path: String) -> String {
        var allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/".unicodeScalars)
        allowed.insert("@")
        var out = ""
        for byte in path.utf8 {
            let scalar = Unicode.Scalar(byte)
            if byte < 0x80, allowed.contains(scalar) { out.unicodeScalars.append(scalar) }
            else { out += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true) }
        }
        return out
    }
}

/// GitHub Actions workflow commands: `::error file=...,line=...,col=...,title=...::message`.
enum GitHubFormat {
    static func render(_ report: DiagnosticReport) -> String {
        var out = ""
        for diagnostic in report.diagnostics {
            var properties: [String] = []
            if let location = diagnostic.location, !location.file.isEmpty {
                properties.append("file=\(property(report.displayPath(location.file)))")
                if let line = location.line {
                    properties.append("line=\(line)")
                    if let column = location.column { properties.append("col=\(column)") }
                }
            }
            properties.append("title=\(property("promptsite[\(diagnostic.code)]"))")
            var message = diagnostic.message
            if let hint = diagnostic.hint { message += "\nHint: \(hint)" }
            out += "::\(command(diagnostic.level)) \(properties.joined(separator: ","))::\(data(message))\n"
        }
        return out
    }

    private static func command(_ level: Severity) -> String {
        switch level {
        case .error: "error"
        case .warning: "warning"
        case .info: "notice"
        }
    }

    static func data(_ text: String) -> String {
        text.visibleControls(keeping: ["\n", "\r"]).replacingAll("%", "%25").replacingAll("\r", "%0D").replacingAll("\n", "%0A")
    }

    static func property(_ text: String) -> String {
        data(text).replacingAll(":", "%3A").replacingAll(",", "%2C")
    }
}

extension String {
    func replacingAll(_ target: String, _ replacement: String) -> String {
        replacingOccurrences(of: target, with: replacement)
    }
}

extension String {
    /// Control characters from content shown, not obeyed: C0 controls become their Unicode
    /// control pictures (ESC → ␛, BEL → ␇), DEL → ␡, C1 controls → `\u{9B}`. An escape sequence
    /// in a prompt can then neither clear the terminal nor forge a GitHub workflow command.
    public func visibleControls(keeping kept: Set<Character> = []) -> String {
        guard unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) else { return self }
        var out = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            if kept.contains(Character(scalar)) {
                out.append(scalar)
            } else if scalar.value < 0x20 {
                out.append(Unicode.Scalar(0x2400 + scalar.value)!)
            } else if scalar.value == 0x7F {
                out.append("\u{2421}")
            } else if (0x80...0x9F).contains(scalar.value) {
                out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }
}

/// `a/b/../c` → `a/c`, by the text (a leading `..` stays; `a/..` is `.`): how a content-relative
/// path is shown from another folder (`Content/../Site.json` → `Site.json`).
public func collapsingParentFolders(_ path: String) -> String {
    // Without a `..` there is nothing to collapse (most paths): the parts would join back as they were.
    var previousIsDot = false, hasTwoDots = false
    for byte in path.utf8 {
        let isDot = byte == UInt8(ascii: ".")
        if isDot, previousIsDot { hasTwoDots = true; break }
        previousIsDot = isDot
    }
    guard hasTwoDots else { return path }
    var parts: [Substring] = []
    for part in path.split(separator: "/", omittingEmptySubsequences: false) {
        if part == "..", let last = parts.last, last != "..", last != ".", !last.isEmpty {
            parts.removeLast()
        } else {
            parts.append(part)
        }
    }
    return parts.isEmpty ? "." : parts.joined(separator: "/")
}
