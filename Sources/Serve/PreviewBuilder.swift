import Analytics
import Checks
import Diagnostics
import Foundation
import Project
import PromptCatalog
import Similarity
import Site

/// One preview build: reads Site.json again (it may have changed), builds into the private
/// output folder with `buildSite`, and says what to watch next.
struct PreviewBuilder: Sendable {
    let options: PreviewOptions
    let output: URL
    /// Versions parsed by the last build: a save parses again only the files that changed.
    let memo = LoadMemo()
    /// What the last build made of each prompt's text for near-duplicates: only changed texts are measured again.
    let similarMemo = SimilarityMemo()

    /// Site.json (nil when there is none), and what reading it gave.
    private func loadConfig() -> (file: URL?, loaded: Result<(SiteConfig, [Diagnostic]), SiteConfig.Unreadable>) {
        let cwd = options.workingDirectory
        let implicit = cwd.appendingPathComponent("Site.json")
        guard let file = options.configFile ?? (FileManager.default.fileExists(atPath: implicit.path) ? implicit : nil) else {
            return (nil, .success((SiteConfig(root: cwd), [])))
        }
        return (file, SiteConfig.load(from: file))
    }

    /// The content and templates folders of a configuration, with the overrides of the command line.
    private func folders(_ config: SiteConfig?) -> (content: URL, templates: URL) {
        let cwd = options.workingDirectory
        return (options.contentDirectory ?? config?.contentDirectory ?? cwd.appendingPathComponent("Content"),
                options.templatesDirectory ?? config?.templatesDirectory ?? cwd.appendingPathComponent("Templates"))
    }

    /// What to watch: Site.json, the content folder and the templates folder.
    func watchedPaths() -> [URL] {
        let (file, loaded) = loadConfig()
        let (content, templates) = folders(try? loaded.get().0)
        return configPaths(file) + [content, templates]
    }

    /// Site.json as watched: the file in use, and without `--config` always ./Site.json, so one
    /// that is removed (a branch switch) and comes back is seen.
    private func configPaths(_ file: URL?) -> [URL] {
        let implicit = options.workingDirectory.appendingPathComponent("Site.json")
        guard options.configFile == nil else { return file.map { [$0] } ?? [] }
        return file == nil || file?.standardizedFileURL.path == implicit.standardizedFileURL.path ? [implicit] : [file!, implicit]
    }

    /// The status for the pages, and the paths to watch (Site.json, content, templates).
    func build(generation: Int) -> (BuildStatus, [URL]) {
        let started = Date()
        let cwd = options.workingDirectory
        let (file, loaded) = loadConfig()
        var watched = configPaths(file)
        var config: SiteConfig
        var configDiagnostics: [Diagnostic]
        switch loaded {
        case .success(let read): (config, configDiagnostics) = read
        case .failure(let unreadable):
            // Keep serving the last good pages; watch the folders so the fix is seen.
            let (content, templates) = folders(nil)
            watched += [content, templates]
            let root = file?.deletingLastPathComponent() ?? cwd
            let status = BuildStatus(generation: generation, diagnostics: unreadable.diagnostics,
                                     failure: "\(file?.lastPathComponent ?? "Site.json") cannot be read", sourceLine: { self.line(at: $0, root: root) })
            return (status, watched)
        }
        (config.contentDirectory, config.templatesDirectory) = folders(config)
        config.outputDirectory = output
        watched += [config.contentDirectory, config.templatesDirectory]
        // A content folder that is gone (renamed, a branch switch) is a failure shown over the last
        // good pages, as `build` calls it bad usage, not an empty catalog to publish.
        if let what = SiteConfig.folderProblem(config.contentDirectory) {
            let shown = prefix(config.contentDirectory).dropLast()
            let status = BuildStatus(generation: generation,
                                     diagnostics: [.error("missing-content", "the content folder \(shown) \(what)", at: nil,
                                                          hint: "restore it, or point --content (or Site.json `content`) at it")],
                                     failure: "the content folder \(shown) \(what)", sourceLine: { _ in nil })
            return (status, watched)
        }
        let project = file?.deletingLastPathComponent() ?? cwd
        let sourceLine = { (location: SourceLocation) in self.line(at: location, root: config.contentDirectory) }
        // The log cache is the project's (shared with `build`); the site cache describes this server's
        // private output, so it lives beside it and goes with it.
        let logs = LogIngestOptions.forProject(config, useCache: true)
        config.cacheDirectory = output.deletingLastPathComponent().appendingPathComponent(".promptsite-cache")
        do {
            var request = BuildRequest(config: config, configDiagnostics: configDiagnostics, strict: false, project: project, logs: logs)
            request.memo = memo
            request.similarMemo = similarMemo
            let result = try buildSite(request)
            let shown = result.check.diagnostics.map { $0.displayed(under: prefix(config.contentDirectory)) }
            return (BuildStatus(generation: generation, diagnostics: shown, seconds: Date().timeIntervalSince(started),
                                sourceLine: { sourceLine($0.strippingPrefix(prefix(config.contentDirectory))) }), watched)
        } catch {
            let status = BuildStatus(generation: generation, diagnostics: [.error("build-failed", "the site could not be built: \(error)", at: nil)],
                                     failure: "\(error)", seconds: Date().timeIntervalSince(started), sourceLine: sourceLine)
            return (status, watched)
        }
    }

    /// `build` on a thread of its own, so the server's tasks keep answering during a rebuild.
    func buildOffTheServer(generation: Int) async -> (BuildStatus, [URL]) {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async { continuation.resume(returning: build(generation: generation)) }
        }
    }

    /// A line for the log.
    func report(_ status: BuildStatus) -> String {
        let verb = status.generation == 0 ? "built" : "rebuilt"
        if let failure = status.failure { return "\(verb): FAILED (\(failure)); serving the last good build" }
        let first = status.problems.first { $0.level == "error" }.map { "; first: \($0.location): \($0.message)" } ?? ""
        return "\(verb) in \(String(format: "%.2f", status.seconds)) s: \(status.summary)\(first)"
    }

    /// How content paths are shown: relative to the working directory (`Content/prompts/…`).
    private func prefix(_ content: URL) -> String {
        let cwd = options.workingDirectory.standardizedFileURL.path
        let path = content.standardizedFileURL.path
        if path == cwd { return "" }
        if path.hasPrefix(cwd + "/") { return String(path.dropFirst(cwd.count + 1)) + "/" }
        return path + "/"
    }

    private func line(at location: SourceLocation, root: URL) -> String? {
        guard let number = location.line, number >= 1 else { return nil }
        let url = root.appendingPathComponent(location.file)
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        guard size < 8 << 20, !location.file.hasSuffix(".gz"), let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard number <= lines.count else { return nil }
        var line = lines[number - 1]
        if line.hasSuffix("\r") { line = line.dropLast() }
        return String(line.prefix(240))
    }
}

extension Diagnostic {
    /// The same diagnostic with its file shown under a folder prefix.
    func displayed(under prefix: String) -> Diagnostic {
        guard let location, !prefix.isEmpty else { return self }
        return Diagnostic(level, code, message, at: SourceLocation(file: prefix + location.file, line: location.line, column: location.column), hint: hint)
    }
}

extension SourceLocation {
    func strippingPrefix(_ prefix: String) -> SourceLocation {
        guard !prefix.isEmpty, file.hasPrefix(prefix) else { return self }
        return SourceLocation(file: String(file.dropFirst(prefix.count)), line: line, column: column)
    }
}
