import ArgumentParser
import Checks
import Diagnostics
import Foundation
import Site

extension DiagnosticFormat: ExpressibleByArgument {}

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate the content and report every problem at once.",
        discussion: "Exit status: 0 without errors, 1 with errors (or warnings under --strict), 2 on bad usage or an unreadable config."
    )

    @OptionGroup var project: ProjectOptions

    @Option(help: "Output format: \(DiagnosticFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: DiagnosticFormat = .text

    @Flag(help: "Fail on warnings too.")
    var strict = false

    @OptionGroup var cache: LogCacheOptions

    func run() throws {
        let (config, configDiagnostics) = try project.loadExisting(reportingAs: format)
        let logs = try cache.options(for: config, reportingAs: format)
        // What a build parsed and measured is read (and kept current) when a build kept it.
        var cached = config
        cache.apply(to: &cached)
        let memos = cache.noCache ? nil : StoredMemos.kept(for: cached)
        let outcome = runChecks(config: config, configDiagnostics: configDiagnostics, strict: strict, logs: logs,
                                memo: memos?.versions, similarMemo: memos?.similar)
        for note in outcome.project.logs.notes + (memos?.notes ?? []) + (memos?.save() ?? []) { Terminal.error("note: \(note)") }
        // The model is left for the process's exit to free (100,000 versions took 1.5 s to free one by one).
        keepUntilExit(outcome)
        let content = config.contentDirectory
        let report = DiagnosticReport(
            diagnostics: outcome.diagnostics,
            checkedFiles: outcome.project.catalog.files,
            displayPath: contentDisplayPath(content)
        )
        let lines = SourceLines(root: content)
        Terminal.print(report.rendered(as: format, color: format == .text && Terminal.colors(), sourceExcerpt: lines.excerpt(at:)))
        if outcome.failed { throw ExitCode(ExitStatus.checksFailed) }
    }
}
