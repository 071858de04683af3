import ArgumentParser
import Foundation
import PromptCatalog

/// `promptsite import …`: brings content from other formats under versioning.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Create families for content that is not versioned yet.",
        subcommands: [ImportBlocksCommand.self]
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
