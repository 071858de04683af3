/// How serious a diagnostic is. Errors fail `check`; warnings fail it under `--strict`.
public enum Severity: String, Sendable, Comparable, CaseIterable, Codable {
    case error, warning, info

    private var rank: Int {
        switch self {
        case .error: 2
        case .warning: 1
        case .info: 0
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// A place in a content file. `file` is relative to the content directory;
/// `line` and `column` are 1-based and absent when unknown.
public struct SourceLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let column: Int?

    public init(file: String, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// The same file, shifted by a number of lines (used for text embedded in a file).
    public func offset(lines: Int) -> SourceLocation {
        SourceLocation(file: file, line: line.map { $0 + lines }, column: column)
    }

    public var description: String {
        var text = file
        if let line {
            text += ":\(line)"
            if let column { text += ":\(column)" }
        }
        return text
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.file, lhs.line ?? 0, lhs.column ?? 0) < (rhs.file, rhs.line ?? 0, rhs.column ?? 0)
    }
}

/// One finding about the content: a stable code, a level, where, what is wrong and how to fix it.
public struct Diagnostic: Hashable, Sendable, Error, CustomStringConvertible {
    public let code: String
    public let level: Severity
    public let location: SourceLocation?
    public let message: String
    public let hint: String?

    public init(_ level: Severity, _ code: String, _ message: String, at location: SourceLocation?, hint: String? = nil) {
        self.code = code
        self.level = level
        self.location = location
        self.message = message
        self.hint = hint
    }

    public static func error(_ code: String, _ message: String, at location: SourceLocation?, hint: String? = nil) -> Diagnostic {
        Diagnostic(.error, code, message, at: location, hint: hint)
    }

    public static func warning(_ code: String, _ message: String, at location: SourceLocation?, hint: String? = nil) -> Diagnostic {
        Diagnostic(.warning, code, message, at: location, hint: hint)
    }

    public static func info(_ code: String, _ message: String, at location: SourceLocation?, hint: String? = nil) -> Diagnostic {
        Diagnostic(.info, code, message, at: location, hint: hint)
    }

    public func with(level: Severity) -> Diagnostic {
        Diagnostic(level, code, message, at: location, hint: hint)
    }

    /// `path:line:col: level[code]: message`
    public var description: String {
        let place = location.map { "\($0): " } ?? ""
        return "\(place)\(level.rawValue)[\(code)]: \(message)"
    }
}

extension Diagnostic {
    /// Diagnostics in reading order: by file, line, column, then code and message.
    /// The diagnostics with exact copies (same level, code, place, message and hint) left out:
    /// a snippet included thousands of times over, or a pattern given up on every prompt, is
    /// reported once.
    public static func distinct(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        var seen = Set<Diagnostic>()
        seen.reserveCapacity(diagnostics.count)
        return diagnostics.filter { seen.insert($0).inserted }
    }

    /// How many diagnostics of one code one file lists; past them, one more says how many were left
    /// out (a list of a million ill-typed items is a hundred errors and a count, not a million).
    public static let listedPerFileAndCode = 100

    /// `diagnostics` (sorted) with at most `listed` per file and code, each group cut to its first ones
    /// and one diagnostic, at the most severe level of those left out, saying how many more there are.
    public static func capped(_ diagnostics: [Diagnostic], listed: Int = listedPerFileAndCode) -> [Diagnostic] {
        struct Group: Hashable { let file: String; let code: String }
        var counts: [Group: Int] = [:]
        for diagnostic in diagnostics { counts[Group(file: diagnostic.location?.file ?? "", code: diagnostic.code), default: 0] += 1 }
        guard counts.values.contains(where: { $0 > listed }) else { return diagnostics }
        var seen: [Group: Int] = [:], dropped: [Group: Severity] = [:]
        var kept: [Diagnostic] = []
        for diagnostic in diagnostics {
            let group = Group(file: diagnostic.location?.file ?? "", code: diagnostic.code)
            seen[group, default: 0] += 1
            if seen[group]! <= listed {
                kept.append(diagnostic)
            } else if let level = dropped[group] {
                if diagnostic.level > level { dropped[group] = diagnostic.level }
            } else {
                dropped[group] = diagnostic.level
            }
        }
        for (group, level) in dropped {
            let more = counts[group]! - listed
            kept.append(Diagnostic(level, group.code, "\(more) more `\(group.code)` in this file \(more == 1 ? "is" : "are") not listed (the first \(listed) are)",
                                   at: group.file.isEmpty ? nil : SourceLocation(file: group.file), hint: "fix the ones listed, then check again"))
        }
        return sorted(kept)
    }

    public static func sorted(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.sorted { lhs, rhs in
            let left = lhs.location ?? SourceLocation(file: "")
            let right = rhs.location ?? SourceLocation(file: "")
            if left != right { return left < right }
            if lhs.code != rhs.code { return lhs.code < rhs.code }
            return lhs.message < rhs.message
        }
    }
}

/// Counts of diagnostics by level.
public struct DiagnosticSummary: Equatable, Sendable {
    public let errors: Int
    public let warnings: Int
    public let infos: Int

    public init(_ diagnostics: [Diagnostic]) {
        errors = diagnostics.count { $0.level == .error }
        warnings = diagnostics.count { $0.level == .warning }
        infos = diagnostics.count { $0.level == .info }
    }

    public var description: String {
        func plural(_ count: Int, _ word: String) -> String { "\(count) \(word)\(count == 1 ? "" : "s")" }
        return "\(plural(errors, "error")), \(plural(warnings, "warning")), \(plural(infos, "info"))"
    }
}

/// What Site.json says about checks: codes to silence, codes raised to errors, strictness.
public struct CheckPolicy: Equatable, Sendable {
    public var ignore: Set<String>
    public var errors: Set<String>
    public var strict: Bool

    public init(ignore: Set<String> = [], errors: Set<String> = [], strict: Bool = false) {
        self.ignore = ignore
        self.errors = errors
        self.strict = strict
    }

    /// Drops silenced codes and raises the listed codes to errors.
    /// A code pattern ending in `*` matches a prefix (`plugin:*`).
    public func apply(to diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.compactMap { diagnostic in
            if Self.matches(ignore, diagnostic.code) { return nil }
            if Self.matches(errors, diagnostic.code) { return diagnostic.with(level: .error) }
            return diagnostic
        }
    }

    /// Whether `check` fails: any error, or any warning when strict.
    public func fails(_ diagnostics: [Diagnostic]) -> Bool {
        diagnostics.contains { $0.level == .error || (strict && $0.level == .warning) }
    }

    private static func matches(_ patterns: Set<String>, _ code: String) -> Bool {
        if patterns.contains(code) { return true }
        return patterns.contains { $0.hasSuffix("*") && code.hasPrefix($0.dropLast()) }
    }
}
