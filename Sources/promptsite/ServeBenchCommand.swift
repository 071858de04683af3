import ArgumentParser
import Bench
import Dispatch

struct ServeBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a generated repository, save one version several times and report how soon the pages are told to reload."
    )

    @Option(help: "Number of families.")
    var families = 1000

    @Option(help: "Versions per family.")
    var versions = 10

    @Option(help: "Saved edits; the median is reported.")
    var edits = 5

    func run() throws {
        guard families > 0, versions > 0, edits > 0 else { throw usageError("--families, --versions and --edits must be positive") }
        try benchBounds(("--families × --versions", families.multipliedReportingOverflow(by: versions).overflow ? .max : families * versions, 1_000_000),
                        ("--edits", edits, 1_000))
        let benchmark = ServeBenchmark(families: families, versionsPerFamily: versions, edits: edits)
        let done = DispatchSemaphore(value: 0)
        let outcome = Outcome()
        Task {
            do { outcome.text = try await benchmark.run().description } catch { outcome.error = "\(error)" }
            done.signal()
        }
        removingScratchOnStop { done.wait() }
        if let error = outcome.error {
            Terminal.error("error: the serve benchmark failed: \(error)")
            throw ExitCode(ExitStatus.checksFailed)
        }
        Terminal.print(outcome.text + "\n")
    }

    private final class Outcome: @unchecked Sendable {
        var text = ""
        var error: String?
    }
}
