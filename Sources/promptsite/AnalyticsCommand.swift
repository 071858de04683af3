import Analytics
import ArgumentParser
import Checks
import Diagnostics
import Foundation
import Project
import Site

struct AnalyticsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analytics",
        abstract: "Read the generation logs and print the headline numbers: totals, experiments, top performers.",
        discussion: "The same numbers as the site's analytics pages. Problems in the logs go to stderr; exit 1 when a log cannot be read."
    )

    @OptionGroup var project: ProjectOptions
    @OptionGroup var cache: LogCacheOptions

    @Option(help: "How many top performers to list.")
    var top = 5

    func run() throws {
        guard top >= 0 else { throw usageError("--top must be 0 or more (got \(top))") }
        let (config, configDiagnostics) = try project.loadExisting()
        let project = Project.load(config: config, configDiagnostics: configDiagnostics, logs: try cache.options(for: config), findSimilar: false)
        let outcome = runChecks(project)
        keepUntilExit(project)
        let logs = project.logs
        let report = project.analytics
        let logProblems = outcome.diagnostics.filter { $0.code.hasPrefix("log-") || $0.location?.file.hasPrefix("logs/") == true }
        // Paths as `check` shows them (from the working folder), not from the content folder.
        // As `check` prints them: controls a log may hold (ESC, BEL) shown, never sent to the terminal.
        if !logProblems.isEmpty {
            Terminal.error(diagnosticsText(Array(logProblems.prefix(20)), content: config.contentDirectory, excerpts: false))
        }
        if logProblems.count > 20 { Terminal.error("… and \(logProblems.count - 20) more problems in the logs (see `promptsite check`)") }
        // Names come from the logs (versions, error codes, experiments): their controls are shown too.
        Terminal.print(AnalyticsSummary(report: report, logs: logs, top: top).text.visibleControls(keeping: ["\n"]) + "\n")
        if logProblems.contains(where: { $0.code == "unreadable-file" }) { throw ExitCode(ExitStatus.checksFailed) }
    }
}

/// The plain-text summary `promptsite analytics` prints, in the site's number formats and verdict words.
struct AnalyticsSummary {
    let report: AnalyticsReport
    let logs: LogIngest
    let top: Int

    var text: String {
        let overall = report.overall
        let cached = logs.files.filter { $0.source == .cache }.count
        var lines = [
            "logs: \(logs.files.count) files, \(MetricFormat.counted(overall.generations, "generation")); "
                + "\(MetricFormat.count(logs.linesRead)) lines read, \(cached) files from the cache",
            "success rate: \(MetricFormat.rate(overall.successRate, overall.successInterval)); latency p50 \(MetricFormat.latency(overall.p50)), "
                + "p90 \(MetricFormat.latency(overall.p90)), p99 \(MetricFormat.latency(overall.p99))",
            "cost: \(MetricFormat.cost(overall.totalCost)) in all, \(MetricFormat.cost(overall.costPerGeneration)) per generation, "
                + "\(MetricFormat.cost(overall.costPerSuccess)) per success",
        ]
        let limits = report.limitErrors
        if let share = limits.share {
            lines.append("limit errors caught: \(limits.caught) of \(limits.total) prompt_too_long failures (\(MetricFormat.percent(share)))")
        }
        if report.inline.generations > 0 {
            lines.append("inline generations: \(MetricFormat.count(report.inline.generations)) (turn them into families with `promptsite import logs <file>`)")
        }
        for experiment in report.experiments {
            let verdict = ExperimentWording.verdict(experiment, minSamples: report.minSamples, confidence: report.confidence)
            lines.append("experiment \(experiment.name): \(verdict.text)")
        }
        let best = report.topPerformers.prefix(top)
        if !best.isEmpty {
            lines.append("top performers (by the lower end of the \(MetricFormat.confidence(report.confidence)) Wilson interval):")
            for version in best {
                lines.append("  \(version.key): \(MetricFormat.rate(version.metrics.successRate, version.metrics.successInterval)), "
                             + "n = \(MetricFormat.count(version.metrics.aggregate.decided))")
            }
        }
        return lines.joined(separator: "\n")
    }
}
