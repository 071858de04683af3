import Analytics
import ArgumentParser
import Checks
import Diagnostics
import Foundation
import PromptCatalog
import Site

/// `--config` and `--content`, shared by every command that reads content.
struct ProjectOptions: ParsableArguments {
    @Option(name: .long, help: "Site configuration file (default: ./Site.json when present).")
    var config: String?

    @Option(name: .long, help: "Content directory (default: Site.json's `content`, else ./Content).")
    var content: String?

    /// The configuration of a command that reads the content: exit 2 when the content folder is
    /// missing or not a folder (a mistyped `--content` must not pass a CI gate as an empty
    /// catalog, nor replace a site with an empty one). An existing empty folder is an empty catalog.
    func loadExisting(reportingAs format: DiagnosticFormat = .text) throws -> (SiteConfig, [Diagnostic]) {
        let loaded = try load(reportingAs: format)
        let folder = loaded.0.contentDirectory
        if let what = SiteConfig.folderProblem(folder) {
            throw usageFailure(.error("missing-content", "the content folder \(relativeToCwd(folder)) \(what)", at: nil,
                                      hint: "pass --content DIR (or Site.json `content`); `promptsite new family <slug>` starts one"),
                               reportingAs: format)
        }
        return loaded
    }

    /// The configuration to use, or exit 2 when it cannot be read. With a machine `format` (what a
    /// CI step reads from stdout) the configuration's problems are also printed on stdout in it.
    func load(reportingAs format: DiagnosticFormat = .text) throws -> (SiteConfig, [Diagnostic]) {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        var result = (SiteConfig(root: cwd), [Diagnostic]())
        let explicit = config.map { URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL }
        let implicit = cwd.appendingPathComponent("Site.json")
        if let file = explicit ?? (FileManager.default.fileExists(atPath: implicit.path) ? implicit : nil) {
            switch SiteConfig.load(from: file) {
            case .success(let loaded): result = loaded
            case .failure(let unreadable):
                let report = DiagnosticReport(diagnostics: unreadable.diagnostics, checkedFiles: [],
                                              displayPath: { _ in relativeToCwd(file) })
                Terminal.error("promptsite: cannot use the configuration \(relativeToCwd(file))")
                Terminal.error(report.rendered(as: .text, color: Terminal.colors(STDERR_FILENO)))
                var isFolder: ObjCBool = false
                if FileManager.default.fileExists(atPath: file.path, isDirectory: &isFolder), isFolder.boolValue {
                    // `--config` names the settings file itself, not the project folder.
                    let inside = file.appendingPathComponent("Site.json")
                    Terminal.error(FileManager.default.fileExists(atPath: inside.path)
                                   ? "  hint: --config takes the file itself: --config \(relativeToCwd(inside))"
                                   : "  hint: --config takes a Site.json file, not a folder (run from the project folder to use its Site.json)")
                }
                if format != .text { Terminal.print(report.rendered(as: format, color: false)) }
                throw ExitCode(ExitStatus.usage)
            }
        }
        if let content {
            result.0.contentDirectory = URL(fileURLWithPath: content, relativeTo: cwd).standardizedFileURL
            // Without a Site.json the cache lives beside the content folder, not wherever the command ran.
            if result.0.file == nil {
                result.0.cacheDirectory = result.0.contentDirectory.deletingLastPathComponent().appendingPathComponent(".promptsite-cache")
            }
        }
        return result
    }
}

/// `--no-cache` and `--cache-dir`, for the commands that read generation logs.
struct LogCacheOptions: ParsableArguments {
    @Flag(name: .long, help: "Ignore the caches and do not update them: read every log file in full (and, for build, render every file).")
    var noCache = false

    @Option(name: .long, help: "Cache folder (default: Site.json `cache`, else .promptsite-cache beside Site.json or the content folder).")
    var cacheDir: String?

    /// Exits 2 when the cache folder is the content folder or the output folder, or inside one:
    /// caches written into the content would be read back as content (two fake families made
    /// `check` fail); written into the output, they would be published, and the next build would
    /// refuse to replace an output holding files it did not write.
    func options(for config: SiteConfig, reportingAs format: DiagnosticFormat = .text) throws -> LogIngestOptions {
        var config = config
        apply(to: &config)
        if !noCache {
            let cache = OutputWriter.canonical(config.cacheDirectory)
            for (what, folder) in [("content", config.contentDirectory), ("output", config.outputDirectory)] {
                let path = OutputWriter.canonical(folder)
                guard cache == path || cache.hasPrefix(path == "/" ? "/" : path + "/") else { continue }
                throw usageFailure(.error("invalid-field", "the cache folder \(relativeToCwd(config.cacheDirectory)) is inside the \(what) folder \(relativeToCwd(folder))",
                                          at: config.file.map { SourceLocation(file: relativeToCwd($0)) },
                                          hint: "set Site.json `cache` (or --cache-dir) to a folder outside it, such as .promptsite-cache beside Site.json"),
                                   reportingAs: format)
            }
        }
        if !noCache, let problem = LogIngestOptions.cacheProblem(config) { Terminal.error("note: log cache not used: \(problem); every log file is read in full") }
        return .forProject(config, useCache: !noCache)
    }

    /// `--cache-dir` replaces Site.json's cache folder (the log cache and the site cache both live there).
    func apply(to config: inout SiteConfig) {
        if let cacheDir {
            config.cacheDirectory = URL(fileURLWithPath: cacheDir, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
        }
    }
}

/// A path as the reader would type it from the current directory.
func relativeToCwd(_ url: URL) -> String {
    let cwd = FileManager.default.currentDirectoryPath
    let path = url.standardizedFileURL.path
    if path == cwd { return "." }
    if path.hasPrefix(cwd + "/") { return String(path.dropFirst(cwd.count + 1)) }
    return path
}

/// How check and build show a diagnostic's path (relative to the content folder): from here, with
/// `folder/..` collapsed, so Site.json beside the content folder reads `Site.json` — as when it
/// cannot be read — not `Content/../Site.json`.
func contentDisplayPath(_ content: URL) -> @Sendable (String) -> String {
    let shownRoot = relativeToCwd(content)
    return { file in collapsingParentFolders(shownRoot == "." ? file : "\(shownRoot)/\(file)") }
}

/// Diagnostics on stderr as `check` prints them: paths from the working folder, hints and, with
/// `excerpts`, the source lines they point at; controls a file may hold are shown, never sent.
func diagnosticsText(_ diagnostics: [Diagnostic], content: URL, checkedFiles: [String] = [], summary: Bool = false, excerpts: Bool = true) -> String {
    var report = DiagnosticReport(diagnostics: diagnostics, checkedFiles: checkedFiles, displayPath: contentDisplayPath(content))
    report.showsSummary = summary
    let color = Terminal.colors(STDERR_FILENO)
    guard excerpts else { return report.rendered(as: .text, color: color) }
    return report.rendered(as: .text, color: color, sourceExcerpt: SourceLines(root: content).excerpt(at:))
}

/// Reads the content files that diagnostics point into, once each.
final class SourceLines {
    private let root: URL
    private var cache: [String: [Substring]] = [:]

    /// Files larger than this are not quoted.
    static let largestQuoted = 8 << 20
    /// Quoted lines are cut after this many characters.
    static let longestQuoted = 240

    init(root: URL) { self.root = root }

    /// The characters of long lines already cut around a column (one array per line, so many
    /// diagnostics on one 100 KB line cost one pass over it, not one each).
    private var longLines: [String: [Int: [Character]]] = [:]

    /// The stretch of the line to quote: all of it, or `longestQuoted` characters around the column.
    func excerpt(at location: SourceLocation) -> SourceExcerpt? {
        guard let number = location.line, let line = rawLine(at: location) else { return nil }
        guard line.utf8.count > Self.longestQuoted else { return SourceExcerpt(text: String(line)) }
        let characters = longLines[location.file, default: [:]][number] ?? Array(line)
        longLines[location.file, default: [:]][number] = characters
        guard characters.count > Self.longestQuoted else { return SourceExcerpt(text: String(line)) }
        let column = max(1, location.column ?? 1)
        // The column well inside the first stretch: from the start; else centred.
        let start = column <= Self.longestQuoted - 40 ? 0 : max(0, min(column - 1 - Self.longestQuoted / 2, characters.count - Self.longestQuoted))
        let end = min(characters.count, start + Self.longestQuoted)
        return SourceExcerpt(text: String(characters[start..<end]), firstColumn: start + 1, cutBefore: start > 0, cutAfter: end < characters.count)
    }

    func line(at location: SourceLocation) -> String? {
        guard let line = rawLine(at: location) else { return nil }
        // Cut without counting the whole line: a diagnostic per token of a 100 KB line would
        // count it once per diagnostic.
        if let cut = line.index(line.startIndex, offsetBy: Self.longestQuoted, limitedBy: line.endIndex), cut < line.endIndex {
            return String(line[..<cut]) + "…"
        }
        return String(line)
    }

    /// The whole line, without its line break, read with its file once.
    private func rawLine(at location: SourceLocation) -> Substring? {
        guard let number = location.line, number >= 1 else { return nil }
        if cache[location.file] == nil {
            let url = root.appendingPathComponent(location.file)
            // Large files (generation logs) and compressed ones are not loaded just to quote a line.
            let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
            let text = size > Self.largestQuoted || location.file.hasSuffix(".gz") ? "" : (try? String(contentsOf: url, encoding: .utf8)) ?? ""
            // Split on line feeds as bytes: as characters, "\r\n" is one that is not "\n".
            cache[location.file] = text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { Substring($0) }
        }
        guard let lines = cache[location.file], number <= lines.count else { return nil }
        let line = lines[number - 1]
        return line.hasSuffix("\r") ? line.dropLast() : line
    }
}

/// The first folder on the way from the content folder to `relativePath`'s folder that is a
/// symbolic link (`prompts`, `prompts/x`), or nil. `check` and `build` never follow such links, so
/// `new` and `import` must not write through them either: the files would land outside the
/// content folder, or somewhere no build reads.
func linkedFolder(on relativePath: String, in content: URL) -> String? {
    var folder = ""
    for part in relativePath.split(separator: "/").dropLast() {
        folder += (folder.isEmpty ? "" : "/") + part
        var info = stat()
        guard lstat(content.appendingPathComponent(folder).path, &info) == 0 else { return nil }
        if info.st_mode & S_IFMT == S_IFLNK { return folder }
    }
    return nil
}

/// Refuses (exit 1, nothing written) when a file would be written through a linked folder.
func refuseLinkedFolders(_ relativePaths: [String], in content: URL) throws {
    for path in relativePaths {
        guard let link = linkedFolder(on: path, in: content) else { continue }
        Terminal.error("promptsite: cannot write \(path): \(link) is a symbolic link, which check and build do not follow; nothing was written")
        throw ExitCode(ExitStatus.checksFailed)
    }
}

/// A problem that stops the command with exit 2 before any content is read: said on stderr as
/// `error: …` with its hint, and, with a machine `format` (what a CI step uploads from stdout),
/// also printed there as a report holding it, so the upload is never an empty file.
func usageFailure(_ diagnostic: Diagnostic, reportingAs format: DiagnosticFormat) -> ExitCode {
    Terminal.error("error: \(diagnostic.message)")
    if let hint = diagnostic.hint { Terminal.error("  hint: \(hint)") }
    if format != .text {
        let report = DiagnosticReport(diagnostics: [diagnostic], checkedFiles: [], displayPath: { $0 })
        Terminal.print(report.rendered(as: format, color: false))
    }
    return ExitCode(ExitStatus.usage)
}
