import Analytics
import ArgumentParser
import Foundation
import PromptCatalog

/// `promptsite import …`: brings content from other formats under versioning.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Create families for content that is not versioned yet.",
        subcommands: [ImportBlocksCommand.self, ImportLogsCommand.self]
    )
}

/// `promptsite import blocks [--dry-run]`: a family `prompts/block-<id>/` for every unversioned action block.
struct ImportBlocksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blocks",
        abstract: "Create prompts/block-<id>/family.yaml and v1.prompt for every action block no family versions.",
        discussion: "Existing folders are never overwritten. With --dry-run, prints the files and their contents and writes nothing."
    )

    @OptionGroup var project: ProjectOptions

    @Flag(help: "Print the files that would be written, with their contents, and write nothing.")
    var dryRun = false

    func run() throws {
        let (config, _) = try project.load()
        let content = config.contentDirectory
        let catalog = CatalogLoader.load(contentDirectory: content).catalog
        let prompts = content.appendingPathComponent("prompts")
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: prompts.path)) ?? []
        let plan = BlockImport.plan(catalog, existingFolders: Set(folders))
        for skipped in plan.skipped {
            Terminal.error("skipped block `\(skipped.block)`: \(skipped.reason)")
        }
        if !dryRun { try refuseLinkedFolders(plan.files.map(\.path), in: content) }
        for file in plan.files {
            if dryRun {
                Terminal.print("would write \(file.path):\n\(file.contents)")
            } else {
                let url = content.appendingPathComponent(file.path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.contents.utf8).write(to: url, options: .atomic)
                Terminal.print("wrote \(file.path)\n")
            }
        }
        let families = plan.files.count / 2
        let summary = families == 0 ? "every action block is already versioned" : "\(families) \(families == 1 ? "family" : "families")"
        Terminal.error(dryRun && families > 0 ? "would create \(summary)" : (families > 0 ? "created \(summary)" : summary))
    }
}

/// `promptsite import logs <file> [--dry-run] [--similarity X]`: the inline generations of a
/// log grouped by similarity into new families, one version per distinct prompt text.
struct ImportLogsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Turn the inline prompts of a generation log into families and versions.",
        discussion: """
        Records with prompt text and neither `version` nor `block` are grouped by similarity (Jaccard index of \
        words and word pairs); each group becomes prompts/<slug>/ with one version per distinct text, in order of \
        first use. Texts already in a version are skipped; existing folders are never overwritten. With --dry-run, \
        prints the files and their contents and writes nothing.
        """
    )

    @Argument(help: "A generation log: .jsonl, .csv or .jsonl.gz.")
    var file: String

    @OptionGroup var project: ProjectOptions

    @Flag(help: "Print the files that would be written, with their contents, and write nothing.")
    var dryRun = false

    @Option(help: "Least similarity (0 < X <= 1) for a prompt to join a family.")
    var similarity = LogImport.defaultThreshold

    /// Malformed lines quoted on stderr before the count.
    static let quotedMalformedLines = 5

    func run() throws {
        guard similarity > 0, similarity <= 1 else { throw usageError("--similarity must be above 0 and at most 1, not \(similarity)") }
        let (config, _) = try project.load()
        let content = config.contentDirectory
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let log = URL(fileURLWithPath: file, relativeTo: cwd).standardizedFileURL
        guard let format = LogFormat(path: log.path) else {
            throw usageError("\(file) is not a generation log: expected a .jsonl, .csv or .jsonl.gz file")
        }
        var collector = InlineGenerationCollector(keptMessages: Self.quotedMalformedLines)
        do {
            _ = try LogReader.read(log, format: format, into: &collector)
        } catch let error as LogReadError {
            throw usageError("cannot read \(relativeToCwd(log)): \(error.message)")
        } catch {
            throw usageError("cannot read \(relativeToCwd(log)): \(error)")
        }
        reportMalformed(collector, in: relativeToCwd(log))

        let catalog = CatalogLoader.load(contentDirectory: content).catalog
        let prompts = content.appendingPathComponent("prompts")
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: prompts.path)) ?? []
        let plan = LogImport.plan(collector.generations, existing: LogImport.Existing(catalog: catalog, folders: Set(folders)),
                                  source: sourceName(log, content: content), threshold: similarity)
        for skipped in plan.alreadyImported {
            Terminal.error("skipped a prompt already in \(skipped.version) (\(skipped.uses) \(skipped.uses == 1 ? "use" : "uses"))")
        }
        var written: [LogImport.PlannedFamily] = []
        if !dryRun { try refuseLinkedFolders(plan.families.flatMap { plan.files(of: $0).map(\.path) }, in: content) }
        for family in plan.families {
            let files = plan.files(of: family)
            if dryRun {
                for file in files { Terminal.print("would write \(file.path):\n\(file.contents)") }
                continue
            }
            // The plan avoided every existing folder; one that appeared since is still left alone.
            let folder = prompts.appendingPathComponent(family.slug)
            guard !FileManager.default.fileExists(atPath: folder.path) else {
                Terminal.error("skipped family `\(family.slug)`: prompts/\(family.slug) already exists")
                continue
            }
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for file in files {
                try Data(file.contents.utf8).write(to: content.appendingPathComponent(file.path), options: .withoutOverwriting)
                Terminal.print("wrote \(file.path)\n")
            }
            written.append(family)
        }
        for family in plan.families {
            let versions = family.versions.map { "v\($0.number) (\($0.uses))" }.joined(separator: ", ")
            Terminal.error("  \(family.slug): \(family.promptType.rawValue), \(versions)")
        }
        Terminal.error(summary(plan, inline: collector.generations.count, created: dryRun ? plan.families : written))
    }

    private func reportMalformed(_ collector: InlineGenerationCollector, in path: String) {
        guard collector.malformedCount > 0 else { return }
        for line in collector.malformedLines {
            Terminal.error("\(path):\(line.line):\(line.column.map { "\($0):" } ?? "") warning[log-malformed]: \(line.message)")
        }
        let more = collector.malformedCount - collector.malformedLines.count
        Terminal.error("\(collector.malformedCount) malformed \(collector.malformedCount == 1 ? "line" : "lines") skipped"
                       + (more > 0 ? " (\(more) not shown)" : ""))
    }

    private func summary(_ plan: LogImport.Plan, inline: Int, created: [LogImport.PlannedFamily]) -> String {
        let generations = "\(inline) inline \(inline == 1 ? "generation" : "generations")"
        if inline == 0 { return "no inline generations in \(file)" }
        if plan.families.isEmpty { return "\(generations): every prompt is already in the catalog" }
        let versions = created.reduce(0) { $0 + $1.versions.count }
        let families = "\(created.count) \(created.count == 1 ? "family" : "families") (\(versions) \(versions == 1 ? "version" : "versions"))"
        return "\(dryRun ? "would create" : "created") \(families) from \(generations)"
    }

    /// The log as the files' messages name it: relative to the content folder when inside it, else its file name.
    private func sourceName(_ log: URL, content: URL) -> String {
        let root = content.standardizedFileURL.path + "/"
        return log.path.hasPrefix(root) ? String(log.path.dropFirst(root.count)) : log.lastPathComponent
    }
}
