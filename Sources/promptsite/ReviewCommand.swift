import ArgumentParser
import Foundation
import Review
import Site

extension ReviewFormat: ExpressibleByArgument {}

struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Report what the working tree changes in the catalog against a git revision.",
        discussion: """
        Reads the content folder at --base with `git archive` (the working tree is not touched) and compares: families and \
        versions added or removed, labels moved, versions whose composed text changed (word diff), lengths before and after, \
        new and fixed diagnostics. Exit status: 0, 1 when the change adds errors, 2 for a bad base or bad usage.
        """
    )

    @Option(help: "The revision to compare with: a branch, tag or commit (e.g. origin/main).")
    var base: String

    @Option(help: "Output format: markdown (a pull-request comment), json or html.")
    var format: ReviewFormat = .markdown

    @OptionGroup var project: ProjectOptions

    @OptionGroup var cache: LogCacheOptions

    func run() throws {
        let (config, _) = try project.load()
        let report: ReviewReport
        do {
            report = try ChangeReview.run(config: config, base: base, logs: try cache.options(for: config))
        } catch let error as ReviewError {
            Terminal.error("promptsite: \(error.message)")
            Terminal.error("  hint: \(error.hint)")
            throw ExitCode(ExitStatus.usage)
        }
        switch format {
        case .markdown: Terminal.print(report.markdown())
        case .json: Terminal.print(report.json().serialized(pretty: true) + "\n")
        case .html: Terminal.print(try ReviewPage.html(report, theme: Theme.load(overridesIn: config.templatesDirectory)))
        }
        if report.fails { throw ExitCode(ExitStatus.checksFailed) }
    }
}
