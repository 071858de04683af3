import Diagnostics
import Foundation
import PromptCatalog

/// How logs are read.
public struct LogIngestOptions: Sendable {
    /// Where per-file aggregates are kept; nil reads every file in full (`--no-cache`).
    public var cache: LogCache?
    /// Large JSON Lines files are read in chunks of about this many bytes, in parallel.
    public var chunkSize: Int
    /// Longer lines are skipped as `log-malformed` without being kept in memory (Site.json `logs.maxLineBytes`).
    public var maximumLineLength: Int
    /// The column names of the log files (Site.json `logs.preset`).
    public var columns: LogColumns
    /// A file with more distinct groups is left out of the analytics (`FileLogSummary.maximumGroups`).
    public var maximumGroups: Int
    /// The groups all files' summaries may hold together (each file keeps its own): past it, the
    /// files after, in path order, are left out. Six files of 390,000 groups each (ids unique to
    /// every record, each file under its own bound) took 3 GB and ran past 30 s.
    public var maximumTotalGroups: Int

    public static let maximumTotalGroups = 1_000_000

    public init(cache: LogCache? = nil, chunkSize: Int = 8 << 20, maximumLineLength: Int = LogReader.defaultMaximumLineLength,
                columns: LogColumns = .promptsite, maximumGroups: Int = FileLogSummary.maximumGroups,
                maximumTotalGroups: Int = LogIngestOptions.maximumTotalGroups) {
        self.cache = cache
        self.chunkSize = chunkSize
        self.maximumLineLength = maximumLineLength
        self.columns = columns
        self.maximumGroups = maximumGroups
        self.maximumTotalGroups = maximumTotalGroups
    }
}

extension LogIngestOptions {
    /// The options Site.json sets (`logs.maxLineBytes`, `logs.preset`), with `cache`.
    public init(config: SiteConfig, cache: LogCache?) {
        self.init(cache: cache, maximumLineLength: config.maximumLogLineBytes, columns: LogColumns(rawValue: config.logPreset) ?? .promptsite)
    }
}

/// How a log file's summary was obtained in this run.
public enum LogSource: Sendable, Equatable {
    /// Unchanged since the cached summary: no line read.
    case cache
    /// It only grew: the cached summary plus the lines from this byte on.
    case tail(fromByte: Int)
    /// Read in full.
    case full
}

public struct IngestedLogFile: Sendable {
    public let path: String
    public let summary: FileLogSummary
    public let source: LogSource
    /// Bytes and lines read and parsed in this run.
    public let bytesRead: Int
    public let linesRead: Int
}

/// Every log file read (or recalled) and merged.
public struct LogIngest: Sendable {
    public let files: [IngestedLogFile]
    public let summary: LogSummary
    /// Unreadable files and malformed lines; catalog-dependent problems come from `LogReferences`.
    public let diagnostics: [Diagnostic]
    /// What Site.json `logs.postgres` gave (already merged into `summary`), nil without a database.
    public var database: DatabaseLogs? = nil
    /// For the user: what the log cache held and could not use.
    public var notes: [String] = []

    public static let empty = LogIngest(files: [], summary: LogSummary(), diagnostics: [])

    /// Only these files (and the database), for what is checked per file (`LogReferences`); the
    /// summary is left as it was.
    public func keeping(files paths: Set<String>) -> LogIngest {
        var kept = LogIngest(files: files.filter { paths.contains($0.path) }, summary: summary, diagnostics: [])
        kept.database = database
        return kept
    }

    /// Lines parsed in this run (0 for a rebuild with unchanged logs).
    public var linesRead: Int { files.reduce(0) { $0 + $1.linesRead } }
    public var bytesRead: Int { files.reduce(0) { $0 + $1.bytesRead } }
}

/// Reads log files: each file (and each chunk of a large JSON Lines file) on its own
/// core, merged in path order, with cached summaries reused where the file is unchanged.
public enum LogIngestion {
    public static func ingest(_ files: [LogFileEntry], options: LogIngestOptions = LogIngestOptions()) -> LogIngest {
        guard !files.isEmpty else { return .empty }
        let plans = parallelMap(files) { plan($0, options: options) }
        var work: [Work] = []
        for (index, plan) in plans.enumerated() {
            guard case .read(let format, let from, _) = plan.action else { continue }
            // Enough chunks to keep every core busy; each chunk ends in a summary as large as the
            // file's cardinality (versions × providers, days …), so not more than that.
            let chunkSize = max(options.chunkSize, (plan.size - from) / (ProcessInfo.processInfo.activeProcessorCount * 2))
            if format == .jsonLines, plan.size - from > chunkSize,
               let ranges = try? LogReader.chunks(of: plan.file.url, approximateSize: chunkSize) {
                for range in ranges where range.upperBound > from {
                    work.append(Work(file: index, format: format, range: max(range.lowerBound, from)..<range.upperBound))
                }
            } else {
                work.append(Work(file: index, format: format, range: from == 0 && format != .jsonLines ? nil : from..<plan.size))
            }
        }
        // A wave of chunks at a time, one per core, each folded into its file's summary as soon as
        // the wave ends: memory holds a few chunk summaries whatever the number of chunks.
        var reads = [FileLogSummary](repeating: FileLogSummary(), count: plans.count)
        var failures = [String?](repeating: nil, count: plans.count)
        // Files not read (or not finished) because the files before them passed `maximumTotalGroups`.
        var stopped = [Bool](repeating: false, count: plans.count)
        let wave = max(1, ProcessInfo.processInfo.activeProcessorCount)
        var waveStart = 0
        while waveStart < work.count {
            let slice = Array(work[waveStart..<min(waveStart + wave, work.count)])
            let results = parallelMap(slice) { $0.run(url: plans[$0.file].file.url, options: options) }
            for (item, result) in zip(slice, results) {
                switch result {
                case .success(let chunk): if failures[item.file] == nil { reads[item.file].append(chunk, maximumGroups: options.maximumGroups) }
                // The message alone: the diagnostic is at the file (the absolute path would be published).
                case .failure(let error): failures[item.file] = failures[item.file] ?? ((error as? LogReadError)?.message ?? "\(error)")
                }
            }
            waveStart += wave
            // Files finish in path order: once the finished ones hold more than the total (each
            // counted as the pass below counts it), every file after them is left out below
            // anyway, so nothing more is read and memory stays bounded. Files still being read
            // are not counted: a file may yet pass its own bound and count nothing.
            let finished = waveStart < work.count ? work[waveStart].file : plans.count
            if (0..<finished).reduce(0, { $0 + (failures[$1] == nil ? reads[$1].summary.groupCount : 0) }) > options.maximumTotalGroups {
                for item in work[waveStart...] { stopped[item.file] = true }
                break
            }
        }

        var diagnostics: [Diagnostic] = []
        var ingested: [IngestedLogFile] = []
        var summary = LogSummary()
        // The groups of the files taken so far, in path order (the same whatever the number of
        // cores); a file past its own bound counts none. Past the total, every later file is
        // left out, whatever else is wrong with it.
        var groups = 0
        var passed = false
        let hint = "check that `version`, `node`, `block` and `experiment` hold names shared by many records, not ids unique to each; or read fewer logs"
        let what = "distinct groups (version × provider, node, block, day, experiment arm)"
        let overTotal = { (file: LogFileEntry, count: Int) -> Bool in
            guard groups + count > options.maximumTotalGroups else {
                groups += count
                return false
            }
            passed = true
            diagnostics.append(.error("log-too-many-groups", "with this file the log files would hold more than \(options.maximumTotalGroups) \(what) in all: it is left out of the analytics",
                                      at: SourceLocation(file: file.path), hint: hint))
            return true
        }
        for (index, plan) in plans.enumerated() {
            let file = plan.file
            if passed {
                diagnostics.append(.error("log-too-many-groups", "left out of the analytics: the log files before it would hold more than \(options.maximumTotalGroups) \(what) in all",
                                          at: SourceLocation(file: file.path), hint: hint))
                continue
            }
            switch plan.action {
            case .unreadable(let message):
                diagnostics.append(.error("unreadable-file", "cannot read the log: \(message)", at: SourceLocation(file: file.path),
                                          hint: "check that the file exists and is readable"))
                continue
            case .cached(let cached):
                if overTotal(file, cached.summary.groupCount) { continue }
                ingested.append(IngestedLogFile(path: file.path, summary: cached, source: .cache, bytesRead: 0, linesRead: 0))
                summary.merge(cached.summary)
                diagnostics += malformedDiagnostics(cached, path: file.path)
                continue
            case .read(_, let from, let prefix):
                var combined = prefix ?? FileLogSummary()
                let read = reads[index]
                reads[index] = FileLogSummary()
                if stopped[index] {
                    // Only files after the total was passed are stopped (see the reading above).
                    _ = overTotal(file, .max / 2)
                    continue
                }
                if let failure = failures[index] {
                    diagnostics.append(.error("unreadable-file", "cannot read the log: \(failure)", at: SourceLocation(file: file.path),
                                              hint: "check that the file is complete (a gzip file may be truncated)"))
                    continue
                }
                combined.append(read, maximumGroups: options.maximumGroups)
                // Kept in the cache even when left out below: the next build need not read it again.
                if let cache = options.cache, let stat = plan.stat, let hash = plan.contentHash {
                    cache.store(LogCache.Entry(path: file.path, size: stat.size, modified: stat.modified, contentHash: hash,
                                               endsWithNewline: plan.endsWithNewline, summary: combined))
                }
                if overTotal(file, combined.summary.groupCount) { continue }
                let source: LogSource = prefix == nil ? .full : .tail(fromByte: from)
                ingested.append(IngestedLogFile(path: file.path, summary: combined, source: source, bytesRead: plan.size - from,
                                               linesRead: read.lines))
                summary.merge(combined.summary)
                diagnostics += malformedDiagnostics(combined, path: file.path)
            }
        }
        var ingest = LogIngest(files: ingested, summary: summary, diagnostics: diagnostics)
        let ignored = plans.filter(\.cacheIgnored).map(\.file.path)
        if !ignored.isEmpty {
            let listed = ignored.prefix(3).joined(separator: ", ") + (ignored.count > 3 ? " and \(ignored.count - 3) more" : "")
            ingest.notes.append("log cache ignored for \(listed): damaged or written by another version; read in full")
        }
        return ingest
    }

    /// `log-malformed` for the first lines kept, and one more for the rest; `log-field-ignored`
    /// once per field and reason for which some records lost the value (each with its own count); `log-unfinished` once for records not counted.
    /// A gzipped file's offending line is quoted in the message (no editor shows it).
    static func malformedDiagnostics(_ file: FileLogSummary, path: String) -> [Diagnostic] {
        let quotes = path.lowercased().hasSuffix(".gz")
        func quoted(_ issue: LogIssue) -> String {
            quotes && !issue.text.isEmpty ? " — line \(issue.line) reads: \(issue.text)" : ""
        }
        var diagnostics = file.issues.map { issue in
            Diagnostic.warning("log-malformed", issue.message + quoted(issue), at: SourceLocation(file: path, line: issue.line, column: issue.column),
                               hint: "fix or remove the line; it is left out of the analytics")
        }
        // By field, then in the order the reasons first appeared.
        for (key, ignored) in file.ignored.sorted(by: { ($0.key.field, $0.value.example.line, $0.key.reason) < ($1.key.field, $1.value.example.line, $1.key.reason) }) {
            let field = key.field
            let example = ignored.example
            let records = ignored.count == 1 ? "1 record" : "\(ignored.count) records"
            diagnostics.append(.warning(
                "log-field-ignored", "\(example.message): the value is left out of \(records) of this file, first here; the records are kept\(quoted(example))",
                at: SourceLocation(file: path, line: example.line, column: example.column),
                hint: "write `\(field)` with a valid value, or leave it out or null when there is none"))
        }
        if let example = file.unfinishedExample {
            let total = file.unfinished.values.reduce(0, +)
            let counts = file.unfinished.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            diagnostics.append(.info(
                "log-unfinished", "\(total) record\(total == 1 ? " is" : "s are") of generations not finished (\(counts)), first here: not counted\(quoted(example))",
                at: SourceLocation(file: path, line: example.line),
                hint: "only success (or completed), failed and cancelled generations are counted; export again once they finish"))
        }
        if file.overflowed {
            diagnostics.append(.error(
                "log-too-many-groups", "more than \(FileLogSummary.maximumGroups) distinct groups (version × provider, node, block, day, experiment arm): the file is left out of the analytics",
                at: SourceLocation(file: path),
                hint: "check that `version`, `node`, `block` and `experiment` hold names shared by many records, not ids unique to each; or split the log"))
        }
        let more = file.malformed - file.issues.count
        if more > 0 {
            diagnostics.append(.warning("log-malformed", "\(more) more malformed line\(more == 1 ? "" : "s") in this file (\(file.malformed) in all)",
                                        at: SourceLocation(file: path), hint: "only the first \(FileLogSummary.reportedPerFile) are listed"))
        }
        return diagnostics
    }

    // MARK: - Planning: what to read of each file

    struct Plan: Sendable {
        enum Action: Sendable {
            case cached(FileLogSummary)
            /// Read from byte `from` (0 = all); `prefix` is the cached summary of the bytes before.
            case read(LogFormat, from: Int, prefix: FileLogSummary?)
            case unreadable(String)
        }
        let file: LogFileEntry
        let action: Action
        var size = 0
        var stat: FileStat?
        var contentHash: UInt64?
        var endsWithNewline = true
        /// The cache held something for the file it could not use (damaged, another version's).
        var cacheIgnored = false
    }

    static func plan(_ file: LogFileEntry, options: LogIngestOptions) -> Plan {
        guard let format = LogFormat(path: file.path) else { return Plan(file: file, action: .unreadable("not a log file name")) }
        guard let stat = FileStat(file.url) else { return Plan(file: file, action: .unreadable("the file cannot be opened")) }
        guard let cache = options.cache else { return Plan(file: file, action: .read(format, from: 0, prefix: nil), size: stat.size) }
        let lookup = cache.lookup(path: file.path)
        var entry: LogCache.Entry?
        if case .found(let found) = lookup { entry = found }
        var plan = plan(file, format: format, stat: stat, cache: cache, entry: entry)
        if case .ignored = lookup { plan.cacheIgnored = true }
        return plan
    }

    /// What to read of a file, given what the cache kept for it.
    private static func plan(_ file: LogFileEntry, format: LogFormat, stat: FileStat, cache: LogCache, entry: LogCache.Entry?) -> Plan {
        if let entry, entry.size == stat.size, entry.modified == stat.modified {
            return Plan(file: file, action: .cached(entry.summary), size: stat.size)
        }
        // Changed metadata: decide by content. One pass hashes the whole file and, on
        // the way, the prefix the cached summary covered.
        let prefixLength = entry.flatMap { $0.size < stat.size && $0.endsWithNewline && format == .jsonLines ? $0.size : nil }
        guard let hashed = try? FileHash.compute(file.url, prefixLength: prefixLength) else {
            return Plan(file: file, action: .unreadable("the file cannot be read"))
        }
        let ending = hashed.lastByte.map { $0 == 0x0A } ?? true
        if let entry, entry.size == stat.size, entry.contentHash == hashed.whole {
            cache.store(LogCache.Entry(path: file.path, size: stat.size, modified: stat.modified, contentHash: hashed.whole,
                                       endsWithNewline: ending, summary: entry.summary))
            return Plan(file: file, action: .cached(entry.summary), size: stat.size)
        }
        if let entry, let prefixLength, hashed.prefix == entry.contentHash {
            return Plan(file: file, action: .read(format, from: prefixLength, prefix: entry.summary), size: stat.size, stat: stat,
                        contentHash: hashed.whole, endsWithNewline: ending)
        }
        return Plan(file: file, action: .read(format, from: 0, prefix: nil), size: stat.size, stat: stat, contentHash: hashed.whole,
                    endsWithNewline: ending)
    }

    /// One piece of reading: a whole file, or a byte range of a JSON Lines file.
    struct Work: Sendable {
        let file: Int
        let format: LogFormat
        let range: Range<Int>?

        func run(url: URL, options: LogIngestOptions) -> Result<FileLogSummary, Error> {
            Result {
                var aggregator = ChunkAggregator(maximumGroups: options.maximumGroups)
                let lines: Int
                if let range, format == .jsonLines {
                    lines = try LogReader.readJSONLines(url, range: range, maximumLineLength: options.maximumLineLength, columns: options.columns,
                                                        into: &aggregator)
                } else {
                    lines = try LogReader.read(url, format: format, maximumLineLength: options.maximumLineLength, columns: options.columns,
                                               into: &aggregator)
                }
                return aggregator.summary(lines: lines)
            }
        }
    }
}

/// Size of a file and a stamp of its metadata.
struct FileStat: Sendable, Equatable {
    let size: Int
    /// The modification time, the change time and the inode, folded into one number: a log
    /// rewritten with the same size and modification time (`cp -p`, `rsync -t`, `touch -r`, tar)
    /// still has a new change time, which no tool can set back, so its content is checked again.
    let modified: Int64

    init?(_ url: URL) {
        var info = stat()
        guard stat(url.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        size = Int(info.st_size)
        modified = info.modifiedNanoseconds ^ (info.changedNanoseconds &* -7_046_029_254_386_353_131) ^ (Int64(bitPattern: UInt64(info.st_ino)) &* 0x27D4_EB2F_1656_67C5)
    }
}

/// XXH64 of a whole file and, optionally, of its first `prefixLength` bytes, in one pass.
struct FileHash {
    let whole: UInt64
    let prefix: UInt64?
    let lastByte: UInt8?

    static func compute(_ url: URL, prefixLength: Int?) throws -> FileHash {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = XXH64()
        var prefix: UInt64?
        var position = 0
        var lastByte: UInt8?
        if prefixLength == 0 { prefix = hasher.digest }
        while true {
            let wanted = prefixLength.map { $0 > position ? min(1 << 20, $0 - position) : 1 << 20 } ?? 1 << 20
            guard let data = try handle.read(upToCount: wanted), !data.isEmpty else { break }
            data.withUnsafeBytes { hasher.update($0) }
            position += data.count
            lastByte = data.last
            if let prefixLength, position == prefixLength { prefix = hasher.digest }
        }
        return FileHash(whole: hasher.digest, prefix: prefix, lastByte: lastByte)
    }
}
