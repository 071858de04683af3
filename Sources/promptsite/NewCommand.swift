import ArgumentParser
import Foundation
import PromptCatalog

/// `promptsite new …`: scaffolds a family or a version that passes `check`.
struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Create a new family or version from a template that passes check.",
        subcommands: [NewFamilyCommand.self, NewVersionCommand.self, NewBlockFamilyCommand.self]
    )
}

/// The creation time: now, or `--date` (hidden; tests fix it).
struct ScaffoldDate: ParsableArguments {
    @Option(help: .hidden)
    var date: String?

    func value() throws -> Date {
        guard let date else { return Date() }
        guard let parsed = ISODate.parse(date) else { throw usageError("--date `\(date)` is not an ISO 8601 date") }
        return parsed
    }
}

struct NewFamilyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "family",
        abstract: "Create prompts/<slug>/family.yaml and v1.prompt.",
        discussion: "Refuses to overwrite an existing family folder. Prints the created paths."
    )

    @Argument(help: "The family's slug (lowercase letters, digits and -).")
    var slug: String

    @Option(help: "The title (default: the slug's words capitalized).")
    var title: String?

    @Option(help: "visual, narrative, hybrid or snippet (a text only included by other prompts).")
    var type: String = "visual"

    @OptionGroup var project: ProjectOptions
    @OptionGroup var date: ScaffoldDate

    func run() throws {
        guard let promptType = PromptType(rawValue: type) else { throw usageError("--type must be visual, narrative, hybrid or snippet, not `\(type)`") }
        let (config, _) = try project.load()
        let content = config.contentDirectory
        let files = Scaffold.family(slug: slug, title: title, type: promptType, date: try date.value()) {
            FileManager.default.fileExists(atPath: content.appendingPathComponent($0).path)
        }
        try write(files, into: content)
    }
}

struct NewVersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Create the family's next v<N>.prompt from --from (default the latest version).",
        discussion: "Copies the front matter and template, sets version, parent and date (now, UTC), empties message unless given. Prints the created path."
    )

    @Argument(help: "The family's slug.")
    var family: String

    @Option(help: "The version to start from (default: the latest).")
    var from: Int?

    @Option(help: "The branch of the new version (default: the branch of --from).")
    var branch: String?

    @Option(help: "What changes in this version.")
    var message: String?

    @OptionGroup var project: ProjectOptions
    @OptionGroup var date: ScaffoldDate

    func run() throws {
        let (config, _) = try project.load()
        let content = config.contentDirectory
        let catalog = CatalogLoader.load(contentDirectory: content).catalog
        guard let found = catalog.family(family) else {
            let hint = closestMatch(to: family, in: catalog.families.map(\.slug)).map { " (did you mean `\($0)`?)" } ?? ""
            throw usageError("unknown family `\(family)`\(hint)")
        }
        let folder = content.appendingPathComponent("prompts/\(found.slug)")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let files = Scaffold.version(of: found, from: from, branch: branch, message: message, date: try date.value(), versionFiles: names) {
            try? String(contentsOf: content.appendingPathComponent($0), encoding: .utf8)
        }
        try write(files, into: content)
    }
}

struct NewBlockFamilyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "block-family",
        abstract: "Families for action blocks are created by `promptsite import blocks`.",
        shouldDisplay: false
    )

    @Argument var block: String?

    func run() throws {
        throw usageError("a family for an action block is what `promptsite import blocks` creates (prompts/block-<id>/ for every unversioned block; --dry-run shows the files first)")
    }
}

/// Writes every file or none: refuses when one is already there. Prints each created path.
private func write(_ files: Result<[Scaffold.File], Scaffold.Refusal>, into content: URL) throws {
    switch files {
    case .failure(.usage(let message)):
        throw usageError(message)
    case .failure(.exists(let message)):
        Terminal.error("promptsite: \(message)")
        throw ExitCode(ExitStatus.checksFailed)
    case .success(let files):
        try refuseLinkedFolders(files.map(\.path), in: content)
        let urls = files.map { content.appendingPathComponent($0.path) }
        if let taken = urls.first(where: { FileManager.default.fileExists(atPath: $0.path) }) {
            Terminal.error("promptsite: \(relativeToCwd(taken)) already exists; nothing was written")
            throw ExitCode(ExitStatus.checksFailed)
        }
        for (file, url) in zip(files, urls) {
            do {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.contents.utf8).write(to: url, options: .withoutOverwriting)
            } catch {
                // A folder in the way that is not one (a dangling link, a file), a read-only folder…
                Terminal.error("promptsite: cannot write \(relativeToCwd(url)): \(Scaffold.File.reason(error)); nothing more was written")
                throw ExitCode(ExitStatus.checksFailed)
            }
            Terminal.print("created \(relativeToCwd(url))\n")
        }
    }
}

private extension Scaffold.File {
    static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        switch nsError.code {
        case NSFileWriteFileExistsError: return "something is already there (a file, or a link to nothing)"
        case NSFileWriteNoPermissionError: return "permission denied"
        case NSFileWriteOutOfSpaceError: return "the disk is full"
        default: return nsError.localizedDescription
        }
    }
}
