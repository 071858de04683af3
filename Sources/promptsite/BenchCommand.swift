import ArgumentParser
import Bench
import Foundation

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks on generated repositories: the site (beside Hugo) and the log analytics (beside DuckDB).",
        subcommands: [SiteBenchCommand.self, LogBenchCommand.self, SimilarityBenchCommand.self, DiffBenchCommand.self, ServeBenchCommand.self],
        defaultSubcommand: SiteBenchCommand.self
    )
}

struct SiteBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "site",
        abstract: "Build a generated repository of a given size and report pages/s and peak memory (beside Hugo when installed)."
    )

    @Option(help: "Number of families.")
    var families = 1000

    @Option(help: "Versions per family.")
    var versions = 10

    @Option(help: "Builds to run; the median is reported.")
    var runs = 3

    @Flag(inversion: .prefixedNo, help: "Also time Hugo on the same number of Markdown pages, when `hugo` is on the PATH.")
    var hugo = true

    @Flag(help: "Give every version the same text (one near-duplicate cluster of every prompt).")
    var sameText = false

    func run() throws {
        guard families > 0, versions > 0, runs > 0 else { throw usageError("--families, --versions and --runs must be positive") }
        try benchBounds(("--families × --versions", families.multipliedReportingOverflow(by: versions).overflow ? .max : families * versions, 1_000_000),
                        ("--runs", runs, 100))
        let hugoPath = hugo ? findExecutable("hugo") : nil
        if hugo, hugoPath == nil { Terminal.error("hugo is not installed: reporting promptsite alone") }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0], relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL.resolvingSymlinksInPath().path
        let report = try removingScratchOnStop {
            try Benchmark(families: families, versionsPerFamily: versions, runs: runs, sameText: sameText).run(promptsite: executable, compareWithHugo: hugoPath)
        }
        Terminal.print(report.description + "\n")
    }
}

struct LogBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Generate a JSON Lines log and time a full analytics pass, the cache, and DuckDB on the same file (when installed)."
    )

    @Option(help: "Log lines to generate.")
    var lines = 1_000_000

    @Option(help: "Runs per measurement; the median is reported.")
    var runs = 3

    @Option(help: "Distinct versions the records spread over (families of 4).")
    var versions = 200

    @Option(help: "Distinct providers.")
    var providers = 3

    @Option(help: "Distinct days (from 2026-10-01).")
    var days = 28

    @Flag(inversion: .prefixedNo, help: "Also time DuckDB's read_json_auto (pip install duckdb).")
    var duckdb = true

    func run() throws {
        guard lines > 0, runs > 0 else { throw usageError("--lines and --runs must be positive") }
        guard versions > 0, providers > 0, days > 0 else { throw usageError("--versions, --providers and --days must be positive") }
        try benchBounds(("--lines", lines, 50_000_000), ("--runs", runs, 100), ("--versions", versions, 1_000_000), ("--providers", providers, 10_000),
                        ("--days", days, 36_500))
        let python = duckdb ? findExecutable("python3") : nil
        let shape = LogShape(versions: versions, providers: providers, days: days)
        let report = try removingScratchOnStop { try LogBenchmark(lines: lines, runs: runs, shape: shape).run(promptsite: currentExecutable(), python: python) }
        Terminal.print(report.description + "\n")
    }

    /// This program's own path, to run `promptsite analytics` as a separate, measured process.
    private func currentExecutable() -> String {
        URL(fileURLWithPath: CommandLine.arguments[0], relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL.resolvingSymlinksInPath().path
    }
}

struct SimilarityBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similarity",
        abstract: "Find near-duplicates among generated prompts (5% planted near copies) and report the time and the recall."
    )

    @Option(help: "Prompts to generate.")
    var prompts = 100_000

    @Option(help: "Similarity threshold (Jaccard of word multisets).")
    var threshold = 0.85

    func run() throws {
        guard prompts > 1, threshold > 0, threshold <= 1 else { throw usageError("--prompts must be above 1 and --threshold in (0, 1]") }
        try benchBounds(("--prompts", prompts, 10_000_000))
        Terminal.print(SimilarityBenchmark(count: prompts, threshold: threshold).run().description + "\n")
    }
}

struct DiffBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Time the version-page diff (both tables and the counts) on generated pairs: unrelated paragraphs, one-word edits, multi-line edits."
    )

    @Option(help: "Pairs per shape.")
    var pairs = 10_000

    @Option(help: "Runs per shape; the median is reported.")
    var runs = 5

    func run() throws {
        guard pairs > 0, runs > 0 else { throw usageError("--pairs and --runs must be positive") }
        try benchBounds(("--pairs", pairs, 1_000_000), ("--runs", runs, 100))
        Terminal.print(DiffBenchmark(pairs: pairs, runs: runs).run().description + "\n")
    }
}

/// Runs a bench; stopped by a signal, it stops the program it is timing and removes the
/// repositories it generated before exiting (128 + the signal, as the shell reports it).
func removingScratchOnStop<Value>(_ body: () throws -> Value) rethrows -> Value {
    let sources = onStopSignal { number in
        ScratchFolders.stopAndRemoveAll()
        Terminal.error("stopped: the bench's generated folders were removed")
        exit(128 + number)
    }
    defer { sources.forEach { $0.cancel() } }
    return try body()
}

/// A benchmark generates what it measures: counts past these bounds would fill the memory or
/// the disk (or overflow) before measuring anything.
func benchBounds(_ bounds: (name: String, value: Int, most: Int)...) throws {
    for bound in bounds where bound.value > bound.most {
        throw usageError("\(bound.name) is at most \(bound.most.formatted()) (got \(bound.value == .max ? "more" : bound.value.formatted()))")
    }
}

func findExecutable(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
}
