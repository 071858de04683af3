import ArgumentParser
import Diagnostics
import Foundation
import PromptCatalog
import Review
import Site

struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Check the content and render the site, its JSON API, feeds and CI reports.",
        discussion: """
        Errors are printed and the site is still built, with a checks page, and the build exits 1; \
        with --strict (or Site.json checks.strict) any error or warning stops the build with exit 1 \
        and the previous output stays as it was.

        The site is written beside the output folder and swapped in at the end. Unchanged files \
        are taken from the previous output, and parsed versions from .promptsite-cache/ \
        (--no-cache builds everything).
        """
    )

    @OptionGroup var project: ProjectOptions

    @Option(help: "Templates folder whose files override the built-in theme (default: Site.json `templates`).")
    var templates: String?

    @Option(help: "Output folder (default: Site.json `output`, else ./Output).")
    var output: String?

    @Flag(help: "Stop without writing when checks report errors or warnings.")
    var strict = false

    @Flag(help: "Print nothing but problems: errors and warnings, not infos or the summary.")
    var quiet = false

    @OptionGroup var cache: LogCacheOptions

    @Option(help: "Also write review/index.html: what the working tree changes against this git revision (see `review`).")
    var base: String?

    func run() throws {
        var (config, configDiagnostics) = try project.loadExisting()
        if let base {
            do {
                _ = try BaseRevision(base, workingContent: config.contentDirectory)
            } catch let error as ReviewError {
                Terminal.error("promptsite: \(error.message)")
                Terminal.error("  hint: \(error.hint)")
                throw ExitCode(ExitStatus.usage)
            }
            config.reviewBase = base
        }
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        if let templates {
            let folder = URL(fileURLWithPath: templates, relativeTo: cwd).standardizedFileURL
            // A theme folder named but missing would silently build with the default theme.
            if let what = SiteConfig.folderProblem(folder) { throw usageError("the templates folder \(relativeToCwd(folder)) \(what)") }
            config.templatesDirectory = folder
        }
        if let output { config.outputDirectory = URL(fileURLWithPath: output, relativeTo: cwd).standardizedFileURL }
        cache.apply(to: &config)
        let projectRoot = config.file?.deletingLastPathComponent() ?? cwd
        let logs = try cache.options(for: config)
        let result: BuildResult
        do {
            var request = BuildRequest(config: config, configDiagnostics: configDiagnostics, strict: strict, project: projectRoot,
                                       logs: logs, incremental: !cache.noCache, progress: quiet ? nil : Terminal.progress())
            request.keep = { keepUntilExit($0) }
            result = try buildSite(request)
        } catch let refusal as OutputWriter.Refusal {
            throw usageError(refusal.description)
        } catch {
            Terminal.error("error: build failed: \(error)")
            throw ExitCode(ExitStatus.checksFailed)
        }
        // --quiet: problems only (infos are not problems).
        keepUntilExit(result)
        let diagnostics = quiet ? result.check.diagnostics.filter { $0.level != .info } : result.check.diagnostics
        if !diagnostics.isEmpty || !quiet {
            let text = diagnosticsText(diagnostics, content: config.contentDirectory, checkedFiles: result.checkedFiles, summary: !quiet)
            Terminal.error(diagnostics.isEmpty ? "checks: \(text)" : text)
        }
        guard result.wrote else {
            Terminal.error("build stopped by \(strict ? "--strict" : "Site.json checks.strict"): the previous output in \(relativeToCwd(config.outputDirectory)) is unchanged")
            throw ExitCode(ExitStatus.checksFailed)
        }
        for note in result.notes { Terminal.error("note: \(note)") }
        if !quiet, result.upToDate {
            Terminal.error("up to date: nothing changed since the last build (\(result.pageCount) pages, \(String(format: "%.2f", result.seconds)) s); --no-cache rebuilds everything")
        } else if !quiet {
            let rate = result.seconds > 0 ? Int(Double(result.pageCount) / result.seconds) : result.pageCount
            let index = config.outputDirectory.appendingPathComponent("index.html").path
            let steps = result.steps.map { "\($0.name) \(String(format: "%.2f", $0.seconds)) s" }.joined(separator: ", ")
            Terminal.error("built \(result.pageCount) pages (\(result.fileCount) files: \(result.rendered) written, \(result.reused) unchanged, \(result.keyMatched) of them on their page keys) in \(String(format: "%.2f", result.seconds)) s, \(rate) pages/s (\(steps))")
            if let logs = result.project?.logs, !logs.files.isEmpty {
                let cached = logs.files.filter { $0.source == .cache }.count
                let tails = logs.files.filter { if case .tail = $0.source { true } else { false } }.count
                Terminal.error("logs: \(logs.files.count) files, \(logs.summary.records) records; \(logs.linesRead) lines and \(logs.bytesRead) bytes read, \(cached) files unchanged (from the cache), \(tails) read from where they grew")
            }
            Terminal.error("open file://\(index)")
        }
        // The site is published with its checks page, and the errors still fail the step (exit 1).
        if result.check.failed { throw ExitCode(ExitStatus.checksFailed) }
    }
}
