import Analytics
import ArgumentParser
import Checks
import Foundation

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
        let (config, configDiagnostics) = try project.load()
        let outcome = runChecks(config: config, configDiagnostics: configDiagnostics, logs: cache.options(for: config))
        let logs = outcome.logs
        let report = AnalyticsReport(logs, catalog: outcome.catalog, minSamples: config.minSamples, confidence: config.confidence)
        let logProblems = outcome.diagnostics.filter { $0.code.hasPrefix("log-") || $0.location?.file.hasPrefix("logs/") == true }
        for diagnostic in logProblems.prefix(20) { Terminal.error(diagnostic.description) }
        if logProblems.count > 20 { Terminal.error("… and \(logProblems.count - 20) more problems in the logs (see `promptsite check`)") }
        Terminal.print(AnalyticsSummary(report: report, logs: logs, top: top).text + "\n")
        if logProblems.contains(where: { $0.code == "unreadable-file" }) { throw ExitCode(ExitStatus.checksFailed) }
    }
}

/// The plain-text summary `promptsite analytics` prints.
struct AnalyticsSummary {
    let report: AnalyticsReport
    let logs: LogIngest
    let top: Int

    var text: String {
        let overall = report.overall
        let cached = logs.files.filter { $0.source == .cache }.count
        var lines = [
            "logs: \(logs.files.count) files, \(overall.generations) generations; \(logs.linesRead) lines read, \(cached) files from the cache",
            "success rate: \(rate(overall)); latency p50 \(ms(overall.p50)), p90 \(ms(overall.p90)), p99 \(ms(overall.p99))",
            "cost: \(money(overall.totalCost)) in all, \(money(overall.costPerGeneration)) per generation, \(money(overall.costPerSuccess)) per success",
        ]
        if let share = report.limitErrors.share {
            lines.append("limit errors caught: \(report.limitErrors.caught) of \(report.limitErrors.total) prompt_too_long failures (\(percent(share)))")
        }
        if overall.aggregate.total > 0, report.inline.generations > 0 {
            lines.append("inline generations: \(report.inline.generations) (turn them into families with `promptsite import logs <file>`)")
        }
        for experiment in report.experiments {
            lines.append("experiment \(experiment.name): \(verdict(experiment))")
        }
        let best = report.topPerformers.prefix(top)
        if !best.isEmpty {
            lines.append("top performers (by the lower end of the \(Int(report.confidence * 100))% Wilson interval):")
            for version in best { lines.append("  \(version.key): \(rate(version.metrics)), n = \(version.metrics.aggregate.decided)") }
        }
        return lines.joined(separator: "\n")
    }

    private func verdict(_ experiment: Experiment) -> String {
        switch experiment.verdict {
        case .tooFewSamples: return "too few samples (each arm needs \(report.minSamples) decided generations)"
        case .noWinner:
            let tests = experiment.treatments.compactMap { arm in arm.successTest.map { "\(arm.name) \(points($0.lift)), p = \(p($0.pValue))" } }
            return "no winner" + (tests.isEmpty ? "" : " (" + tests.joined(separator: "; ") + ")")
        case .winner(let name):
            guard let arm = experiment.treatments.first(where: { $0.name == name }), let test = arm.successTest else {
                return "\(name) wins: every other arm is significantly worse"
            }
            return "\(name) wins: \(points(test.lift)) (CI \(points(test.liftInterval.lower)) to \(points(test.liftInterval.upper))), p \(test.pValue < 0.001 ? "< 0.001" : "= " + p(test.pValue))"
        }
    }

    private func rate(_ metrics: Metrics) -> String {
        guard let rate = metrics.successRate, let interval = metrics.successInterval else { return "n/a" }
        return "\(percent(rate)) (\(percent(interval.lower))–\(percent(interval.upper)))"
    }

    private func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }
    private func points(_ value: Double) -> String { String(format: "%+.1f points", value * 100) }
    private func p(_ value: Double) -> String { String(format: "%.3f", value) }
    private func ms(_ value: Double?) -> String { value.map { $0 >= 1000 ? String(format: "%.1f s", $0 / 1000) : String(format: "%.0f ms", $0) } ?? "n/a" }
    private func money(_ value: Double?) -> String { value.map { String(format: $0 < 0.01 && $0 > 0 ? "%.4f" : "%.2f", $0) } ?? "n/a" }
}
