import Analytics
import Checks
import Diagnostics
import Foundation
import Project
import PromptCatalog
import TextDiff

/// A label that points elsewhere than at the base: `from` nil when it is new, `to` nil when removed.
public struct LabelMove: Sendable, Equatable {
    public let family: String
    public let label: String
    public let from: Int?
    public let to: Int?
}

/// The current generation metrics of a version (from the working tree's logs).
public struct VersionMetricsSummary: Sendable, Equatable {
    public let version: String
    public let generations: Int
    /// Successes over decided generations, nil when none are decided.
    public let successRate: Double?
}

/// A version present at both revisions whose composed text differs.
public struct TextChange: Sendable {
    public let version: String
    /// Whether the version's own template changed (else only what it includes did).
    public let direct: Bool
    /// The included versions whose text, or the version an include resolves to, changed.
    public let through: [String]
    /// Includes as written (`{{> style}}`) that resolved at the base and resolve to nothing now.
    public var unresolved: [String] = []
    public let before: String
    public let after: String
    public let pieces: [DiffPiece]

    /// How the text came to change: `edited`, `through style@2`, `{{> style}} no longer resolves`.
    public func how(code: (String) -> String = { $0 }) -> String {
        var parts: [String] = []
        if direct { parts.append("edited") }
        if !through.isEmpty { parts.append((direct ? "and through " : "through ") + through.map(code).joined(separator: ", ")) }
        if !unresolved.isEmpty { parts.append(unresolved.map(code).joined(separator: ", ") + (unresolved.count == 1 ? " no longer resolves" : " no longer resolve")) }
        return parts.joined(separator: ", ")
    }
}

/// One version's length against one provider, before and after.
public struct LengthChange: Sendable, Equatable {
    public let version: String
    public let provider: String
    public let limit: Int?
    public let exampleBefore: Int
    public let exampleAfter: Int
    /// The worst cases, nil when unknown (a variable without a bound: `unbounded-length`).
    public let worstBefore: Int?
    public let worstAfter: Int?
    /// Over the limit now (example or worst case) and not before.
    public let newlyOver: Bool

    /// `39 → 84`, with `unknown` for a worst case that is not known.
    public var worstCaseText: String { "\(worstBefore.map(String.init) ?? "unknown") → \(worstAfter.map(String.init) ?? "unknown")" }
}

/// Diagnostics of one code that appeared or disappeared.
public struct DiagnosticChange: Sendable {
    public let code: String
    public let added: [Diagnostic]
    public let fixed: [Diagnostic]
}

/// What a change to the catalog does, the working tree against a base revision.
public struct ReviewReport: Sendable {
    public let base: String
    public let baseCommit: String
    public let familiesAdded: [String]
    public let familiesRemoved: [String]
    public let versionsAdded: [String]
    public let versionsRemoved: [String]
    public let labelMoves: [LabelMove]
    public let textChanges: [TextChange]
    public let lengthChanges: [LengthChange]
    public let diagnostics: [DiagnosticChange]
    /// The metrics of the versions moved labels point from and to, when logs exist.
    public let metrics: [VersionMetricsSummary]

    public var addedDiagnostics: [Diagnostic] { diagnostics.flatMap(\.added) }
    public var fixedDiagnostics: [Diagnostic] { diagnostics.flatMap(\.fixed) }
    /// Site.json `checks.strict`: new warnings fail the review too, as they fail `check`.
    public var strict = false
    /// What could not be compared (a submodule not readable at the base).
    public var notes: [String] = []
    public var addsErrors: Bool { addedDiagnostics.contains { $0.level == .error } }
    /// The review fails (exit 1) when the change adds errors, or warnings under `checks.strict`.
    public var fails: Bool { addsErrors || (strict && addedDiagnostics.contains { $0.level == .warning }) }
    public var newlyOver: [LengthChange] { lengthChanges.filter(\.newlyOver) }
    public var isEmpty: Bool {
        familiesAdded.isEmpty && familiesRemoved.isEmpty && versionsAdded.isEmpty && versionsRemoved.isEmpty && labelMoves.isEmpty
            && textChanges.isEmpty && diagnostics.isEmpty
    }
}

/// `promptsite review`: the catalog at a base revision against the working tree.
public enum ChangeReview {
    /// Reads the base with `git archive`, checks both catalogs and compares them.
    /// Throws `ReviewError` when the base cannot be read or is no catalog.
    public static func run(config: SiteConfig, base: String, logs: LogIngestOptions? = LogIngestOptions()) throws -> ReviewReport {
        let snapshot = try BaseRevision(base, workingContent: config.contentDirectory)
        var baseConfig = config
        baseConfig.contentDirectory = snapshot.contentDirectory
        let before = runChecks(config: baseConfig, logs: nil)
        let after = runChecks(config: config, logs: logs)
        let analytics = after.project.catalog.logFiles.isEmpty ? nil : after.project.analytics
        let beforeDiagnostics = before.diagnostics + logDiagnosticsAtBase(after, base: before.project.catalog, baseContent: snapshot.contentDirectory)
        var report = compare(before: before.project.catalog, beforeDiagnostics: beforeDiagnostics, after: after.project.catalog, afterDiagnostics: after.diagnostics,
                       defaultProviders: config.defaultProviders, analytics: analytics, base: base, baseCommit: snapshot.commit)
        report.strict = after.outcome.policy.strict
        report.notes = snapshot.notes
        return report
    }

    /// The base is checked without reading its logs (they can be large). What the logs say at the
    /// base is what they say now wherever they did not change: the problems found in log files
    /// byte-identical at the base and in the database (one database for both), and the versions and
    /// blocks those records name, looked up in the base catalog; in a file that only grew (the base's
    /// copy is where it starts, as logs grow), the same for the lines the base already had. So a
    /// committed malformed line is no new warning in every later review, while a new bad log file or
    /// line, or a version removed that the logs name, is.
    static func logDiagnosticsAtBase(_ after: CheckedProject, base: Catalog, baseContent: URL) -> [Diagnostic] {
        let logs = after.project.logs
        let logFiles = after.project.catalog.logFiles
        guard !logFiles.isEmpty || logs.database != nil else { return [] }
        // For each log file the base had: how many of its lines it had then (all of them when unchanged).
        var linesAtBase: [String: Int] = [:]
        for file in logFiles {
            if let lines = LogPrefix.lines(ofBase: baseContent.appendingPathComponent(file.path), startOf: file.url) { linesAtBase[file.path] = lines }
        }
        func atBase(_ diagnostic: Diagnostic) -> Bool {
            guard let file = diagnostic.location?.file, logFiles.contains(where: { $0.path == file }) else { return true }
            guard let lines = linesAtBase[file] else { return false }
            return (diagnostic.location?.line).map { $0 <= lines } ?? (lines == .max)
        }
        let read = logs.diagnostics.filter(atBase)
        let references = LogReferences.diagnostics(logs.keeping(files: Set(linesAtBase.keys)), catalog: base).filter(atBase)
        return after.outcome.policy.apply(to: read + references)
    }

    /// The comparison itself, on two loaded catalogs and their diagnostics.
    public static func compare(before: Catalog, beforeDiagnostics: [Diagnostic], after: Catalog, afterDiagnostics: [Diagnostic],
                               defaultProviders: [String], analytics: AnalyticsReport?, base: String, baseCommit: String) -> ReviewReport {
        let oldFamilies = Set(before.families.map(\.slug)), newFamilies = Set(after.families.map(\.slug))
        let oldVersions = Dictionary(before.families.flatMap(\.versions).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let newVersions = Dictionary(after.families.flatMap(\.versions).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let ordered = { (ids: [String]) in ids.sorted(by: versionOrder) }

        var moves: [LabelMove] = []
        for family in after.families {
            let old = before.family(family.slug)
            for label in family.labels where old?.label(label.name)?.version != label.version {
                guard old != nil else { continue }
                moves.append(LabelMove(family: family.slug, label: label.name, from: old?.label(label.name)?.version, to: label.version))
            }
            for label in old?.labels ?? [] where family.label(label.name) == nil {
                moves.append(LabelMove(family: family.slug, label: label.name, from: label.version, to: nil))
            }
        }

        var changes: [TextChange] = []
        var lengths: [LengthChange] = []
        for id in ordered(Array(Set(oldVersions.keys).intersection(newVersions.keys))) {
            let old = oldVersions[id]!, new = newVersions[id]!
            let oldComposed = before.composed(old), newComposed = after.composed(new)
            guard oldComposed.source != newComposed.source else { continue }
            let through = newComposed.includes.map(\.version).filter { included in
                oldVersions[included.id]?.template.source != included.template.source
                    || !oldComposed.includes.contains { $0.version.id == included.id }
            }.map(\.id)
            let unresolved = newComposed.problems.compactMap { problem -> String? in
                guard case .unresolved(let reference, _, _, _) = problem,
                      oldComposed.includes.contains(where: { $0.reference.source == reference.source }) else { return nil }
                return reference.source
            }
            changes.append(TextChange(version: id, direct: old.template.source != new.template.source, through: uniqued(through),
                                      unresolved: uniqued(unresolved), before: oldComposed.source, after: newComposed.source,
                                      pieces: TextDiff.wordPieces(old: oldComposed.source, new: newComposed.source)))
            let oldLengths = before.lengths(of: old, defaultProviders: defaultProviders)
            for length in after.lengths(of: new, defaultProviders: defaultProviders) {
                guard let previous = oldLengths.first(where: { $0.provider.id == length.provider.id }) else { continue }
                let overNow = !length.exampleFits || length.worstCaseFits == false
                let overBefore = !previous.exampleFits || previous.worstCaseFits == false
                lengths.append(LengthChange(version: id, provider: length.provider.id, limit: length.limit,
                                            exampleBefore: previous.exampleLength, exampleAfter: length.exampleLength,
                                            worstBefore: previous.worstCase.isBounded ? previous.worstCase.length : nil,
                                            worstAfter: length.worstCase.isBounded ? length.worstCase.length : nil,
                                            newlyOver: overNow && !overBefore))
            }
        }

        var metrics: [VersionMetricsSummary] = []
        if let analytics {
            let byVersion = Dictionary(analytics.families.flatMap(\.versions).map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
            var seen = Set<String>()
            for move in moves {
                for number in [move.from, move.to].compactMap({ $0 }) {
                    let id = "\(move.family)@\(number)"
                    guard seen.insert(id).inserted, let found = byVersion[id] else { continue }
                    metrics.append(VersionMetricsSummary(version: id, generations: found.metrics.generations, successRate: found.metrics.successRate))
                }
            }
        }

        return ReviewReport(
            base: base, baseCommit: baseCommit,
            familiesAdded: newFamilies.subtracting(oldFamilies).sorted(), familiesRemoved: oldFamilies.subtracting(newFamilies).sorted(),
            versionsAdded: ordered(Array(Set(newVersions.keys).subtracting(oldVersions.keys))),
            versionsRemoved: ordered(Array(Set(oldVersions.keys).subtracting(newVersions.keys))),
            labelMoves: moves, textChanges: changes, lengthChanges: lengths,
            diagnostics: diagnosticChanges(before: beforeDiagnostics, after: afterDiagnostics), metrics: metrics)
    }

    /// New and fixed diagnostics by code. Two diagnostics are the same when level, code, file and
    /// message agree: lines move when text above them changes, so they are not compared.
    static func diagnosticChanges(before: [Diagnostic], after: [Diagnostic]) -> [DiagnosticChange] {
        func key(_ diagnostic: Diagnostic) -> String {
            // A symbolic link's message says where it leads, and the base is read into a folder of
            // its own, where a link out of the content folder leads nowhere: the link is the same.
            let message = diagnostic.code == "symlink-skipped" ? "" : diagnostic.message
            return "\(diagnostic.level.rawValue)\u{1}\(diagnostic.code)\u{1}\(diagnostic.location?.file ?? "")\u{1}\(message)"
        }
        var remaining: [String: Int] = [:]
        for diagnostic in before { remaining[key(diagnostic), default: 0] += 1 }
        var added: [Diagnostic] = []
        for diagnostic in after {
            if let count = remaining[key(diagnostic)], count > 0 { remaining[key(diagnostic)] = count - 1 } else { added.append(diagnostic) }
        }
        var stillThere: [String: Int] = [:]
        for diagnostic in after { stillThere[key(diagnostic), default: 0] += 1 }
        var fixed: [Diagnostic] = []
        for diagnostic in before {
            if let count = stillThere[key(diagnostic)], count > 0 { stillThere[key(diagnostic)] = count - 1 } else { fixed.append(diagnostic) }
        }
        let codes = Set(added.map(\.code) + fixed.map(\.code)).sorted()
        return codes.map { code in
            DiagnosticChange(code: code, added: added.filter { $0.code == code }, fixed: fixed.filter { $0.code == code })
        }
    }

    /// `a@2` before `a@10`, then by family.
    static func versionOrder(_ lhs: String, _ rhs: String) -> Bool {
        let left = lhs.split(separator: "@"), right = rhs.split(separator: "@")
        if left.first != right.first { return lhs < rhs }
        return (Int(left.last ?? "") ?? 0) < (Int(right.last ?? "") ?? 0)
    }

    private static func uniqued(_ ids: [String]) -> [String] {
        var seen = Set<String>()
        return ids.filter { seen.insert($0).inserted }
    }
}

/// How a log file at the base relates to the same file now.
enum LogPrefix {
    /// The number of lines of `base` when `current` starts with all of its bytes (`Int.max` when the
    /// two are identical: every line of the file was there), else nil.
    static func lines(ofBase base: URL, startOf current: URL) -> Int? {
        guard let old = FileHandle(forReadingAtPath: base.path), let new = FileHandle(forReadingAtPath: current.path) else { return nil }
        defer { try? old.close(); try? new.close() }
        var lines = 0
        while true {
            let chunk = (try? old.read(upToCount: 1 << 20)) ?? nil
            guard let chunk, !chunk.isEmpty else { break }
            guard let same = try? new.read(upToCount: chunk.count), same == chunk else { return nil }
            lines += chunk.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        }
        // Grown: the lines the base ended with a line feed (a last line without one may have grown too).
        let rest = (try? new.read(upToCount: 1)) ?? nil
        guard let rest, !rest.isEmpty else { return .max }
        return lines
    }
}
