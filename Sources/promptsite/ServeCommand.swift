import ArgumentParser
import Dispatch
import Foundation
import Serve

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Preview the site with live reload: rebuild on every save and reload the open pages.",
        discussion: """
        Builds into a private temporary folder (never Output/), serves it on loopback, watches the content folder, the \
        templates folder and Site.json, and shows every diagnostic over the pages while the content has errors. Ctrl-C stops.
        """
    )

    @Option(help: "Port (0 picks a free one).")
    var port: UInt16 = 8000

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @OptionGroup var project: ProjectOptions

    @Option(help: "Templates folder whose files override the built-in theme (default: Site.json `templates`).")
    var templates: String?

    func run() throws {
        // Every open page holds a connection: take the descriptors the system allows, not the
        // default soft limit (often 1,024, or 256).
        var limit = rlimit()
        if getrlimit(RLIMIT_NOFILE_VALUE, &limit) == 0, limit.rlim_cur < min(limit.rlim_max, 65_536) {
            limit.rlim_cur = min(limit.rlim_max, 65_536)
            _ = setrlimit(RLIMIT_NOFILE_VALUE, &limit)
        }
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        func path(_ text: String?) -> URL? { text.map { URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL } }
        var options = PreviewOptions(workingDirectory: cwd)
        options.host = host
        options.port = port
        options.configFile = path(project.config)
        options.contentDirectory = path(project.content)
        options.templatesDirectory = path(templates)
        if let file = options.configFile, !FileManager.default.fileExists(atPath: file.path) {
            throw usageError("no configuration file at \(project.config ?? "")")
        }

        let finished = DispatchSemaphore(value: 0)
        let outcome = Outcome()
        let task = Task {
            do {
                try await servePreview(options) { Terminal.print($0 + "\n") }
            } catch {
                outcome.error = "\(error)"
            }
            finished.signal()
        }
        // Ctrl-C, SIGTERM, and SIGHUP (the terminal closed): stop the server, remove the build folder, exit 0.
        let sources = onStopSignal { _ in task.cancel() }
        finished.wait()
        sources.forEach { $0.cancel() }
        if let error = outcome.error {
            Terminal.error("error: cannot serve: \(error)")
            throw ExitCode(ExitStatus.checksFailed)
        }
        Terminal.print("stopped\n")
    }

    private final class Outcome: @unchecked Sendable {
        var error: String?
    }
}

#if os(Linux)
private let RLIMIT_NOFILE_VALUE = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
#else
private let RLIMIT_NOFILE_VALUE = RLIMIT_NOFILE
#endif
