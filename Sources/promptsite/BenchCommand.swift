import ArgumentParser
import Bench
import Foundation

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
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

    func run() throws {
        guard families > 0, versions > 0, runs > 0 else { throw usageError("--families, --versions and --runs must be positive") }
        let hugoPath = hugo ? findExecutable("hugo") : nil
        if hugo, hugoPath == nil { Terminal.error("hugo is not installed: reporting promptsite alone") }
        let report = try Benchmark(families: families, versionsPerFamily: versions, runs: runs).run(compareWithHugo: hugoPath)
        Terminal.print(report.description + "\n")
    }

    private func findExecutable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
