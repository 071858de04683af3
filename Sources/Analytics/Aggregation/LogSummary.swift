/// A `version` × `provider` pair as written in the logs ("" when the record had none).
public struct VersionProvider: Hashable, Sendable, Comparable {
    public let version: String
    public let provider: String

    public init(version: String, provider: String) {
        self.version = version
        self.provider = provider
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.version, lhs.provider) < (rhs.version, rhs.provider) }
}

/// One arm of an experiment.
public struct ExperimentArm: Hashable, Sendable, Comparable {
    public let experiment: String
    public let arm: String

    public init(experiment: String, arm: String) {
        self.experiment = experiment
        self.arm = arm
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.experiment, lhs.arm) < (rhs.experiment, rhs.arm) }
}

/// Aggregates of many records by every grouping the report needs, from which the rest
/// derive exactly (version, family and provider are sums of `cells`). Merging adds group
/// by group, so files, chunks and cached results combine in any order to the same totals.
public struct LogSummary: Sendable, Equatable {
    /// By version × provider; every record is in exactly one cell.
    public var cells: [VersionProvider: Aggregate] = [:]
    public var nodes: [String: Aggregate] = [:]
    public var blocks: [String: Aggregate] = [:]
    /// By UTC day `YYYY-MM-DD`.
    public var days: [String: Aggregate] = [:]
    public var arms: [ExperimentArm: Aggregate] = [:]
    /// Records per version within each arm (which versions an arm compared).
    public var armVersions: [ExperimentArm: [String: Int]] = [:]
    /// Records with prompt text and neither a version nor a block: input for `import logs`.
    public var inline = Aggregate()
    /// Well-formed records.
    public var records = 0

    public init() {}

    public mutating func merge(_ other: LogSummary) {
        Self.merge(&cells, other.cells)
        Self.merge(&nodes, other.nodes)
        Self.merge(&blocks, other.blocks)
        Self.merge(&days, other.days)
        Self.merge(&arms, other.arms)
        for (arm, versions) in other.armVersions {
            armVersions[arm, default: [:]].merge(versions, uniquingKeysWith: +)
        }
        inline.merge(other.inline)
        records += other.records
    }

    private static func merge<Key>(_ groups: inout [Key: Aggregate], _ other: [Key: Aggregate]) {
        for (key, aggregate) in other { groups[key, default: Aggregate()].merge(aggregate) }
    }

    /// Everything in all cells.
    public var total: Aggregate { cells.values.reduce(into: Aggregate()) { $0.merge($1) } }

    /// Distinct groups: cells, nodes, blocks, days and experiment arms.
    public var groupCount: Int { cells.count + nodes.count + blocks.count + days.count + arms.count }
}

/// A problem on one line of a log file.
public struct LogIssue: Sendable, Equatable {
    public let line: Int
    public let column: Int?
    public let message: String
    /// The start of the line as read (decompressed), at most `excerptLength` bytes; empty when not kept.
    public let text: String

    /// How much of an offending line is kept to quote it.
    public static let excerptLength = 240

    public init(line: Int, column: Int?, message: String, text: String = "") {
        self.line = line
        self.column = column
        self.message = message
        self.text = text
    }

    /// The first `excerptLength` bytes of a line, as text.
    static func excerpt(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var end = bytes.count
        if end > 0, bytes[end - 1] == 0x0D { end -= 1 }
        let cut = end > excerptLength
        let kept = UnsafeBufferPointer(rebasing: bytes[0..<min(end, excerptLength)])
        return String(decoding: kept, as: UTF8.self) + (cut ? "…" : "")
    }

    /// A 1-based byte column in `bytes` (the line the readers saw) as the 1-based code-point column
    /// editors and SARIF show; kept as it is when the line is not at hand.
    static func codePointColumn(_ column: Int?, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let column, column > 1, !bytes.isEmpty else { return column }
        let end = min(column - 1, bytes.count)
        var points = 0
        for index in 0..<end where bytes[index] & 0xC0 != 0x80 { points += 1 }
        return points + column - end
    }

    func shifted(by lines: Int) -> LogIssue { LogIssue(line: line + lines, column: column, message: message, text: text) }
}

/// A field and why its values were ignored (`IgnoredValue.reason`).
public struct IgnoredFieldReason: Hashable, Sendable, Comparable {
    public let field: String
    public let reason: String

    public init(_ field: String, _ reason: String) {
        self.field = field
        self.reason = reason
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.field, lhs.reason) < (rhs.field, rhs.reason) }
}

/// How often one optional field was ignored in a file for one reason, and the first time.
public struct IgnoredFieldIssue: Sendable, Equatable {
    public var count: Int
    public var example: LogIssue

    public init(count: Int, example: LogIssue) {
        self.count = count
        self.example = example
    }
}

/// What one log file holds: its aggregates plus what is needed to report its problems
/// by line — the first malformed lines, and the first lines naming each version and block
/// (whether a name is unknown depends on the catalog, which can change while the file does not).
public struct FileLogSummary: Sendable, Equatable {
    /// How many of each are kept with their lines.
    public static let reportedPerFile = 20

    public var summary = LogSummary()
    public var lines = 0
    public var malformed = 0
    /// The first `reportedPerFile` malformed lines.
    public var issues: [LogIssue] = []
    /// For each `version` value: the first lines it appears on.
    public var versionLines: [String: [Int]] = [:]
    public var blockLines: [String: [Int]] = [:]
    /// By field name and reason: values left out of their (kept) records.
    public var ignored: [IgnoredFieldReason: IgnoredFieldIssue] = [:]
    /// Records of unfinished generations by status (`pending`, …), not counted, and the first of them.
    public var unfinished: [String: Int] = [:]
    public var unfinishedExample: LogIssue?
    /// The file has more than `maximumGroups` distinct groups: it is left out of the analytics
    /// (its aggregates and name lines are dropped) and reported, instead of taking gigabytes.
    public var overflowed = false

    /// About 0.5 KB each while reading: a log with a million distinct `version` values (ids
    /// unique per record) needed over 4 GB. Whether a file passes it does not depend on how the
    /// file was cut into chunks or read from the cache: it is its number of distinct groups.
    public static let maximumGroups = 400_000

    public init() {}

    /// Appends the summary of the lines that follow this one's (the next chunk, or a file's new tail).
    public mutating func append(_ next: FileLogSummary, maximumGroups: Int = FileLogSummary.maximumGroups) {
        let shift = lines
        summary.merge(next.summary)
        malformed += next.malformed
        for issue in next.issues where issues.count < Self.reportedPerFile { issues.append(issue.shifted(by: shift)) }
        Self.appendLines(&versionLines, next.versionLines, shift: shift)
        Self.appendLines(&blockLines, next.blockLines, shift: shift)
        for (key, issue) in next.ignored {
            if var kept = ignored[key] {
                kept.count += issue.count
                ignored[key] = kept
            } else {
                ignored[key] = IgnoredFieldIssue(count: issue.count, example: issue.example.shifted(by: shift))
            }
        }
        unfinished.merge(next.unfinished, uniquingKeysWith: +)
        if unfinishedExample == nil { unfinishedExample = next.unfinishedExample?.shifted(by: shift) }
        lines += next.lines
        // Once left out, always: later chunks must not bring part of the file back.
        if overflowed || next.overflowed || summary.groupCount > maximumGroups { leaveOutOfAnalytics() }
    }

    /// The values of `field` ignored, for every reason, the first first.
    public func ignored(_ field: String) -> [IgnoredFieldIssue] {
        ignored.filter { $0.key.field == field }.values.sorted { ($0.example.line, $0.example.message) < ($1.example.line, $1.example.message) }
    }

    /// How many values of `field` were ignored, for any reason.
    public func ignoredCount(_ field: String) -> Int { ignored(field).reduce(0) { $0 + $1.count } }

    /// Drops the aggregates, the name lines and the ignored values (counted while reading only
    /// until the limit was passed, which depends on how the file was cut); keeps the counts of
    /// records, malformed lines and unfinished generations.
    mutating func leaveOutOfAnalytics() {
        let records = summary.records
        summary = LogSummary()
        summary.records = records
        versionLines = [:]
        blockLines = [:]
        ignored = [:]
        overflowed = true
    }

    private static func appendLines(_ lines: inout [String: [Int]], _ next: [String: [Int]], shift: Int) {
        for (name, found) in next {
            var kept = lines[name, default: []]
            for line in found where kept.count < reportedPerFile { kept.append(line + shift) }
            lines[name] = kept
        }
    }
}
