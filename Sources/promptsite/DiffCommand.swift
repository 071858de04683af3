import ArgumentParser
import Foundation
import PromptCatalog
import TextDiff

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show how one version's template and front matter differ from another's.",
        discussion: "Coloured on a terminal, plain otherwise. --words marks changes inside lines as [-removed-]{+added+}."
    )

    @Argument(help: "The old version: family@N or family@label.")
    var old: String

    @Argument(help: "The new version: family@N or family@label.")
    var new: String

    @Flag(help: "Word-level diff inside lines.")
    var words = false

    @OptionGroup var project: ProjectOptions

    func run() throws {
        let (config, _) = try project.loadExisting()
        let catalog = CatalogLoader.load(contentDirectory: config.contentDirectory).catalog
        let before = try version(old, in: catalog)
        let after = try version(new, in: catalog)
        let diff = UnifiedDiff(oldName: before.id, newName: after.id, old: before.template.source, new: after.template.source)
        let color = Terminal.colors()
        Terminal.print(words ? diff.renderWords(color: color) : diff.render(color: color))
        let changes = after.fieldChanges(from: before)
        if !changes.isEmpty {
            Terminal.print("\nfront matter:\n")
            for change in changes {
                switch change.kind {
                case .added: Terminal.print("  + \(change.path): \(change.new ?? "")\n")
                case .removed: Terminal.print("  - \(change.path): \(change.old ?? "")\n")
                case .changed: Terminal.print("  ~ \(change.path): \(change.old ?? "") → \(change.new ?? "")\n")
                }
            }
        }
    }

    private func version(_ text: String, in catalog: Catalog) throws -> PromptVersion {
        guard let reference = VersionReference(text) else { throw usageError("`\(text)` is not family@N or family@label") }
        return try usage(reference.resolve(in: catalog))
    }
}
