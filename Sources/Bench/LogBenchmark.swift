import Foundation

/// A generated log of `lines` generation records over a catalog of a chosen shape
/// (versions × providers × days: the cardinality the aggregation has to hold), read by
/// `promptsite analytics` (a full pass: read, aggregate, statistics) and, when the Python
/// package is installed, by DuckDB's `read_json_auto` with the same groupings, each in
/// its own process so peak memory is measured alike. Then the cache: a no-op rebuild and
/// a rebuild after the log grew by 1%.
public struct LogBenchmark {
    public let lines: Int
    public let runs: Int
    public let shape: LogShape

    public init(lines: Int, runs: Int = 3, shape: LogShape = LogShape()) {
        self.lines = lines
        self.runs = runs
        self.shape = shape
    }

    public struct Measured: Sendable {
        public let seconds: Double
        public let peakMemoryMB: Double
        /// User + system CPU seconds (wall time is noisy on a shared machine).
        public var cpuSeconds: Double = 0
    }

    public struct Report: Sendable {
        public let lines: Int
        public let shape: LogShape
        public let bytes: Int
        public let promptsite: Measured
        public let noOpRebuild: Measured
        public let grownRebuild: Measured
        public let grownLines: Int
        public let duckdb: Measured?
        public let duckdbProblem: String?

        public var description: String {
            func rate(_ measured: Measured) -> String { "\(Int(Double(lines) / measured.seconds)) rows/s" }
            func line(_ name: String, _ measured: Measured) -> String {
                "\(name): \(format(measured.seconds)) s, \(rate(measured)), CPU \(format(measured.cpuSeconds)) s, peak memory \(format(measured.peakMemoryMB)) MB"
            }
            var text = [
                "log: \(lines) lines over \(shape.versions) versions × \(shape.providers) providers × \(shape.days) days, "
                    + "\(format(Double(bytes) / 1_048_576)) MB of JSON Lines (median of runs)",
                line("promptsite analytics --no-cache", promptsite),
            ]
            if let duckdb {
                text.append(line("duckdb read_json_auto, same groupings", duckdb))
            } else if let duckdbProblem {
                text.append("duckdb: not measured (\(duckdbProblem))")
            }
            text.append("no-op rebuild with the cache: \(format(noOpRebuild.seconds)) s, peak memory \(format(noOpRebuild.peakMemoryMB)) MB")
            text.append("rebuild after the log grew by \(grownLines) lines (tail read only): \(format(grownRebuild.seconds)) s")
            return text.joined(separator: "\n")
        }

        private func format(_ value: Double) -> String { String(format: "%.2f", value) }
    }

    /// Generates the repository, measures, removes it.
    public func run(promptsite executable: String, python: String?) throws -> Report {
        let root = ScratchFolders.make("promptsite-logbench")
        defer { ScratchFolders.remove(root) }
        let content = root.appendingPathComponent("Content")
        let log = content.appendingPathComponent("logs/bench.jsonl")
        let bytes = try ScratchFolders.guarded {
            try writeCatalog(into: content)
            try FileManager.default.createDirectory(at: log.deletingLastPathComponent(), withIntermediateDirectories: true)
            return try LogGenerator(seed: 7, shape: shape).write(lines: lines, to: log)
        }
        let cache = root.appendingPathComponent("cache").path
        let base = ["analytics", "--content", content.path]

        let full = try median { try MeasuredProcess.run(executable, base + ["--no-cache"]) }
        _ = try MeasuredProcess.run(executable, base + ["--cache-dir", cache])
        let noOp = try median { try MeasuredProcess.run(executable, base + ["--cache-dir", cache]) }
        let grownLines = max(1, lines / 100)
        try ScratchFolders.guarded {
            let handle = try FileHandle(forWritingTo: log)
            try handle.seekToEnd()
            var generator = LogGenerator(seed: 8, shape: shape)
            try handle.write(contentsOf: generator.block(lines: grownLines))
            try handle.close()
        }
        let grown = try MeasuredProcess.run(executable, base + ["--cache-dir", cache])

        var duckdb: Measured?
        var problem: String?
        if let python {
            let script = root.appendingPathComponent("duckdb_bench.py")
            try ScratchFolders.guarded { try Self.duckdbScript.write(to: script, atomically: true, encoding: .utf8) }
            if (try? MeasuredProcess.run(python, ["-c", "import duckdb"])) != nil {
                duckdb = try median { try MeasuredProcess.run(python, [script.path, log.path]) }
            } else {
                problem = "the Python package is not installed: pip install duckdb"
            }
        } else {
            problem = "--no-duckdb, or python3 is not on the PATH"
        }
        return Report(lines: lines, shape: shape, bytes: bytes, promptsite: full, noOpRebuild: noOp, grownRebuild: Measured(seconds: grown.seconds, peakMemoryMB: grown.peakMemoryMB),
                      grownLines: grownLines, duckdb: duckdb, duckdbProblem: problem)
    }

    private func median(_ measure: () throws -> MeasuredProcess.Measurement) throws -> Measured {
        var results: [MeasuredProcess.Measurement] = []
        for _ in 0..<runs { results.append(try measure()) }
        let seconds = results.map(\.seconds).sorted()[results.count / 2]
        let memory = results.map(\.peakMemoryMB).sorted()[results.count / 2]
        let cpu = results.map(\.cpuSeconds).sorted()[results.count / 2]
        return Measured(seconds: seconds, peakMemoryMB: memory, cpuSeconds: cpu)
    }

    /// The families, versions and providers the generated log names.
    private func writeCatalog(into content: URL) throws {
        let manager = FileManager.default
        try manager.createDirectory(at: content.appendingPathComponent("providers"), withIntermediateDirectories: true)
        for (index, provider) in shape.providerNames.enumerated() {
            try "id: \(provider)\nname: \(provider)\nprompt_limit: \(1000 * (index + 1))\n"
                .write(to: content.appendingPathComponent("providers/\(provider).yaml"), atomically: true, encoding: .utf8)
        }
        for family in 0..<shape.families {
            let folder = content.appendingPathComponent("prompts/family-\(family)")
            try manager.createDirectory(at: folder, withIntermediateDirectories: true)
            try "title: Family \(family)\nprompt_type: visual\n".write(to: folder.appendingPathComponent("family.yaml"), atomically: true, encoding: .utf8)
            for number in 1...shape.versionsPerFamily(family) {
                let parent = number > 1 ? "parent: \(number - 1)\n" : ""
                // Distinct texts: near-identical prompts would make `check` report every pair as near-duplicates.
                try "---\nversion: \(number)\n\(parent)---\n\(Self.promptText(family: family, number: number))\n"
                    .write(to: folder.appendingPathComponent("v\(number).prompt"), atomically: true, encoding: .utf8)
            }
        }
    }

    /// Twelve words drawn from a small vocabulary by the family and version, so no two prompts share many shingles.
    static func promptText(family: Int, number: Int) -> String {
        let words = ["lantern", "harbor", "dusk", "gull", "mast", "stone", "tide", "rope", "keeper", "fog", "pier", "sail",
                     "amber", "salt", "bell", "reef", "drift", "ember", "cove", "wharf", "storm", "oar", "buoy", "kelp",
                     "shell", "cliff", "smoke", "moss", "anchor", "net", "lamp", "crane", "barrel", "deck", "hull", "wave"]
        var state = UInt64(family &* 7919 &+ number &* 104_729) &* 0x9E37_79B9_7F4A_7C15 | 1
        return (0..<12).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return words[Int((state >> 33) % UInt64(words.count))]
        }.joined(separator: " ") + "."
    }

    /// The same groupings as `LogSummary` (version × provider with error codes, node, block,
    /// day, experiment arm), each with counts by status, cost, rating and latency quantiles.
    static let duckdbScript = """
    import sys, duckdb
    con = duckdb.connect()
    path = sys.argv[1].replace("'", "''")
    con.execute(f"CREATE TEMP VIEW logs AS SELECT * FROM read_json_auto('{path}', format='newline_delimited')")
    rows = con.execute(\"\"\"
    SELECT version, provider, error, node, block, CAST(created_at AS DATE) AS day, experiment, arm,
           count(*) AS n,
           count(*) FILTER (WHERE status = 'success') AS success,
           count(*) FILTER (WHERE status = 'failed') AS failed,
           count(*) FILTER (WHERE status = 'cancelled') AS cancelled,
           sum(cost) AS cost, count(cost) AS costs, sum(cost * cost) AS cost2,
           avg(rating) AS rating, count(rating) AS ratings, sum(rating * rating) AS rating2,
           approx_quantile(latency_ms, [0.5, 0.9, 0.99]) FILTER (WHERE status = 'success') AS latency
    FROM logs
    GROUP BY GROUPING SETS ((version, provider), (version, provider, error), (node), (block), (day), (experiment, arm))
    \"\"\").fetchall()
    print(len(rows))
    """
}

/// How many distinct versions, providers and days a generated log spreads over.
public struct LogShape: Sendable {
    public let versions: Int
    public let providers: Int
    public let days: Int
    /// Versions per family (the last family may have fewer).
    static let familySize = 4

    public init(versions: Int = 200, providers: Int = 3, days: Int = 28) {
        self.versions = max(1, versions)
        self.providers = max(1, providers)
        self.days = max(1, days)
    }

    var families: Int { (versions + Self.familySize - 1) / Self.familySize }

    func versionsPerFamily(_ family: Int) -> Int { min(Self.familySize, versions - family * Self.familySize) }

    var providerNames: [String] {
        let named = ["tidewave", "inkwell", "loremind"]
        return (0..<providers).map { $0 < named.count ? named[$0] : "provider-\($0)" }
    }

    /// `YYYY-MM-DD` of each day, from 2026-10-01 on.
    var dayNames: [String] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let start = calendar.date(from: DateComponents(year: 2026, month: 10, day: 1))!
        return (0..<days).map { offset in
            let parts = calendar.dateComponents([.year, .month, .day], from: calendar.date(byAdding: .day, value: offset, to: start)!)
            return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
        }
    }
}

/// Deterministic generation records, about 350 bytes each.
struct LogGenerator {
    static let errors = ["moderation", "timeout", "provider_error", "prompt_too_long"]
    static let nodes = (0..<20).map { "scene-\($0 / 4)/node-\($0 % 4)" }
    static let strategies = ["once", "per_playthrough", "per_player", "always"]

    private var state: UInt64
    private var counter = 0
    private let shape: LogShape
    private let providers: [String]
    private let days: [String]

    init(seed: UInt64, shape: LogShape = LogShape()) {
        state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        self.shape = shape
        providers = shape.providerNames
        days = shape.dayNames
    }

    private mutating func next(_ bound: Int) -> Int {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Int((state >> 33) % UInt64(bound))
    }

    /// Writes `lines` records; returns the file size.
    func write(lines: Int, to url: URL) throws -> Int {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var generator = self
        var written = 0
        var remaining = lines
        while remaining > 0 {
            let count = min(remaining, 20_000)
            let block = generator.block(lines: count)
            try handle.write(contentsOf: block)
            written += block.count
            remaining -= count
        }
        return written
    }

    mutating func block(lines: Int) -> Data {
        var text = ""
        text.reserveCapacity(lines * 380)
        for _ in 0..<lines { text += record() + "\n" }
        return Data(text.utf8)
    }

    private mutating func record() -> String {
        counter += 1
        let index = next(shape.versions)
        let family = index / LogShape.familySize
        let version = 1 + index % LogShape.familySize
        let provider = providers[next(providers.count)]
        let roll = next(100)
        let status = roll < 84 ? "success" : (roll < 97 ? "failed" : "cancelled")
        let error = status == "failed" ? "\"\(Self.errors[next(Self.errors.count)])\"" : "null"
        let latency = status == "success" ? 1000 + next(60_000) : next(5000)
        let cost = Double(next(400)) / 1000
        let day = days[next(days.count)]
        let hour = next(24)
        let rating = status == "success" && next(3) == 0 ? "\(1 + next(5))" : "null"
        let experiment = family == 0 ? "\"exp-\(family)\"" : "null"
        let arm = family == 0 ? "\"\(version % 2 == 0 ? "control" : "B")\"" : "null"
        let block = next(10) == 0 ? "\"block-\(next(30))\"" : "null"
        return "{\"id\":\"g-\(counter)\",\"version\":\"family-\(family)@\(version)\",\"provider\":\"\(provider)\",\"operation\":\"text_to_image\","
            + "\"strategy\":\"\(Self.strategies[next(4)])\",\"status\":\"\(status)\",\"error\":\(error),\"latency_ms\":\(latency),"
            + "\"cost\":\(cost),\"created_at\":\"\(day)T\(hour < 10 ? "0" : "")\(hour):15:00Z\",\"rating\":\(rating),"
            + "\"experiment\":\(experiment),\"arm\":\(arm),\"node\":\"\(Self.nodes[next(Self.nodes.count)])\",\"block\":\(block),"
            + "\"prompt\":\"A lantern over the harbor at dusk, gulls circling the mast, warm light on wet stone, take \(version)\"}"
    }
}
